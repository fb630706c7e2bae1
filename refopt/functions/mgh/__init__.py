"""The 35 Moré–Garbow–Hillstrom least-squares problems, one module each (ACM TOMS 7(1), 1981).

Defaults of (n, m) and x0 follow the paper and the Fortran port of Birgin, Gardenghi, Martínez
and Santos; each module states its residuals, their hand-derived derivatives and its traps.
Importing this package registers every module in it.
"""
import importlib
import pkgutil

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_mod}")
