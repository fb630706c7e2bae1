"""Classic global-optimization test functions, one module each.

Domains and minima as usually cited (Surjanovic & Bingham's Virtual Library of Simulation
Experiments, Jamil & Yang 2013). Importing this package registers every module in it.
"""
import importlib
import pkgutil

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_mod}")
