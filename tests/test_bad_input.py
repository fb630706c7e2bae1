"""Every public entry point refuses bad input clearly (a property-based harness).

For each argument of each public function and method, hypothesis draws values of the wrong kind
(strings, None, booleans for numbers, complex numbers, floats where an int is required, lists,
dicts), out of range, non-finite, or arrays of the wrong shape or dtype. The call must raise
exactly TypeError or ValueError (never IndexError, ZeroDivisionError, LinAlgError,
UFuncTypeError, a Numba typing error — nor succeed), with a one-line message that names the
argument. The allowed values are written here independently of the code (the tables of
docs/inputs.md). Examples per case: 6 in the default profile, 100 with
HYPOTHESIS_PROFILE=thorough.
"""
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refopt.ad as ad
import refopt.ad.numpy as rnp
from refopt import MLP, check_grad, check_hessian, minimize
from refopt.cli import main
from refopt.functions import get, names
from refopt import spectral as sp
from refopt.nn import teacher_student
from refopt.stochastic import (StreamingLogistic, covariance, default_checkpoints, design, fit_logistic, labels,
                               logistic_mle, make_logistic, population_hessian, start_point, stream)

settings.register_profile("default", max_examples=6, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("thorough", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")

# ---------------------------------------------------------------------------------------------
# bad values, by what was expected
# ---------------------------------------------------------------------------------------------
OTHER = st.one_of(st.text(max_size=3), st.none(), st.booleans(), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
                  st.complex_numbers(min_magnitude=0.5, max_magnitude=10, allow_nan=False, allow_infinity=False)
                  .filter(lambda z: z.imag != 0))
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])


def not_a_real(allow_none=False):
    """Values that are not a real number (bools and complex included; None unless allowed)."""
    return OTHER.filter(lambda v: not (allow_none and v is None))


def real_outside(lo=-math.inf, hi=math.inf, lo_open=False, hi_open=False, allow_none=False, allow_inf=False):
    """Reals outside [lo, hi] (or the open interval), non-finite values, and non-reals."""
    parts = [not_a_real(allow_none), st.just(math.nan)]
    if not allow_inf:
        parts.append(st.sampled_from([math.inf, -math.inf]))
    if lo > -math.inf:
        parts.append(st.floats(max_value=lo, exclude_max=not lo_open, allow_nan=False, allow_infinity=False))
    if hi < math.inf:
        parts.append(st.floats(min_value=hi, exclude_min=not hi_open, allow_nan=False, allow_infinity=False))
    return st.one_of(*parts)


def int_outside(lo=None, hi=None, allow_none=False):
    """Ints outside [lo, hi], floats (even 2.0: no silent coercion), and other kinds."""
    parts = [not_a_real(allow_none), st.floats(allow_nan=True), st.integers().map(float)]
    if lo is not None:
        parts.append(st.integers(max_value=lo - 1))
    if hi is not None:
        parts.append(st.integers(min_value=hi + 1))
    return st.one_of(*parts)


def bad_choice(allowed):
    return st.one_of(OTHER.filter(lambda v: v not in allowed),
                     st.text(max_size=6).filter(lambda v: v not in allowed))


def bad_array(shape):
    """Arrays (and array-likes) that are not real arrays of ``shape`` (None: any length)."""
    good = tuple(3 if s is None else s for s in shape)
    wrong_shapes = st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple).filter(
        lambda s: len(s) != len(shape) or any(a is not None and a != b for a, b in zip(shape, s))
        or (0 in s and None in shape))
    return st.one_of(
        wrong_shapes.map(lambda s: np.ones(s)),
        st.just(np.ones(good, dtype=bool)),
        st.just(np.ones(good) + 1j),
        st.just(np.full(good, "a")),
        st.builds(lambda v: np.full(good, v), NON_FINITE),
        st.just([[1.0, 2.0], [3.0]]),  # ragged
        st.sampled_from([None, "x", {"a": 1}, object()]),
    )


# ---------------------------------------------------------------------------------------------
# the entry points: (label, call with the bad value, the name the message must contain, values)
# ---------------------------------------------------------------------------------------------
ROSEN = get("rosenbrock")
X2 = np.array([-1.2, 1.0])


def f_quad(x):
    return float(x @ x)


def g_quad(x):
    return 2.0 * x


SYM = np.diag([1.0, 2.0, 3.0, 4.0])


def h_quad(x):
    return 2.0 * np.eye(x.size)


M = MLP([3, 4, 2], activation="tanh", loss="mse")
TH = M.init(0)
XM = np.random.default_rng(0).standard_normal((5, 3))
YM = np.random.default_rng(1).standard_normal((5, 2))
SLQ = sp.slq_density(SYM, steps=2)
XL, YL = make_logistic(200, [1.0, -1.0], seed=0)

