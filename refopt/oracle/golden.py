"""Golden values: f, ∇f, ∇²f of a test function at a point, exact to double precision, with the
error scale a float64 implementation is held to; and minimizers refined to full precision.

**The double nearest the exact value.** The point x is given exactly (doubles are dyadic
rationals), the derivatives come from the symbolic definition (:mod:`refopt.oracle.symbolic`),
and they are evaluated in mpmath at 50 significant digits (:class:`~refopt.oracle.evaluate.Evaluator`).
With s the value's error scale, the evaluation's own error is far below ``10^-(digits-10)·s``; if the
whole interval value ± that bound rounds to one double, that double is the correctly rounded
exact value. If it does not (the value sits on a rounding boundary) the evaluation is repeated at
100 and 200 digits. A value whose magnitude stays below the bound at 50, 100 and 200 digits (below
10^-190 of its scale: an exact zero, such as f and ∇f at a zero-residual minimizer) is stored as 0.0. Every step is software
arithmetic, so the files are the same on every machine.

**The error scale** of each value is the magnitude computed alongside it (the module docstring of
:mod:`refopt.oracle.evaluate`), rounded up to three significant digits. A float64 implementation
that evaluates the same formula is held to

    |computed − golden| <= K · ε · scale + K · 2^-1022,      K = 32, ε = 2^-52

(the second term only matters where everything underflows; K and ε are
:data:`refopt.functions.catalog.K` and ``EPS``). K was set from measurement: refopt's
kernels stay below 5 units of ε·scale at every golden point (``refopt verify`` prints the worst
case of each function), so K = 32 leaves a margin for other CPUs' libm and summation orders.
"""
from __future__ import annotations

import mpmath

from .evaluate import Evaluator, Undefined, rational_value
from .symbolic import derivatives

__all__ = ["Ladder", "exact_point", "refine_minimizer", "minimizer_doubles", "nearest_double", "round_up",
           "printed_value", "literature_differences"]

DIGITS = (50, 100, 200)
GUARD = 10  # digits of the working precision given up to the evaluation's own error


class Ladder:
    """Evaluators of one point at increasing precision, created when first needed."""

    def __init__(self, symbols, x):
        self.env = dict(zip(symbols, x))
        self.levels: dict[int, Evaluator] = {}

    def at(self, digits: int) -> Evaluator:
        if digits not in self.levels:
            self.levels[digits] = Evaluator(self.env, digits)
        return self.levels[digits]

    def double(self, expr) -> tuple[float, float] | None:
        """(the double nearest the exact value, its error scale), or None where undefined."""
        try:
            return nearest_double(lambda digits: self.at(digits)(expr))
        except Undefined:
            return None
        except ArithmeticError:
            # on a rounding tie to every precision: only a rational expression gets there, and
            # its exact value decides (int / int division in Python rounds half to even)
            exact = rational_value(expr, self.env)
            return float(exact), round_up(self.at(DIGITS[0])(expr)[1])


def nearest_double(evaluate) -> tuple[float, float]:
    """``evaluate(digits) -> (value, scale)`` at increasing precision until the double nearest the
    exact value is certain; returns it with the scale rounded up to three digits.

    A value that comes out identical at two precisions was computed without rounding (a
    polynomial at dyadic points); it may lie exactly halfway between two doubles, and is then
    rounded half to even, as IEEE 754 rounds. (A tie reached through inexact intermediates, such
    as a multiple of 1/5 that cancels, raises ArithmeticError; the caller evaluates it exactly.)
    """
    previous = None
    for digits in DIGITS:
        v, s = evaluate(digits)
        bound = s * mpmath.mpf(10) ** (GUARD - digits)
        if abs(v) <= bound:
            if digits != DIGITS[-1]:
                previous = v
                continue  # zero to this precision: ask again with more digits
            return 0.0, round_up(s)
        lo, hi = float(v - bound), float(v + bound)
        if lo == hi:
            return lo, round_up(s)
        if previous is not None and v == previous:
            return float(v), round_up(s)  # exact, on a tie: mpmath rounds half to even
        previous = v
    raise ArithmeticError(f"the double nearest {v} is not certain at {DIGITS[-1]} digits")


def round_up(s) -> float:
    """s rounded up to three significant digits (a scale is a bound: never rounded down)."""
    if s == 0:
        return 0.0
    ctx = mpmath.MPContext()
    ctx.dps = 30
    s = ctx.mpf(s)
    e = int(ctx.floor(ctx.log10(s))) - 2
    m = int(ctx.ceil(s / ctx.mpf(10) ** e))
    return float(f"{m}e{e}")


