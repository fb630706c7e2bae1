"""The compiled run against the plain run of the one loop (optim/loop.py), for every method: the
same source run two ways.

The two are held equal exactly: same iterations, evaluations, status and message, and the same
x to the last bit
(both paths' dot products and matrix-vector products go through BLAS on the same data; had a
BLAS build ever summed differently, x would differ in the last bits and this test would say so).
All 35 MGH problems x 3 line searches agreed bit for bit when this was written; the test runs a
subset chosen to cover every branch (bracketing, zoom, skipped updates, badly scaled problems,
n up to 12) to keep the compile time of the suite low. The OGR family calls the same compiled
kernels (optim/regression.py) from both runs, so it is held equal to the bit, its estimate included.
"""
import numpy as np
import pytest

from refopt.functions import get
from refopt.optim import minimize

PROBLEMS = ["mgh01", "mgh03", "mgh10", "mgh12", "mgh14", "mgh19", "mgh22", "mgh26", "mgh35", "rastrigin"]


def both(tf, x0, line_search="wolfe", method="bfgs", **options):
    fast = minimize(tf, x0, method=method, line_search=line_search, options=options)
    plain = minimize(tf, x0, method=method, line_search=line_search, options={**options, "numba": False})
    return fast, plain


def assert_same(fast, plain, exact=True):
    """Equal counts, status and message; x, ∇f, f equal to the bit (``exact``) or to 1e-10.

    Newton is exact too: its Cholesky factorization is written out (newton.cholesky) rather than
    taken from LAPACK, which NumPy and Numba call in different ways (potrf's last bits differed,
    and with them biggs_exp6's iterate count), and its saddle-free eigendecomposition and solve are
    one compiled kernel both runs call (newton.saddle_free_step).
    """
    assert (fast.nit, fast.nfev, fast.njev, fast.nhev, fast.status, fast.message) == (
        plain.nit, plain.nfev, plain.njev, plain.nhev, plain.status, plain.message)
    check = np.testing.assert_array_equal if exact else (
        lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10 * max(1.0, np.abs(b).max())))
    check(fast.x, plain.x)
    check(fast.jac, plain.jac)
    check(np.array([fast.fun]), np.array([plain.fun]))
    assert sorted(set(fast) - {"trace"}) == sorted(set(plain) - {"trace"})  # hess_inv/nskip, hess, or neither
    if "hess_inv" in plain:
        np.testing.assert_array_equal(fast.hess_inv, plain.hess_inv)
    if plain.get("hess") is not None:
        np.testing.assert_allclose(fast.hess, plain.hess, rtol=1e-10, atol=1e-10 * np.abs(plain.hess).max())
        if exact:
            np.testing.assert_array_equal(fast.hess, plain.hess)
    for key in ("hess_diag", "basis", "hess_subspace"):  # the OGR family's extras
        if plain.get(key) is not None:
            np.testing.assert_array_equal(fast[key], plain[key])
    assert fast.get("nskip") == plain.get("nskip")


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


@pytest.mark.parametrize("name", ["mgh01", "mgh04", "mgh07", "mgh14", "mgh26", "rastrigin"])
@pytest.mark.parametrize("method,options", [("newton", {}), ("newton", {"modify": "lm"}), ("gd", {"maxiter": 300})])
def test_compiled_newton_and_gd_equal_plain(name, method, options):
    tf = get(name)
    x0 = tf.x0 if name != "rastrigin" else np.full(tf.n, 1.7)  # 1.7: indefinite Hessian there
    fast, plain = both(tf, x0, "wolfe", method, **options)
    assert_same(fast, plain)
    assert fast.nit >= 1


@pytest.mark.parametrize("name", ["mgh01", "mgh14", "mgh26", "mgh35", "rastrigin"])
@pytest.mark.parametrize("method", ["ogr", "ogr-diag", "ogr-subspace"])
@pytest.mark.parametrize("line_search", ["wolfe", "armijo", None])
def test_compiled_ogr_family_equals_plain(name, method, line_search):
    """mgh14 (n = 4), mgh26 and mgh35 (n = 10 > d = 5, so the subspace has an outside) reach the
    refresh of ogr's followed eigenbasis (every n updates), both branches of its step and, for
    Rastrigin, an indefinite estimate."""
    tf = get(name)
    fast, plain = both(tf, tf.x0, line_search, method, maxiter=300)
    assert_same(fast, plain)
    assert fast.nit > 5