CASES = [
    ("get name", lambda v: get(v), "name", st.one_of(OTHER.filter(lambda v: not isinstance(v, str)),
                                                      st.text(max_size=5).filter(lambda v: v.strip().lower() not in names()))),
    ("get n", lambda v: get("rosenbrock", n=v), "n", int_outside(lo=2, allow_none=True)),
    ("get m", lambda v: get("mgh32", m=v), "m", int_outside(lo=10, allow_none=True)),
    ("TestFunction.f x", lambda v: ROSEN.f(v), "x", bad_array((2,))),
    ("TestFunction.grad x", lambda v: ROSEN.grad(v), "x", bad_array((2,))),
    ("TestFunction.hess x", lambda v: ROSEN.hess(v), "x", bad_array((2,))),
    ("TestFunction.f_batch X", lambda v: ROSEN.f_batch(v), "X", bad_array((None, 2))),
    ("TestFunction.grad_batch X", lambda v: ROSEN.grad_batch(v), "X", bad_array((None, 2))),
    ("TestFunction.hess_batch X", lambda v: ROSEN.hess_batch(v), "X", bad_array((None, 2))),
    ("check_grad f", lambda v: check_grad(v, g_quad, X2), "f", OTHER),
    ("check_grad grad", lambda v: check_grad(f_quad, v, X2), "grad", OTHER),
    ("check_grad x", lambda v: check_grad(f_quad, g_quad, v), "x", bad_array((None,))),
    ("check_grad method", lambda v: check_grad(f_quad, g_quad, X2, method=v), "method", bad_choice(("richardson", "complex"))),
    ("check_grad rtol", lambda v: check_grad(f_quad, g_quad, X2, rtol=v), "rtol", real_outside(0.0, lo_open=True, allow_none=True)),
    ("check_hessian fun", lambda v: check_hessian(v, h_quad, X2), "fun", OTHER),
    ("check_hessian hess", lambda v: check_hessian(g_quad, v, X2), "hess", OTHER),
    ("check_hessian x", lambda v: check_hessian(g_quad, h_quad, v), "x", bad_array((None,))),
    ("check_hessian fun_is", lambda v: check_hessian(g_quad, h_quad, X2, fun_is=v), "fun_is", bad_choice(("grad", "f"))),
    ("check_hessian method", lambda v: check_hessian(g_quad, h_quad, X2, method=v), "method", bad_choice(("richardson", "complex"))),
    ("check_hessian rtol", lambda v: check_hessian(g_quad, h_quad, X2, rtol=v), "rtol", real_outside(0.0, lo_open=True, allow_none=True)),
    # minimize: the arguments (the options follow below, for every method and both loops)
    ("minimize fun", lambda v: minimize(v, X2, jac=g_quad), "fun", st.one_of(
        st.integers(), st.floats(), st.none(), st.lists(st.integers(), max_size=2), st.text(max_size=4).filter(
            lambda v: v.strip().lower() not in names()))),
    ("minimize x0", lambda v: minimize("mgh01", v), "x", bad_array((2,))),  # MGH 1: n = 2 only
    ("minimize x0 (callable)", lambda v: minimize(f_quad, v, jac=g_quad), "x0", bad_array((None,)).filter(
        lambda v: not (isinstance(v, np.ndarray) and v.dtype.kind in "iuf" and v.ndim == 0 and np.isfinite(v).all()))),
    ("minimize method", lambda v: minimize("rosenbrock", X2, method=v), "method", bad_choice(
        ("bfgs", "newton", "gd", "ogr", "ogr-diag", "ogr-subspace", "BFGS", "Newton", "GD", "OGR"))),
    ("minimize jac", lambda v: minimize(f_quad, X2, jac=v), "jac", st.one_of(
        st.integers(), st.floats(), st.text(max_size=3), st.just(False), st.none())),
    ("minimize hess", lambda v: minimize(f_quad, X2, jac=g_quad, method="newton", hess=v), "hess",
     st.one_of(st.integers(), st.floats(), st.text(max_size=3), st.none())),
    ("minimize line_search", lambda v: minimize("rosenbrock", X2, line_search=v), "line_search",
     bad_choice(("wolfe", "armijo", None))),
    ("minimize options", lambda v: minimize("rosenbrock", X2, options=v), "options", st.one_of(
        st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=2), st.just({1: 2}),
        st.dictionaries(st.text(min_size=1, max_size=5).filter(lambda k: k not in ("gtol", "norm", "maxiter", "c1",
                        "c2", "step", "trace", "disp", "bounds", "numba", "update", "h0")), st.integers(), min_size=1, max_size=2))),
    ("minimize callback", lambda v: minimize("rosenbrock", X2, callback=v), "callback", st.one_of(
        st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=1))),
    ("minimize args", lambda v: minimize(lambda x, a: f_quad(x), X2, jac=lambda x, a: g_quad(x), args=v), "args",
     st.one_of(st.lists(st.integers(), max_size=2), st.integers(), st.text(max_size=2), st.none())),
    ("minimize args with a test function", lambda v: minimize("rosenbrock", X2, args=v), "args",
     st.tuples(st.integers())),
    ("minimize complex jac", lambda v: minimize(f_quad, X2, jac=lambda x: g_quad(x) + v), "gradient",
     st.complex_numbers(min_magnitude=1e-3, max_magnitude=1, allow_nan=False).filter(lambda z: z.imag != 0)),
    ("minimize complex hess", lambda v: minimize(f_quad, X2, jac=g_quad, method="newton", hess=lambda x: h_quad(x) + v),
     "Hessian", st.complex_numbers(min_magnitude=1e-3, max_magnitude=1, allow_nan=False).filter(lambda z: z.imag != 0)),
    ("minimize complex fun", lambda v: minimize(lambda x: f_quad(x) + v, X2, jac=g_quad), "fun",
     st.complex_numbers(min_magnitude=1e-3, max_magnitude=1, allow_nan=False).filter(lambda z: z.imag != 0)),
    # refopt.ad
    *[(f"ad.{op.__name__} fun", lambda v, op=op: op(v), "fun", OTHER)
      for op in (ad.grad, ad.value_and_grad, ad.hvp, ad.jacobian, ad.hessian)],
    *[(f"ad.{op.__name__} argnum", lambda v, op=op: op(rnp.sum, argnum=v), "argnum", int_outside())
      for op in (ad.grad, ad.value_and_grad, ad.hvp, ad.jacobian, ad.hessian)],
    *[(f"ad.{op.__name__} chunk", lambda v, op=op: op(rnp.sum, chunk=v), "chunk", int_outside(lo=1, allow_none=True))
      for op in (ad.jacobian, ad.hessian)],
    *[(f"ad.{op.__name__} memory", lambda v, op=op: op(rnp.sum, memory=v), "memory", int_outside(lo=1))
      for op in (ad.jacobian, ad.hessian)],
    ("ad.grad x", lambda v: ad.grad(rnp.sum)(v), "x", st.one_of(
        st.just(np.ones(3) + 1j), st.just(np.ones(3, dtype=bool)), st.just(np.full(3, "a")), st.just("x"), st.just([[1.0], [1.0, 2.0]]))),
    ("ad.hessian x", lambda v: ad.hessian(rnp.sum)(v), "x", st.one_of(
        st.just(np.ones(3) + 1j), st.just(np.ones(3, dtype=bool)), st.just(np.full(3, "a")))),
    ("ad.jvp fun", lambda v: ad.jvp(v, np.ones(2), np.ones(2)), "fun", OTHER),
    ("ad.jvp v", lambda v: ad.jvp(rnp.sin, np.ones(2), v), "v", bad_array((2,)).filter(
        lambda v: not (isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == (2,)))),
    ("ad.vjp fun", lambda v: ad.vjp(v, np.ones(2)), "fun", OTHER),
    ("ad.vjp cotangent", lambda v: ad.vjp(rnp.sin, np.ones(2))[1](v), "cotangent", bad_array((2,)).filter(
        lambda v: not (isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == (2,)))),
    # MLP and teacher-student data
    ("MLP sizes", lambda v: MLP(v), "sizes", st.one_of(
        st.integers(), st.text(max_size=3), st.none(), st.lists(st.integers(1, 5), max_size=1),
        st.lists(st.integers(1, 5), min_size=2, max_size=3).flatmap(
            lambda s: st.sampled_from([s[:1] + [float(s[1]) + 0.7] + s[2:], s[:1] + [0] + s[2:], s[:1] + [True] + s[2:],
                                       s[:1] + [-s[1]] + s[2:], s[:1] + ["2"] + s[2:]])))),
    ("MLP activation", lambda v: MLP([2, 2], activation=v), "activation", st.one_of(
        st.integers(), st.none(), st.sampled_from(["swish", "poly0", "leaky_softplus:2", "tan h"]))),
    ("MLP bias", lambda v: MLP([2, 2], bias=v), "bias", st.one_of(
        st.integers(), st.text(max_size=3), st.none(), st.floats())),
    ("MLP loss", lambda v: MLP([2, 2], loss=v), "loss", st.one_of(st.integers(), st.none(), st.sampled_from(["hinge", "l2"]))),
    ("MLP.loss theta", lambda v: M.loss(v, XM, YM), "theta", bad_array((M.n_params,))),
    ("MLP.grad X", lambda v: M.grad(TH, v, YM), "X", bad_array((None, 3))),
    ("MLP.hessian y", lambda v: M.hessian(TH, XM, v), "y", bad_array((5, 2))),
    ("MLP.ggn theta", lambda v: M.ggn(v, XM, YM), "theta", bad_array((M.n_params,))),
    ("MLP.hvp v", lambda v: M.hvp(TH, XM, YM, v), "v", bad_array((M.n_params,))),
    ("MLP.layer_hessian layer", lambda v: M.layer_hessian(TH, XM, YM, v), "layer", int_outside(lo=-2, hi=1)),
    ("MLP.hessian chunk", lambda v: M.hessian(TH, XM, YM, chunk=v), "chunk", int_outside(lo=1, allow_none=True)),
    ("MLP.init seed", lambda v: M.init(v), "seed", int_outside(lo=0, allow_none=True)),
    ("MLP.predict X", lambda v: M.predict(TH, v), "X", bad_array((None, 3))),
    ("teacher_student mlp", lambda v: teacher_student(v, 10), "mlp", OTHER),
    ("teacher_student n", lambda v: teacher_student(M, v), "n", int_outside(lo=1)),
    ("teacher_student seed", lambda v: teacher_student(M, 5, seed=v), "seed", int_outside(lo=0, allow_none=True)),
    ("teacher_student noise", lambda v: teacher_student(M, 5, noise=v), "noise", real_outside(0.0)),
    ("teacher_student theta_star", lambda v: teacher_student(M, 5, theta_star=v), "theta_star",
     bad_array((M.n_params,)).filter(lambda v: v is not None)),
    ("MLP.hessian_operator layer", lambda v: M.hessian_operator(TH, XM, YM, layer=v), "layer",
     int_outside(lo=-2, hi=1, allow_none=True)),
    ("MLP.ggn_operator theta", lambda v: M.ggn_operator(v, XM, YM), "theta", bad_array((M.n_params,))),
    ("MLP operator product v", lambda v: M.hessian_operator(TH, XM, YM).matvec(v), "v", bad_array((M.n_params,)).filter(
        lambda v: not (isinstance(v, np.ndarray) and v.shape == (M.n_params, 1)))),
    ("MLP.layer_factors layer", lambda v: M.layer_factors(TH, XM, YM, v), "layer", int_outside(lo=-2, hi=1)),
    # refopt.spectral: the operator, every option, and bad products
    ("spectral operator (matrix)", lambda v: sp.lanczos(v, steps=1), "matvec", st.one_of(
        bad_array((3, 3)).filter(lambda v: v is not None and not callable(v) and not (
            isinstance(v, np.ndarray) and v.ndim == 2 and v.size > 0 and v.shape[0] == v.shape[1]
            and v.dtype.kind == "f" and np.isfinite(v).all() and np.array_equal(v, v.T))),
        st.just(np.triu(np.ones((3, 3)))), st.just(np.ones((2, 3))))),
    ("spectral n with a callable", lambda v: sp.hutchinson_trace(lambda u: u, v), "n", int_outside(lo=1)),
    ("spectral n against a matrix", lambda v: sp.hutchinson_trace(np.eye(3), v), "n", st.integers(1, 9).filter(lambda k: k != 3)),
    ("spectral product shape", lambda v: sp.lanczos_topk(lambda u: np.ones(v), 4, k=1), "matvec",
     st.integers(0, 9).filter(lambda k: k != 4)),
    ("spectral product values", lambda v: sp.hutchinson_diagonal(lambda u: v, 2, samples=1), "matvec", st.one_of(
        st.just(np.array([np.nan, 1.0])), st.just(np.array([1.0, np.inf])), st.just(np.ones(2) + 1j),
        st.just(np.array(["a", "b"])), st.just(None), st.just(np.ones((2, 2))))),
    ("numerical_rank H", lambda v: sp.numerical_rank(v), "H", bad_array((3, 3)).filter(
        lambda v: not (isinstance(v, np.ndarray) and v.ndim == 2 and v.size > 0 and v.dtype.kind == "f"
                       and np.isfinite(v).all()))),
    ("numerical_rank tol", lambda v: sp.numerical_rank(np.eye(2), tol=v), "tol", real_outside(0.0, allow_none=True)),
    ("lanczos steps", lambda v: sp.lanczos(SYM, steps=v), "steps", int_outside(lo=1, hi=4)),
    ("lanczos seed", lambda v: sp.lanczos(SYM, steps=2, seed=v), "seed", int_outside(lo=0, allow_none=True)),
    ("lanczos reorth", lambda v: sp.lanczos(SYM, steps=2, reorth=v), "reorth", bad_choice(("full", "none"))),
    ("lanczos start", lambda v: sp.lanczos(SYM, steps=2, start=v), "start", st.one_of(
        bad_array((4,)).filter(lambda v: v is not None), st.just(np.zeros(4)))),
    ("lanczos_topk k", lambda v: sp.lanczos_topk(SYM, k=v), "k", int_outside(lo=1, hi=4)),
    ("lanczos_topk which", lambda v: sp.lanczos_topk(SYM, k=1, which=v), "which", bad_choice(("LA", "SA", "BE", "LM"))),
    ("lanczos_topk tol", lambda v: sp.lanczos_topk(SYM, k=1, tol=v), "tol", real_outside(0.0, 1.0, lo_open=True)),
    ("lanczos_topk vectors", lambda v: sp.lanczos_topk(SYM, k=1, vectors=v), "vectors", st.one_of(
        st.integers(), st.text(max_size=2), st.none())),
    ("lanczos_topk basis", lambda v: sp.lanczos_topk(SYM, k=2, basis=v), "basis", st.one_of(
        int_outside(lo=2, hi=4, allow_none=True), st.just(2))),
    ("lanczos_topk maxiter", lambda v: sp.lanczos_topk(SYM, k=1, maxiter=v), "maxiter", int_outside(lo=1)),
    ("hutchinson_trace samples", lambda v: sp.hutchinson_trace(SYM, samples=v), "samples", int_outside(lo=1)),
    ("hutchinson_trace dist", lambda v: sp.hutchinson_trace(SYM, dist=v), "dist", bad_choice(("rademacher", "gaussian"))),
    ("hutchinson_trace seed", lambda v: sp.hutchinson_trace(SYM, seed=v), "seed", int_outside(lo=0, allow_none=True)),
    ("hutchpp_trace matvecs", lambda v: sp.hutchpp_trace(SYM, matvecs=v), "matvecs", int_outside(lo=3)),
    ("hutchpp_trace dist", lambda v: sp.hutchpp_trace(SYM, dist=v), "dist", bad_choice(("rademacher", "gaussian"))),
    ("hutchinson_diagonal samples", lambda v: sp.hutchinson_diagonal(SYM, samples=v), "samples", int_outside(lo=1)),
    ("slq_density steps", lambda v: sp.slq_density(SYM, steps=v), "steps", int_outside(lo=1, hi=4)),
    ("slq_density probes", lambda v: sp.slq_density(SYM, steps=2, probes=v), "probes", int_outside(lo=1)),
    ("slq_density dist", lambda v: sp.slq_density(SYM, steps=2, dist=v), "dist", bad_choice(("rademacher", "gaussian"))),
    ("slq_density reorth", lambda v: sp.slq_density(SYM, steps=2, reorth=v), "reorth", bad_choice(("full", "none"))),
    ("smooth_density slq", lambda v: sp.smooth_density(v), "slq", OTHER),
    ("smooth_density convention", lambda v: sp.smooth_density(SLQ, convention=v), "convention",
     bad_choice(("pyhessian", "papyan"))),
    ("smooth_density grid", lambda v: sp.smooth_density(SLQ, grid=v), "grid", st.one_of(
        bad_array((None,)).filter(lambda v: v is not None), st.just(np.array([1.0, 0.0])), st.just(np.array([1.0])))),
    ("smooth_density points", lambda v: sp.smooth_density(SLQ, points=v), "points", int_outside(lo=2)),
    ("overlap V1", lambda v: sp.overlap(v, np.eye(4)[:, :2]), "V1", st.one_of(
        bad_array((4, 2)).filter(lambda v: v is not None and not (isinstance(v, np.ndarray) and v.ndim == 1)),
        st.just(np.ones((4, 2))), st.just(np.eye(2, 4)))),
    ("overlap V2", lambda v: sp.overlap(np.eye(4)[:, :2], v), "V2", st.one_of(
        st.just(2 * np.eye(4)[:, :2]), st.just(np.eye(4)[:, :3]), st.just(np.eye(5)[:, :2]))),
    ("marchenko_pastur_density q", lambda v: sp.marchenko_pastur_density(1.0, v), "q", real_outside(0.0, lo_open=True)),
    ("marchenko_pastur_density scale", lambda v: sp.marchenko_pastur_density(1.0, 0.5, v), "scale",
     real_outside(0.0, lo_open=True)),
    ("marchenko_pastur_density x", lambda v: sp.marchenko_pastur_density(v, 0.5), "x", st.one_of(
        st.just(np.ones(2) + 1j), st.just(np.array([np.nan])), st.just("x"), st.just(None))),
    ("mp_chi2_density ni", lambda v: sp.mp_chi2_density(1.0, v, 4, 0.5, 0.5), "ni", int_outside(lo=1)),
    ("mp_chi2_density nh", lambda v: sp.mp_chi2_density(1.0, 4, v, 0.5, 0.5), "nh", int_outside(lo=1)),
    ("mp_chi2_density s1", lambda v: sp.mp_chi2_density(1.0, 4, 4, v, 0.5), "s1", real_outside(0.0, lo_open=True)),
    ("mp_chi2_cdf s2", lambda v: sp.mp_chi2_cdf(1.0, 4, 4, 0.5, v), "s2", real_outside(0.0, lo_open=True)),
    ("mp_chi2_density nodes", lambda v: sp.mp_chi2_density(1.0, 4, 4, 0.5, 0.5, nodes=v), "nodes", int_outside(lo=8)),
    ("mp_chi2_density error", lambda v: sp.mp_chi2_density(1.0, 4, 4, 0.5, 0.5, error=v), "error", st.one_of(
        st.integers(), st.text(max_size=2), st.none())),
    # refopt.stochastic
    ("fit_logistic X", lambda v: fit_logistic(v, YL), "X", bad_array((200, 2))),
    ("fit_logistic y", lambda v: fit_logistic(XL, v), "y", st.one_of(
        bad_array((200,)), st.just(np.full(200, 0.5)), st.just(np.full(200, 2.0)))),
    ("fit_logistic method", lambda v: fit_logistic(XL, YL, method=v), "method", bad_choice(("hybrid", "sn", "wasn", "sgd", "SN"))),
    ("fit_logistic theta0", lambda v: fit_logistic(XL, YL, theta0=v), "theta0", bad_array((2,)).filter(
        lambda v: v is not None and not (isinstance(v, np.ndarray) and v.ndim == 1 and v.size > 0 and v.dtype.kind in "iuf"
                       and np.isfinite(v).all()))),
    ("fit_logistic intercept", lambda v: fit_logistic(XL, YL, intercept=v), "intercept", st.one_of(
        st.integers(), st.text(max_size=2), st.none(), st.floats())),
    ("fit_logistic theta_true", lambda v: fit_logistic(XL, YL, theta_true=v), "theta_true", st.one_of(
        st.just(np.ones(2) + 1j), st.just(np.ones(2, dtype=bool)), st.just([np.nan, 1.0]), st.just("x"))),
    ("fit_logistic checkpoints", lambda v: fit_logistic(XL, YL, theta_true=[1.0, -1.0], checkpoints=v), "checkpoints",
     st.one_of(st.just(np.array([1.5, 3.0])), st.just(np.array([3, 2])), st.just(np.array([0, 5])), st.just("x"),
               st.just(np.array([[1, 2]])))),
    ("fit_logistic hybrid alpha", lambda v: fit_logistic(XL, YL, alpha=v), "alpha", real_outside(0.0)),
    ("fit_logistic sn b", lambda v: fit_logistic(XL, YL, method="sn", b=v), "b", real_outside(0.0, 0.5, True, True)),
    ("fit_logistic wasn gamma", lambda v: fit_logistic(XL, YL, method="wasn", gamma=v), "gamma", real_outside(0.5, 1.0, True, True)),
    ("fit_logistic sgd average", lambda v: fit_logistic(XL, YL, method="sgd", average=v), "average", st.one_of(
        st.integers(), st.text(max_size=2), st.none())),
    ("fit_logistic unknown parameter", lambda v: fit_logistic(XL, YL, **{v: 1.0}), "parameters",
     st.text("abcdefgh_", min_size=1, max_size=6).filter(lambda k: k not in ("alpha", "beta"))),
    ("StreamingLogistic method", lambda v: StreamingLogistic(v), "method", bad_choice(("hybrid", "sn", "wasn", "sgd", "SN"))),
    ("StreamingLogistic.partial_fit X", lambda v: StreamingLogistic("sn", theta0=[0.0, 0.0]).partial_fit(v, YL), "X",
     bad_array((200, 2))),
    ("make_logistic n", lambda v: make_logistic(v, [1.0, 2.0]), "n", int_outside(lo=0)),
    ("make_logistic theta", lambda v: make_logistic(10, v), "theta", bad_array((None,)).filter(
        lambda v: not (isinstance(v, np.ndarray) and v.ndim == 1 and v.size > 0 and v.dtype.kind in "iuf"
                       and np.isfinite(v).all()))),
    ("make_logistic kind", lambda v: make_logistic(10, [1.0], kind=v), "kind", bad_choice(("gaussian", "toeplitz", "ill-conditioned"))),
    ("make_logistic rho", lambda v: make_logistic(10, [1.0, 1.0], kind="toeplitz", rho=v), "rho", real_outside(-1.0, 1.0, True, True)),
    ("make_logistic cond", lambda v: make_logistic(10, [1.0, 1.0], kind="ill-conditioned", cond=v), "cond", real_outside(1.0)),
    ("make_logistic intercept", lambda v: make_logistic(10, [1.0, 1.0], intercept=v), "intercept", st.one_of(
        st.integers(), st.text(max_size=2), st.none())),
    ("make_logistic seed", lambda v: make_logistic(10, [1.0], seed=v), "seed", int_outside(lo=0, allow_none=True)),
    ("covariance p", lambda v: covariance(v), "p", int_outside(lo=1)),
    ("design n", lambda v: design(v, 2), "n", int_outside(lo=0)),
    ("design seed", lambda v: design(5, 2, seed=v), "seed", int_outside(lo=0, allow_none=True)),
    ("labels X", lambda v: labels(v, [1.0, 2.0]), "X", bad_array((None, 2))),
    ("stream chunk", lambda v: next(stream(10, v, [1.0])), "chunk", int_outside(lo=1)),
    ("start_point r", lambda v: start_point([1.0, 2.0], v), "r", real_outside(0.0)),
    ("population_hessian cov", lambda v: population_hessian([1.0, 2.0], v), "cov", bad_array((2, 2))),
    ("default_checkpoints n_max", lambda v: default_checkpoints(v), "n_max", int_outside(lo=1)),
    ("logistic_mle X", lambda v: logistic_mle(v, YL), "X", bad_array((200, 2))),
    ("logistic_mle y", lambda v: logistic_mle(XL, v), "y", bad_array((200,))),
    ("logistic_mle intercept", lambda v: logistic_mle(XL, YL, intercept=v), "intercept", st.one_of(st.integers(), st.none())),
    ("logistic_mle theta0", lambda v: logistic_mle(XL, YL, theta0=v), "theta0", bad_array((2,)).filter(
        lambda v: v is not None)),
    ("logistic_mle gtol", lambda v: logistic_mle(XL, YL, gtol=v), "gtol", real_outside(0.0, lo_open=True)),
    ("logistic_mle maxiter", lambda v: logistic_mle(XL, YL, maxiter=v), "maxiter", int_outside(lo=1)),
]

