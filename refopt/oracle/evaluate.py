"""Evaluate a symbolic expression in high precision, with the error scale a float64 evaluation has.

The expressions are SymEngine trees (the C++ core of the SymPy project: the same expressions,
differentiated about 300 times faster). One walk over the tree computes, at every node e, two
mpmath numbers:

* ``value(e)`` at the working precision (50 significant digits by default; mpmath's elementary
  functions are accurate to that precision on every machine: software arithmetic);
* ``scale(e)``, the **magnitude** of e, with ``scale(e) >= |value(e)|``: a floating-point
  evaluation of e that follows the expression's structure, with unit roundoff u in every
  operation and every input, has an error of order ``u·scale(e)`` (first-order running error
  analysis; Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §3.1–3.3).
Products keep their second-order terms (ε = 2^-52, the float64 machine epsilon): where factors
vanish, as the residuals at a zero-residual minimizer, a product's error is the product of the
factors' errors, and the scale says so instead of 0.

The rules, one per kind of node (a, b the arguments; |·| of their values; s(·) their scales):

    number c                   s = 0 if c is a double, else |c|     (its own rounding)
    input x                    s = |x|
    a_1 + ... + a_k            s = Σ max(s(a_i), |a_i|)   (a sum is as uncertain as its terms:
                                                       this is where cancellation shows up)
    a_1 · ... · a_k            s = |Π a_i| + [Π (|a_i| + ε s(a_i)) − Π |a_i|] / ε
                               (without the first term, the product's own rounding, when every
                               factor but one is an exact power of two such as −1 or 2)
    a^p, p a positive integer  s = |a^p| + [(|a| + ε s(a))^p − |a|^p] / ε
    a^p, other constant p      s = |a^p| (1 + |p| s(a)/|a|)          (s(a)^p where a = 0 < p)
    a^b, b variable            s = |a^b| (1 + |b| s(a)/|a| + |ln a| s(b))
    exp a                      s = |exp a| (1 + s(a))
    log a                      s = |log a| + s(a)/|a|
    φ(a), φ = sin cos atan tanh erf:   s = |φ(a)| + |φ'(a)| s(a)
    Piecewise                  the branch whose condition holds (none holds: undefined)
    Max, Min                   the argument chosen (a tie, a kink: undefined)

A value that does not exist at the point (0 to a negative power, log of a non-positive number,
a kink) raises :class:`Undefined`; the caller records the golden value as null.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath

from ..functions.catalog import EPS  # the float64 machine epsilon the scales are meant for

__all__ = ["Undefined", "Evaluator", "rational_value"]


class Undefined(ArithmeticError):
    """The expression has no finite value at the point (a pole, a kink, log of 0)."""


class Evaluator:
    """``ev(expr) -> (value, scale)`` as mpmath numbers, at one point.

    ``env`` maps each symbol to its value: Python floats (or ints, Fractions, decimal strings)
    converted without rounding. ``dps`` is the working precision in decimal digits. Results of
    shared sub-expressions are kept, so all Hessian entries of one point cost about one pass over
    the distinct sub-expressions.
    """

    def __init__(self, env: dict, dps: int = 50):
        self.ctx = mpmath.MPContext()
        self.ctx.prec = int(dps * 3.33) + 8
        # a double has 53 significant bits: at >= 53 bits of precision mpf(v) is exact
        self.env = {s: self.ctx.mpf(v) for s, v in env.items()}
        self.memo: dict = {}

    def __call__(self, e):
        hit = self.memo.get(e)
        if hit is None:
            hit = self.memo[e] = self._node(e)
        return hit

    def value(self, e):
        return self(e)[0]

    def _node(self, e):
        ctx = self.ctx
        if e.is_Symbol:
            v = self.env[e]
            return v, abs(v)
        if e.is_Number:
            if not e.is_Rational:
                raise TypeError(f"inexact number {e} in a definition: write it as a Rational")
            p, q = (int(t) for t in e.get_num_den())
            v = ctx.mpf(p) / q
            exact = Fraction(float(Fraction(p, q))) == Fraction(p, q)
            return v, (ctx.zero if exact else abs(v))
        kind = type(e).__name__
        if kind == "Add":
            parts = [self(a) for a in e.args]
            return ctx.fsum(p[0] for p in parts), ctx.fsum(max(p[1], abs(p[0])) for p in parts)
        if kind == "Mul":
            parts = [self(a) for a in e.args]
            return ctx.fprod(p[0] for p in parts), self._product_scale(parts)
        if kind == "Pow":
            return self._pow(*e.args)
        if kind == "Piecewise":
            args = e.args
            for expr, cond in zip(args[0::2], args[1::2]):
                if self._truth(cond):
                    return self(expr)
            raise Undefined(f"no branch of {e} holds")
        if kind == "Pi":
            return +ctx.pi, +ctx.pi
        if kind == "Exp1":
            return +ctx.e, +ctx.e
        rule = _FUNCTIONS.get(kind)
        if rule is None:
            raise TypeError(f"no evaluation rule for {kind} ({e})")
        return rule(self, *e.args)

    def _pow(self, base, expo):
        ctx = self.ctx
        if type(base).__name__ == "Exp1":
            return _exp(self, expo)
        a, sa = self(base)
        if expo.is_Number:
            if expo.is_Integer and expo > 0:
                k = int(expo)
                return a**k, self._product_scale([(a, sa)] * k)
            if not expo.is_Rational:
                raise TypeError(f"inexact exponent {expo}")
            num, den = (int(t) for t in expo.get_num_den())
            p = ctx.mpf(num) / den
            if a == 0:
                if p > 0:
                    return ctx.zero, sa**p
                raise Undefined("0 to a negative power")
            if a < 0 and den != 1:
                raise Undefined("a negative number to a fractional power")
            v = a**num if den == 1 else a**p
            return v, abs(v) * (1 + abs(p) * sa / abs(a))
        b, sb = self(expo)
        if a <= 0:
            raise Undefined("a non-positive base with a variable exponent")
        v = ctx.power(a, b)
        return v, abs(v) * (1 + abs(b) * sa / a + abs(ctx.ln(a)) * sb)

    def _product_scale(self, parts):
        """|Π a_i| + [Π (|a_i| + ε s_i) − Π |a_i|] / ε: first- and higher-order error terms, and
        the rounding of the product unless all factors but one are exact powers of two."""
        ctx = self.ctx
        exact = ctx.fprod(abs(v) for v, _ in parts)
        perturbed = ctx.fprod(abs(v) + EPS * s for v, s in parts)
        inexact = sum(1 for v, s in parts if s != 0 or not _power_of_two(abs(v)))
        return (exact if inexact > 1 else 0) + (perturbed - exact) / EPS

    def _truth(self, cond) -> bool:
        kind = type(cond).__name__
        if kind == "BooleanTrue":
            return True
        if kind == "BooleanFalse":
            return False
        if kind == "And":
            return all(self._truth(c) for c in cond.args)
        if kind == "Or":
            return any(self._truth(c) for c in cond.args)
        if kind == "Not":
            return not self._truth(cond.args[0])
        lhs, rhs = (self(t)[0] for t in cond.args)
        return bool(_RELATIONS[kind](lhs, rhs))


def _power_of_two(v) -> bool:
    if v == 0:
        return False
    mantissa, _ = mpmath.frexp(v)
    return mantissa == 0.5


def _exp(ev, a):
    x, s = ev(a)
    v = ev.ctx.exp(x)
    return v, v * (1 + s)


def _log(ev, a):
    x, s = ev(a)
    if x <= 0:
        raise Undefined("log of a non-positive number")
    v = ev.ctx.ln(x)
    return v, abs(v) + s / x


def _smooth(value, slope):
    """The rule of a smooth φ of one argument: s = |φ(a)| + |φ'(a)| s(a)."""

    def rule(ev, a):
        x, s = ev(a)
        v = value(ev.ctx, x)
        return v, abs(v) + abs(slope(ev.ctx, x)) * s

    return rule


