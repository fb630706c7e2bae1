"""A symbolic definition evaluated with ``refopt.ad.numpy``: the test functions written once more,
for the AD tests, from the oracle's literature definitions (not from refopt's kernels)."""
from fractions import Fraction

import numpy as np

import refopt.ad.numpy as rnp
from refopt.ad.graph import primal

_UNARY = {"log": rnp.log, "sin": rnp.sin, "cos": rnp.cos, "atan": rnp.arctan, "tanh": rnp.tanh,
          "erf": rnp.erf}
_RELATIONS = {"StrictLessThan": np.less, "LessThan": np.less_equal}


def as_rnp(expr, symbols):
    """f(x) that evaluates the SymEngine expression ``expr`` of ``symbols`` with rnp primitives."""

    def f(x):
        env = {s: x[i] for i, s in enumerate(symbols)}
        memo = {}

        def ev(e):
            if e in memo:
                return memo[e]
            kind = type(e).__name__
            if e.is_Symbol:
                v = env[e]
            elif e.is_Number:
                p, q = e.get_num_den()
                v = float(Fraction(int(p), int(q)))
            elif kind == "Pi":
                v = np.pi
            elif kind == "Exp1":
                v = np.e
            elif kind in ("Add", "Mul"):
                parts = [ev(a) for a in e.args]
                v = parts[0]
                for p in parts[1:]:
                    v = v + p if kind == "Add" else v * p
            elif kind == "Pow":
                base, expo = e.args
                if type(base).__name__ == "Exp1":
                    v = rnp.exp(ev(expo))
                elif expo.is_Integer:
                    v = ev(base) ** int(expo)
                else:
                    v = rnp.power(ev(base), ev(expo))
            elif kind == "Piecewise":
                args = e.args
                for branch, cond in zip(args[0::2], args[1::2]):
                    if truth(cond):
                        v = ev(branch)
                        break
                else:
                    raise ValueError(f"no branch of {e} holds")
            else:
                v = _UNARY[kind](ev(e.args[0]))
            memo[e] = v
            return v

        def truth(cond):
            kind = type(cond).__name__
            if kind == "BooleanTrue":
                return True
            a, b = (float(np.asarray(primal(ev(t)))) for t in cond.args)
            return bool(_RELATIONS[kind](a, b))

        return ev(expr)

    return f