# every option of every method, by the documented table, on both loops
COMMON_BAD = {
    "gtol": real_outside(0.0),
    "norm": st.one_of(not_a_real(), st.just(math.nan), st.floats(max_value=1.0, exclude_max=True, allow_nan=False,
                                                                   allow_infinity=False)),
    "maxiter": int_outside(lo=0, hi=2**62, allow_none=True),
    "c1": real_outside(0.0, 1.0, True, True),
    "c2": real_outside(0.0, 1.0, True, True),
    "trace": st.one_of(st.integers(), st.text(max_size=2), st.none(), st.floats()),
    "disp": st.one_of(st.integers(), st.text(max_size=2), st.none()),
    "numba": st.one_of(st.integers(), st.text(max_size=2), st.none()),
    "bounds": st.one_of(st.integers(), st.text(max_size=2), st.just((1.0,)), st.just((1.0, 0.0)), st.just(([0.0], [1.0])),
                        st.just((np.nan, 1.0)), st.just(("a", 1.0)), st.just((0.0, 1.0 + 1j)), st.just([0.0, 1.0, 2.0])),
}
STEP_BAD = {"step": real_outside(0.0, lo_open=True)}
OGR_BAD = {
    "beta": real_outside(0.0, 1.0, True, True, allow_none=True),
    "eps": real_outside(0.0, 1.0, lo_open=True),
    "eps_l": real_outside(0.0, 1.0),
    "eps_scale": bad_choice(("relative", "absolute")),
    "cap": bad_choice(("direction", "step")),
    "lr": real_outside(0.0, lo_open=True),
    "max_step": real_outside(0.0, lo_open=True, allow_inf=True),
    "momentum": real_outside(0.0, 1.0, lo_open=True, allow_none=True),
}
OPTIONS_BAD = {
    "bfgs": {**COMMON_BAD, **STEP_BAD, "update": bad_choice(("skip", "damped")), "h0": bad_choice(("scaled", "identity"))},
    "newton": {**COMMON_BAD, **STEP_BAD, "modify": bad_choice(("saddle-free", "lm")), "eps": real_outside(0.0, 1.0, True, True)},
    "gd": {**COMMON_BAD, **STEP_BAD},
    "ogr": {**COMMON_BAD, **OGR_BAD, "init": bad_choice(("first-sample", "prior"))},
    "ogr-diag": {**COMMON_BAD, **OGR_BAD, "init": bad_choice(("first-sample", "prior"))},
    "ogr-subspace": {**COMMON_BAD, **OGR_BAD, "init": st.one_of(st.just("prior"), bad_choice(("first-sample",))),
                     "d": int_outside(lo=1, hi=2, allow_none=True),
                     "eta": real_outside(0.0, lo_open=True), "lr_out": real_outside(0.0, lo_open=True, allow_none=True)},
    "partition-newton": {
        **COMMON_BAD, **STEP_BAD,
        # overlapping, leaving an index out, empty, naming an index >= n or < 0, not lists of ints
        "groups": st.one_of(st.sampled_from([[[0], [0, 1]], [[0, 1], [1]], [[0]], [[1]], [[], [0, 1]], [[0, 1], []],
                                             [[0, 1], [2]], [[0], [1], [-1]], [[0, 0], [1]], [[0.5], [1]],
                                             [[[0]], [1]], [], "x", 3, ([0], "1")]),
                            OTHER.filter(lambda v: v is not None)),
        "damping": real_outside(0.0, lo_open=True),
        "ridge": real_outside(0.0),
        "momentum": real_outside(0.0, 1.0, True, True, allow_none=True),
        "lambda_int": real_outside(0.0, lo_open=True, allow_none=True),
        "clip": st.one_of(st.integers(), st.text(max_size=2), st.none(), st.floats()),
        "ema": real_outside(0.0, 1.0, True, True, allow_none=True),
        "refresh": int_outside(lo=1),
    },
}
for method, table in OPTIONS_BAD.items():
    for option, values in table.items():
        for loop, fun, extra in (("compiled", "rosenbrock", {}), ("plain", f_quad, {"jac": g_quad, "hess": h_quad})):
            CASES.append((f"minimize {method} options[{option}] ({loop})",
                          lambda v, m=method, o=option, f=fun, e=extra: minimize(f, X2, method=m, options={o: v}, **e),
                          f"options['{option}']", values))