def _extremum(pick):
    def rule(ev, *args):
        parts = [ev(a) for a in args]
        values = [p[0] for p in parts]
        best = pick(values)
        if values.count(best) > 1:
            raise Undefined("a tie in Max/Min (a kink)")
        return parts[values.index(best)]

    return rule


_FUNCTIONS = {
    "log": _log,
    "sin": _smooth(lambda c, x: c.sin(x), lambda c, x: c.cos(x)),
    "cos": _smooth(lambda c, x: c.cos(x), lambda c, x: c.sin(x)),
    "atan": _smooth(lambda c, x: c.atan(x), lambda c, x: 1 / (1 + x * x)),
    "tanh": _smooth(lambda c, x: c.tanh(x), lambda c, x: 1 - c.tanh(x) ** 2),
    "erf": _smooth(lambda c, x: c.erf(x), lambda c, x: 2 / c.sqrt(c.pi) * c.exp(-x * x)),
    "Max": _extremum(max),
    "Min": _extremum(min),
}

_RELATIONS = {
    "StrictLessThan": lambda a, b: a < b,
    "LessThan": lambda a, b: a <= b,
    "Equality": lambda a, b: a == b,
    "Unequality": lambda a, b: a != b,
}


def rational_value(e, env: dict, memo: dict | None = None):
    """The exact value of a rational expression (sums, products, integer powers of numbers and
    inputs) as a Fraction; TypeError for anything else. Used where a value is exactly halfway
    between two doubles, which only a rational expression of doubles can be."""
    from fractions import Fraction

    memo = {} if memo is None else memo
    hit = memo.get(e)
    if hit is not None:
        return hit
    kind = type(e).__name__
    if e.is_Symbol:
        v = Fraction(env[e])
    elif e.is_Number and e.is_Rational:
        p, q = e.get_num_den()
        v = Fraction(int(p), int(q))
    elif kind in ("Add", "Mul"):
        parts = [rational_value(a, env, memo) for a in e.args]
        v = sum(parts, Fraction(0)) if kind == "Add" else _fraction_product(parts)
    elif kind == "Pow" and e.args[1].is_Integer:
        base = rational_value(e.args[0], env, memo)
        k = int(e.args[1])
        if base == 0 and k < 0:
            raise Undefined("0 to a negative power")
        v = base**k
    else:
        raise TypeError(f"not a rational expression: {kind}")
    memo[e] = v
    return v


def _fraction_product(parts):
    from fractions import Fraction

    out = Fraction(1)
    for p in parts:
        out *= p
    return out