def exact_point(tf, x) -> dict:
    """Golden f, ∇f, ∇²f at the point x (doubles) of TestFunction ``tf``, with error scales.

    Returns {"f", "f_scale", "grad", "grad_scale", "hess", "hess_scale"}; a value that does not
    exist at x (a kink) is None together with its scale.
    """
    d = derivatives(tf.name, tf.n, tf.m)
    ladder = Ladder(d.x, [float(v) for v in x])
    out = {}
    f = ladder.double(d.f)
    out["f"], out["f_scale"] = (None, None) if f is None else f
    g = [ladder.double(e) for e in d.grad]
    if any(v is None for v in g):
        out["grad"] = out["grad_scale"] = None
    else:
        out["grad"], out["grad_scale"] = [v for v, _ in g], [s for _, s in g]
    low = [[ladder.double(e) for e in row] for row in d.hess]
    if any(v is None for row in low for v in row):
        out["hess"] = out["hess_scale"] = None
    else:
        n = tf.n
        entry = lambda i, j: low[max(i, j)][min(i, j)]  # noqa: E731
        out["hess"] = [[entry(i, j)[0] for j in range(n)] for i in range(n)]
        out["hess_scale"] = [[entry(i, j)[1] for j in range(n)] for i in range(n)]
    return out


def refine_minimizer(tf, start, digits: int = 120, max_steps: int = 60):
    """Newton's method on ∇f = 0 in ``digits``-digit arithmetic from ``start``, with the exact
    symbolic gradient and Hessian; the step is the least-norm solution (singular values below
    10^-(digits/2) of the largest are dropped), so a minimizer on a manifold (a singular Hessian)
    is approached along the normal space.

    Returns (x*, f*) as mpmath numbers: x* to ``digits`` digits and f* = f(x*), to be rounded with
    :func:`minimizer_doubles`.
    """
    d = derivatives(tf.name, tf.n, tf.m)
    ctx = mpmath.MPContext()
    ctx.dps = digits
    x = [ctx.mpf(float(v)) for v in start]
    for _ in range(max_steps):
        ev = Evaluator(dict(zip(d.x, x)), digits)
        g = ctx.matrix([ev.value(e) for e in d.grad])
        H = ctx.matrix(tf.n, tf.n)
        for i, row in enumerate(d.hess):
            for j, e in enumerate(row):
                H[i, j] = H[j, i] = ev.value(e)
        U, S, V = ctx.svd_r(H)
        keep = [k for k in range(tf.n) if S[k] > S[0] * ctx.mpf(10) ** (-digits // 2)]
        step = ctx.matrix(tf.n, 1)
        for k in keep:
            c = sum(U[i, k] * g[i] for i in range(tf.n)) / S[k]
            for i in range(tf.n):
                step[i] -= c * V[k, i]
        x = [x[i] + step[i] for i in range(tf.n)]
        size = max(abs(step[i]) / max(1, abs(x[i])) for i in range(tf.n))
        if size < ctx.mpf(10) ** (-digits + 5):
            break
    else:
        raise ArithmeticError(f"{tf.name}: Newton did not converge from {list(start)}")
    return x, Evaluator(dict(zip(d.x, x)), digits).value(d.f)


def minimizer_doubles(tf, xstar_exact) -> tuple[list[float], float]:
    """The doubles nearest x* (given to high precision) and nearest f(x*) (exact zero stays 0)."""
    d = derivatives(tf.name, tf.n, tf.m)
    x = [float(v) for v in xstar_exact]
    fstar, _ = nearest_double(lambda digits: Evaluator(dict(zip(d.x, xstar_exact)), digits)(d.f))
    return x, fstar


def printed_value(text: str, n: int) -> tuple:
    """(value, half a unit of its last printed digit) of a printed f*, as Fractions; a trailing
    " n" means "per coordinate, times n"."""
    from decimal import Decimal
    from fractions import Fraction

    per_coordinate = text.endswith(" n")
    d = Decimal(text[:-2] if per_coordinate else text)
    half = Fraction(1, 2) * Fraction(10) ** d.as_tuple().exponent
    factor = n if per_coordinate else 1
    return Fraction(d) * factor, half * factor


def literature_differences(functions) -> list[tuple[str, int, str, float]]:
    """(name, n, printed f*, refined f*) where the refined f* (the registry's, f at x* refined in
    high precision) differs from the printed one by more than half a unit of its last digit."""
    from fractions import Fraction

    out = []
    for tf in functions:
        if tf.fstar_literature is None or tf.fstar is None:
            continue
        value, half = printed_value(tf.fstar_literature, tf.n)
        if abs(Fraction(tf.fstar) - value) > half:
            out.append((tf.name, tf.n, tf.fstar_literature, tf.fstar))
    return out
