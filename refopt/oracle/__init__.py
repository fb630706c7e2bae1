"""The exact oracle: every test function defined again, symbolically, from the literature, and
its derivatives evaluated in high precision — the source of the catalog's golden values.

An optional part of refopt (``pip install ".[oracle]"``: SymPy, SymEngine, mpmath); the runtime
package never imports it. Modules:

``symbolic``  the registry of definitions and the derivation of f, ∇f, ∇²f (SymEngine);
``mgh``, ``classic``  the definitions, written from the papers' formulas and data tables;
``evaluate``  high-precision evaluation with the float64 error scale of each value;
``golden``    the double nearest each exact value, and minimizers refined to full precision;
``catalog``   the catalog entries, their exact drift check and the safe export;
``networks``  golden cases of small networks (loss, gradient, Hessian, GGN), derived without
              ``refopt.nn``.
"""
from importlib.util import find_spec

_MISSING = [m for m in ("symengine", "sympy", "mpmath") if find_spec(m) is None]
if _MISSING:
    raise ImportError(
        f"refopt.oracle needs {', '.join(_MISSING)}: install the oracle extra, pip install \".[oracle]\""
    )
