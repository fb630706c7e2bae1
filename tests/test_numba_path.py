"""The compiled BFGS loop (optim/bfgs_numba.py) against the plain loop (optim/descent.py + bfgs.py).

The compiled loop restates the plain one operation by operation, so the two are held equal
exactly: same iterations, evaluations, status and message, and the same x to the last bit
(both paths' dot products and matrix-vector products go through BLAS on the same data; had a
BLAS build ever summed differently, x would differ in the last bits and this test would say so).
All 35 MGH problems x 3 line searches agreed bit for bit when this was written; the test runs a
subset chosen to cover every branch (bracketing, zoom, skipped updates, badly scaled problems,
n up to 12) to keep the compile time of the suite low.
"""
import numpy as np
import pytest

from refopt.functions import get
from refopt.optim import minimize

PROBLEMS = ["mgh01", "mgh03", "mgh10", "mgh12", "mgh14", "mgh19", "mgh22", "mgh26", "mgh35", "rastrigin"]


def both(tf, x0, line_search="wolfe", **options):
    fast = minimize(tf, x0, line_search=line_search, options=options)
    plain = minimize(tf, x0, line_search=line_search, options={**options, "numba": False})
    return fast, plain


def assert_same(fast, plain):
    assert (fast.nit, fast.nfev, fast.njev, fast.status, fast.message) == (
        plain.nit, plain.nfev, plain.njev, plain.status, plain.message)
    np.testing.assert_array_equal(fast.x, plain.x)
    np.testing.assert_array_equal(fast.jac, plain.jac)
    np.testing.assert_array_equal(fast.hess_inv, plain.hess_inv)
    assert fast.fun == plain.fun and fast.nskip == plain.nskip


@pytest.mark.parametrize("name", PROBLEMS)
@pytest.mark.parametrize("line_search", ["wolfe", "armijo"])
def test_compiled_equals_plain(name, line_search):
    tf = get(name)
    fast, plain = both(tf, tf.x0, line_search)
    assert_same(fast, plain)
    assert fast.nit > 1


@pytest.mark.parametrize("name", ["mgh01", "mgh14", "mgh26"])
def test_fixed_step_and_options(name):
    tf = get(name)
    assert_same(*both(tf, tf.x0, None, step=1e-3, maxiter=300))
    assert_same(*both(tf, tf.x0, update="damped"))
    assert_same(*both(tf, tf.x0, h0="identity", norm=2, gtol=1e-9))


def test_failure_statuses_and_messages():
    # line search failure (Jennrich-Sampson from 10 x0 runs into its exp overflow region)
    tf = get("mgh06")
    fast, plain = both(tf, 10 * tf.x0)
    assert_same(fast, plain)
    assert fast.status == 2 and "Line search failed" in fast.message and not fast.success
    # a fixed step that throws x to overflow: non-finite f, the iteration is named
    tf = get("mgh01")
    fast, plain = both(tf, tf.x0, None, step=1e6)
    assert_same(fast, plain)
    assert fast.status == 3 and "at iteration" in fast.message and not fast.success
    # the iteration budget
    fast, plain = both(tf, tf.x0, maxiter=5)
    assert_same(fast, plain)
    assert fast.status == 1 and fast.nit == 5


def test_trace_and_callback_take_the_plain_path():
    tf = get("mgh01")
    seen = []
    res = minimize(tf, tf.x0, callback=seen.append, options={"trace": True})
    assert len(seen) == res.nit and res.trace["f"].size == res.nit + 1
    assert_same(minimize(tf, tf.x0), res)


def test_bad_numba_option():
    with pytest.raises(ValueError, match="numba"):
        minimize("mgh01", get("mgh01").x0, options={"numba": "yes"})