@pytest.mark.parametrize("method", ["ogr", "ogr-subspace"])
def test_compiled_ogr_options_equal_plain(method):
    tf = get("mgh35")
    options = {"momentum": 0.3, "max_step": 0.05, "beta": 0.3, "eps_l": 1e-3, "maxiter": 200}
    if method == "ogr-subspace":
        options.update(d=3, eta=0.5, lr_out=0.1)
    for line_search in ("wolfe", None):
        fast, plain = both(tf, tf.x0, line_search, method, **options)
        assert_same(fast, plain)
    # a failure: a fixed step thrown to overflow, the iteration named
    fast, plain = both(get("mgh01"), get("mgh01").x0, None, method, lr=1e6, max_step=np.inf)
    assert_same(fast, plain)
    assert fast.status == 3


def test_failure_statuses_and_messages():
    # line search failure (Meyer from 100 x0: at iteration 4 the zoom shrinks its bracket to
    # [0, 2.5e-29] without a strong Wolfe step and runs out of trials)
    tf = get("mgh10")
    fast, plain = both(tf, 100 * tf.x0)
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


def test_callback_takes_the_plain_path():
    tf = get("mgh01")
    seen = []
    res = minimize(tf, tf.x0, callback=seen.append, options={"trace": True})
    assert len(seen) == res.nit and res.trace["f"].size == res.nit + 1
    assert_same(minimize(tf, tf.x0), res)


@pytest.mark.parametrize("name, n", [("rastrigin", 10), ("rosenbrock", 10), ("schwefel", 10), ("beale", 2)])
@pytest.mark.parametrize("method", ["bfgs", "ogr", "ogr-subspace", "newton"])
@pytest.mark.parametrize("line_search", ["wolfe", None])
def test_compiled_trace_and_box_equal_plain(name, n, method, line_search):
    """The OGR-vs-BFGS protocol (box clamp, trace with the Hessian-estimate error) in both loops:
    every trace column equal to the bit, except the error of BFGS's estimate H⁻¹, inverted by
    two LAPACK routes (1e-12), and Newton's (NaN: it keeps no estimate)."""
    tf = get(name, n=n)
    lo, hi = tf.bounds
    x0 = np.random.default_rng(3).uniform(lo, hi)
    options = {"gtol": 1e-8, "norm": 2, "maxiter": 150, "bounds": (lo, hi), "trace": True}
    if method.startswith("ogr"):
        options["max_step"] = 0.1 * float(np.max(hi - lo))
    fast, plain = both(tf, x0, line_search, method, **options)
    assert_same(fast, plain)
    for column in ("x", "f", "gnorm", "step", "nfev"):
        np.testing.assert_array_equal(fast.trace[column], plain.trace[column])
    np.testing.assert_allclose(fast.trace["hess_error"], plain.trace["hess_error"], rtol=1e-12, atol=1e-14)
    assert np.all((fast.trace["x"] >= lo) & (fast.trace["x"] <= hi))
    if method == "newton":
        assert np.all(np.isnan(fast.trace["hess_error"]))
    else:
        assert np.isfinite(fast.trace["hess_error"][-1])


def test_the_one_loop_grows_its_trace():
    """No trace length is fixed in advance: with maxiter = 10⁸ the compiled run keeps every row."""
    tf = get("mgh01")
    fast = minimize(tf, tf.x0, options={"trace": True, "maxiter": 10**8})
    assert fast.success and fast.trace["f"].shape == (fast.nit + 1,)
    plain = minimize(tf, tf.x0, options={"trace": True, "maxiter": 10**8, "numba": False})
    np.testing.assert_array_equal(fast.trace["x"], plain.trace["x"])


