"""The exact oracle itself: its evaluation rules, its rounding, its derivatives against SymPy's,
its data tables against the kernels', and the minimizers it refines."""
import numpy as np
import pytest
import symengine as se
import sympy

from refopt.functions import get, names
from refopt.functions.catalog import EPS
from refopt.oracle.evaluate import Evaluator, Undefined
from refopt.oracle.golden import (Ladder, exact_point, literature_differences, minimizer_doubles,
                                  nearest_double, refine_minimizer, round_up)
from refopt.oracle.symbolic import DEFINITIONS, derivatives, objective

x, y = se.symbols("x y")


def value_and_scale(expr, **env):
    v, s = Evaluator({se.Symbol(k): val for k, val in env.items()})(expr)
    return float(v), float(s)


# ---------------------------------------------------------------------------------------------
# evaluation rules (hand-computed values and scales)
# ---------------------------------------------------------------------------------------------
def test_a_sum_is_as_uncertain_as_its_terms():
    assert value_and_scale(x - y, x=3.0, y=3.0) == (0.0, 6.0)  # −1·y and 2·y are exact products
    assert value_and_scale(x + 2 * y, x=1.0, y=-0.5) == (0.0, 2.0)
    assert value_and_scale(x + se.Rational(1, 10), x=1.0)[1] == pytest.approx(1.1, rel=1e-15)  # 0.1 rounds


def test_a_product_keeps_its_second_order_term():
    v, s = value_and_scale((x - 1) * (y - 1), x=1.0, y=1.0)  # both factors vanish: (ε·1)(ε·1)/ε
    assert v == 0.0 and s == pytest.approx(EPS, rel=1e-12)
    v, s = value_and_scale(x * y, x=2.0, y=3.0)  # |xy| + |y|·2 + |x|·3 + ε·2·3
    assert value_and_scale(2 * x, x=3.0)[1] == 6.0 and value_and_scale(3 * x, x=2.0)[1] == 12.0
    assert v == 6.0 and s == pytest.approx(6.0 + 6.0 + 6.0 + EPS * 6.0, rel=1e-14)


def test_function_rules():
    v, s = value_and_scale(se.exp(x), x=2.0)
    assert v == pytest.approx(np.exp(2.0), rel=1e-15) and s == pytest.approx(np.exp(2.0) * 3.0, rel=1e-15)
    v, s = value_and_scale(se.log(x), x=0.5)
    assert v == pytest.approx(np.log(0.5), rel=1e-15) and s == pytest.approx(abs(np.log(0.5)) + 1.0, rel=1e-15)
    v, s = value_and_scale(se.sin(x), x=np.pi)  # sin(π) is 0 but a double π is not: scale π
    assert abs(v) < 1e-15 and s == pytest.approx(np.pi, rel=1e-15)
    v, s = value_and_scale(x ** se.Rational(1, 2), x=4.0)
    assert v == 2.0 and s == pytest.approx(2.0 * 1.5, rel=1e-15)


def test_undefined_values_are_reported():
    for expr, env in ((se.log(x), {"x": 0.0}), (1 / x, {"x": 0.0}),
                      (se.Piecewise((x, x > 0), (-x, x < 0)), {"x": 0.0})):
        with pytest.raises(Undefined):
            value_and_scale(expr, **env)
    assert value_and_scale(se.Piecewise((x, x > 0), (-x, x < 0)), x=-2.0) == (2.0, 2.0)


def test_inexact_numbers_are_refused():
    with pytest.raises(TypeError, match="Rational"):
        value_and_scale(x * se.RealDouble(0.1), x=1.0)


# ---------------------------------------------------------------------------------------------
# rounding to the nearest double
# ---------------------------------------------------------------------------------------------
def test_exact_zero_and_tiny_values():
    ladder = Ladder([x], [2.0])
    assert ladder.double(se.exp(se.log(x)) - 2)[0] == 0.0  # zero at 50 and at 100 digits
    v, _ = ladder.double((x - 2) + se.Rational(1, 10**120) * x)  # tiny, seen at 200 digits
    assert v == 2e-120


def test_ties_round_half_to_even():
    tie = se.Rational(1, 2**53)
    assert Ladder([x], [1.0]).double(x + tie)[0] == 1.0  # exact in binary: 1 + 2^-53 → 1
    assert Ladder([x], [1.0]).double(x + 3 * tie)[0] == 1.0 + 2**-51  # 1.5 ulp: to the even 2 ulp
    # a tie reached through 1/5, which no binary precision holds exactly: decided in rationals
    v, _ = Ladder([x], [1.0]).double((x / 5 + tie / 5) * 5)
    assert v == 1.0


def test_round_up_keeps_a_bound():
    assert round_up(1234.0) == 1240.0 and round_up(0.5) == 0.5 and round_up(0) == 0.0
    assert round_up(0.001) == 0.00101  # the double 0.001 is 1/1000 + 2e-20: up, not down
    assert round_up(9.991) == 10.0


def test_nearest_double_is_correct_against_a_float_evaluation():
    v, _ = nearest_double(lambda digits: Evaluator({x: 0.1}, digits)(x * 3))
    assert v == 0.30000000000000004  # 3 × the double 0.1, rounded once


