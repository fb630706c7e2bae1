"""The 35 Moré–Garbow–Hillstrom least-squares problems, one module each (ACM TOMS 7(1), 1981).

Defaults of (n, m) and x0 follow the paper, cross-checked against the Fortran port
of Birgin, Gardenghi, Martínez and Santos; where refopt chose differently (e.g. n = 10 for MGH 27,
where that port uses 40) the module says so. Each module states its residuals, their
hand-derived derivatives and its traps.
Importing this package registers every module in it.
"""
import importlib
import pkgutil

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_mod}")