@pytest.mark.parametrize("name", ["osborne_2", "watson", "chebyquad", "biggs_exp6"])
def test_saddle_free_newton_is_the_same_in_both_runs(name):
    """Where the two runs once parted in the last bits (NumPy's and Numba's LAPACK builds under
    the eigendecomposition; biggs_exp6's x by 2e-9): one compiled kernel now serves both."""
    tf = get(name)
    assert_same(*both(tf, tf.x0, "wolfe", "newton"))


def test_newton_biggs_exp6_lm_is_the_same_in_both_runs():
    """The case where the two runs once parted (57 and 56 iterations, x apart by 1e-3)."""
    tf = get("biggs_exp6")
    assert_same(*both(tf, tf.x0, "wolfe", "newton", modify="lm"))


def test_bad_numba_option():
    with pytest.raises(TypeError, match=r"options\['numba'\] must be True or False; got str 'yes'"):
        minimize("mgh01", get("mgh01").x0, options={"numba": "yes"})


def test_a_division_by_zero_in_a_compiled_kernel_ends_the_run_as_in_the_plain_run():
    """Kowalik–Osborne's model has poles (a denominator u² + u x3 + x4 exactly 0: u = 4 at
    x = (0.2, 0.1, −4, 0)). The compiled kernels divide as NumPy does (inf/NaN, no
    ZeroDivisionError): a start on the pole ends both runs with status 3 and the same message, and
    Newton with a fixed step from x0, whose iterates pass near poles and grow to ~1e28 (where it
    ends depends on the last bits of the machine's arithmetic), ends both runs alike."""
    tf = get("kowalik_osborne")
    pole = np.array([0.2, 0.1, -4.0, 0.0])
    out = np.empty(1)
    tf.spec.jit("f")(pole, tf.p, out)  # u = 4: 16 − 16 + 0 = 0, exactly
    assert not np.isfinite(out[0])
    fast, plain = both(tf, pole, None, "newton")
    assert fast.status == 3 and "NaN or inf" in fast.message
    assert_same(fast, plain)
    fast, plain = both(tf, tf.x0, None, "newton")
    assert not fast.success and fast.status in (3, 4)
    assert_same(fast, plain)


def test_p_norms_are_summed_alike_in_both_runs():
    """‖g‖₁ and ‖g‖₃ over n = 12 entries (NumPy's np.sum adds pairwise, Numba's in order): the
    stopping test and the trace's gnorm column agree to the bit."""
    tf = get("mgh35", n=12)
    for order in (1.0, 3.0):
        fast, plain = both(tf, tf.x0, "wolfe", "gd", norm=order, maxiter=60, trace=True)
        assert_same(fast, plain)
        np.testing.assert_array_equal(fast.trace["gnorm"], plain.trace["gnorm"])


def test_a_lapack_refusal_in_the_compiled_run_ends_as_the_plain_run_does():
    """Saddle-free Newton with a fixed step on Biggs EXP6 reaches a Hessian whose |λ| overflow:
    LAPACK (called by Numba) refuses the non-finite matrix, NumPy returns NaN; both runs end with
    status 3 at the same iteration instead of an exception (or, through a first-class call, an
    undefined result). The iterates themselves, near 1e303, are LAPACK's eigh through NumPy and
    through Numba, which part in the last bits there."""
    tf = get("biggs_exp6")
    fast, plain = both(tf, tf.x0, None, "newton", maxiter=2000)
    assert fast.status == 3 and "search direction" in fast.message
    assert (fast.nit, fast.status, fast.message) == (plain.nit, plain.status, plain.message)


@pytest.mark.parametrize("name", PROBLEMS)
def test_partition_newton_compiled_equals_plain(name):
    """Partition Newton's summary from the formed Hessian (test functions have no HVPs of their
    own), per-coordinate groups (Newton's step) and one group (the Cauchy step), clipped rates."""
    tf = get(name)
    for options in ({}, {"groups": [list(range(tf.n))], "clip": True}):
        fast, plain = both(tf, tf.x0, "wolfe", method="partition-newton", maxiter=60, **options)
        assert_same(fast, plain)
        for key in ("rates", "summary_hess", "summary_grad"):
            np.testing.assert_array_equal(fast[key], plain[key])