# ---------------------------------------------------------------------------------------------
# the definitions: SymEngine's derivatives against SymPy's; data tables against the kernels'
# ---------------------------------------------------------------------------------------------
SMALL = [n for n in names() if get(n).n <= 4 and (get(n).m or 0) <= 11]


@pytest.mark.parametrize("name", SMALL)
def test_symengine_derivatives_equal_sympy_derivatives(name):
    tf = get(name)
    xs, f = objective(sympy, name, tf.n, tf.m)
    d = derivatives(name, tf.n, tf.m)
    ours = Evaluator(dict(zip(d.x, tf.x0.tolist())))
    theirs = Evaluator(dict(zip(d.x, tf.x0.tolist())))
    g = [se.sympify(sympy.diff(f, v)) for v in xs]
    for i in range(tf.n):
        assert abs(ours.value(d.grad[i]) - theirs.value(g[i])) <= 1e-40 * (1 + abs(ours.value(d.grad[i])))
        for j in range(i + 1):
            h = se.sympify(sympy.diff(f, xs[i], xs[j]))
            assert abs(ours.value(d.hess[i][j]) - theirs.value(h)) <= 1e-40 * (1 + abs(theirs.value(h)))


def test_every_registered_function_has_a_symbolic_definition():
    derivatives("rosenbrock", 2, None)  # loads the definitions
    assert sorted(DEFINITIONS) == sorted(names())


@pytest.mark.parametrize("module,table,oracle_table", [
    ("bard", "Y", "BARD_Y"), ("kowalik_osborne", "Y", "KOWALIK_Y"), ("kowalik_osborne", "U", "KOWALIK_U"),
    ("meyer", "Y", "MEYER_Y"), ("osborne_1", "Y", "OSBORNE1_Y"), ("osborne_2", "Y", "OSBORNE2_Y"),
])
def test_data_tables_agree_with_the_kernels(module, table, oracle_table):
    """The oracle's tables were typed from MINPACK's ssqfcn, the kernels' from the paper."""
    import importlib

    from refopt.oracle import mgh

    kernel = np.asarray(getattr(importlib.import_module(f"refopt.functions.mgh.{module}"), table))
    np.testing.assert_array_equal(kernel, [float(v) for v in getattr(mgh, oracle_table)])


# ---------------------------------------------------------------------------------------------
# minimizers to full precision, and the literature's printed f*
# ---------------------------------------------------------------------------------------------
REFINED = [("jennrich_sampson", None), ("bard", None), ("gaussian", None), ("meyer", None),
           ("kowalik_osborne", None), ("brown_dennis", None), ("osborne_1", None), ("osborne_2", None),
           ("watson", 6), ("watson", 9), ("watson", 12), ("penalty_i", 4), ("penalty_i", 10),
           ("penalty_ii", 4), ("penalty_ii", 10), ("powell_badly_scaled", None), ("brown_badly_scaled", None),
           ("dixon_price", None),
           ("easom", None), ("mccormick", None), ("schwefel", None), ("six_hump_camel", None),
           ("styblinski_tang", None)]


@pytest.mark.parametrize("name,n", REFINED)
def test_xstar_is_the_double_nearest_the_refined_minimizer(name, n):
    """Newton in 120 digits from the stored x* lands on a point whose doubles are the stored x*,
    and f there rounds to the stored f*."""
    tf = get(name, n=n)
    xs, _ = refine_minimizer(tf, tf.xstar)
    x_double, fstar = minimizer_doubles(tf, xs)
    assert x_double == tf.xstar.tolist()
    assert fstar == tf.fstar


@pytest.mark.parametrize("name", [n for n in names() if get(n).xstar is not None and n not in dict(REFINED)])
def test_other_minimizers_are_exact_or_on_a_manifold(name):
    """x* given exactly (every exact gradient entry 0), or on a manifold of minimizers where the
    stored doubles are within rounding of it (the linear rank-1 problems), or at a kink (Ackley)."""
    tf = get(name)
    g = exact_point(tf, tf.xstar)
    if name == "ackley":
        assert g["grad"] is None
    elif name in ("linear_rank1", "linear_rank1_zero_cols_rows"):
        H = np.array(g["hess"])
        assert np.all(np.abs(g["grad"]) <= 4 * EPS * np.abs(H) @ np.abs(tf.xstar))
    else:
        assert g["grad"] == [0.0] * tf.n


def test_printed_fstar_differences_are_the_reported_ones():
    """Where the refined f* differs from the printed one beyond its last digit (reported in
    test_functions/README.md): MGH's tables truncate rather than round five of their values."""
    functions = [get(n) for n in names()] + [get("watson", n=9), get("watson", n=12),
                                             get("penalty_i", n=10), get("penalty_ii", n=10)]
    assert [(name, n) for name, n, *_ in literature_differences(functions)] == [
        ("bard", 3), ("meyer", 3), ("kowalik_osborne", 4), ("penalty_i", 4), ("mccormick", 2),
        ("styblinski_tang", 2), ("penalty_ii", 10)]