def _refused(call, value, name):
    try:
        call(value)
    except (TypeError, ValueError) as exc:
        assert type(exc) in (TypeError, ValueError), f"{type(exc).__name__} (a subclass) for {value!r}: {exc}"
        text = str(exc)
        assert name in text, f"the message does not name {name!r}: {text}"
        assert "\n" not in text, f"the message is not one line: {text!r}"
        return
    except Exception as exc:  # noqa: BLE001 - the point of the harness
        pytest.fail(f"{type(exc).__name__} instead of TypeError/ValueError for {value!r}: {exc}")
    pytest.fail(f"accepted {value!r}")


@pytest.mark.parametrize("label,call,name,values", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused(label, call, name, values):
    @settings(settings.get_profile(PROFILE))
    @given(values)
    def check(value):
        _refused(call, value, name)

    check()


def test_every_option_of_every_method_is_in_the_harness():
    from refopt.optim.minimize import METHODS

    assert {m: sorted(mod.OPTIONS) for m, mod in METHODS.items()} == {m: sorted(t) for m, t in OPTIONS_BAD.items()}


def test_options_are_refused_the_same_way_on_both_loops():
    """The compiled loop (a test function) and the plain loop (a callable) refuse the same values
    with the same message."""
    for method, table in OPTIONS_BAD.items():
        for option in table:
            value = {"bounds": (1.0, 0.0), "update": "full", "h0": "I", "modify": "x", "d": 0}.get(option, -1.0)
            messages = []
            for fun, extra in (("rosenbrock", {}), (f_quad, {"jac": g_quad, "hess": h_quad})):
                with pytest.raises((TypeError, ValueError)) as info:
                    minimize(fun, X2, method=method, options={option: value}, **extra)
                messages.append(str(info.value))
            assert messages[0] == messages[1], (method, option, messages)


# ---------------------------------------------------------------------------------------------
# stateful objects keep their state; the CLI exits 2 with one line
# ---------------------------------------------------------------------------------------------
@settings(settings.get_profile(PROFILE))
@given(bad=bad_array((50, 2)))
def test_a_refused_chunk_leaves_the_stream_as_it_was(bad):
    est = StreamingLogistic("hybrid", theta0=[0.0, 0.0]).partial_fit(XL[:100], YL[:100])
    before = (est.theta, est.hessian_estimate, est.n, est.success)
    with pytest.raises((TypeError, ValueError)):
        est.partial_fit(bad, YL[100:150])
    after = (est.theta, est.hessian_estimate, est.n, est.success)
    assert np.array_equal(before[0], after[0]) and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


@pytest.mark.parametrize("argv", [
    ["verify", "no_such_function"], ["functions", "show", "nope"], ["functions", "list", "--kind", "other"],
    ["reproduce", "nope"], ["reproduce", "mgh-suite", "--seed", "abc"], ["functions", "export", "--out", "/nonexistent/dir"],
    ["frobnicate"], [],
])
def test_cli_refuses_with_exit_status_2(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and ("error" in err[-1] or "usage" in err[0])


# ---------------------------------------------------------------------------------------------
# nothing half-written: the experiments' CSV files and figures
# ---------------------------------------------------------------------------------------------
def test_a_failing_report_leaves_no_half_written_file(tmp_path):
    from refopt.experiments import write_rows
    from refopt.files import save_figure

    class Bad:
        def __str__(self):
            raise RuntimeError("the content could not be produced")

    target = tmp_path / "rows.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        write_rows(target, [{"a": 1.0}, {"a": Bad()}])
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["rows.csv"]

    class BadFigure:
        def savefig(self, path, **kw):
            Path(path).write_bytes(b"\x89PNG half")
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        save_figure(BadFigure(), tmp_path / "figure.png")
    assert [p.name for p in tmp_path.iterdir()] == ["rows.csv"]
