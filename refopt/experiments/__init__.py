"""Reproductions of published results: one module per result, run by ``refopt reproduce NAME``.

Each experiment module reads top to bottom like the paper's section and provides

    SUMMARY: str                       one line for ``refopt reproduce --list``
    run(quick: bool = False, seed: int = 0, progress=None) -> data
        ``progress(text)`` is called with a one-line status while it runs (may be None);
        ``quick`` is a reduced protocol that finishes in about a minute (tests use it).
    report(data, out: pathlib.Path) -> list[pathlib.Path]
        writes the CSV and PNG files into ``out`` and returns their paths.
    table(data) -> str                 the printed table.

The registry below maps command names to modules (imported only when run).
"""
from __future__ import annotations

import csv
import importlib
from pathlib import Path
from types import ModuleType

from ..files import atomic_path

EXPERIMENTS: dict[str, str] = {
    "ogr-vs-bfgs": "refopt.experiments.ogr_vs_bfgs",
    "ogr-settings": "refopt.experiments.ogr_settings",
    "mgh-suite": "refopt.experiments.mgh_suite",
    "stochastic-newton": "refopt.experiments.stochastic_newton",
    "teacher-student": "refopt.experiments.teacher_student",
    "decoupling": "refopt.experiments.decoupling",
    "partition-newton": "refopt.experiments.partition_newton",
    "large-stepsize": "refopt.experiments.large_stepsize",
    "noise-equilibrium": "refopt.experiments.noise_equilibrium",
    "exact-stochastic-newton": "refopt.experiments.exact_stochastic_newton",
    "pruning-limit": "refopt.experiments.pruning_limit",
    "multistart": "refopt.experiments.multistart",
}


def load(name: str) -> ModuleType:
    """Import the experiment module registered as ``name``; ValueError naming the known ones."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(sorted(EXPERIMENTS))}")
    return importlib.import_module(EXPERIMENTS[name])


def write_rows(path: Path, rows: list[dict]) -> Path:
    """The rows (dicts with the same keys) as a CSV file with a header; floats written in full
    (repr), so that a reader gets back the very numbers."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for r in rows:
            w.writerow({k: (repr(float(v)) if isinstance(v, float) else v) for k, v in r.items()})
    return Path(path)
