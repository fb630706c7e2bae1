"""The language-neutral catalog in ``test_functions/``: one JSON file per test function.

Each file holds the metadata (name, aliases, formula in plain math, n, m, x0, x*, f*, bounds,
source, smoothness, notes) and **golden values** — f, gradient and Hessian at x0, at x* (when
known) and at three fixed points — written with Python's shortest round-trip float repr, so
every double is exact. Someone implementing a function in JAX, Julia or C++ can test against
these files without running refopt. ``refopt functions export`` writes them; a test regenerates
them in memory and fails on drift.

Schema (``"schema": 1``)::

    {"schema": 1, "name": str, "aliases": [str], "kind": "mgh"|"classic",
     "formula": str, "n": int, "m": int|null, "n_allowed": str, "m_allowed": str,
     "x0": [float], "xstar": [float]|null, "fstar": float|null,
     "bounds": [[lo...], [hi...]]|null, "smooth": bool, "analytic": bool,
     "source": str, "notes": str, "local_minima": [...],
     "golden": [{"label": "x0"|"xstar"|"p1"|"p2"|"p3", "x": [float], "f": float,
                 "grad": [float], "hess": [[float]]}]}

A golden value is ``null`` where it does not exist (a non-smooth function at its kink, e.g. the
Hessian of Ackley at 0, which refopt's kernel returns as NaN).

The three fixed points are drawn once by :func:`refopt.verify.sample_points` with a seed derived
from the name (CRC-32), and stored in the file: other languages read them, not our RNG.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from .registry import get, names, specs

__all__ = ["SCHEMA", "default_dir", "entry", "export", "load", "drift"]

SCHEMA = 1


def default_dir() -> Path:
    """``test_functions/`` of the source checkout this package runs from, else of the cwd."""
    checkout = Path(__file__).resolve().parents[2] / "test_functions"
    return checkout if checkout.is_dir() else Path.cwd() / "test_functions"


def _list(a):
    return None if a is None else np.asarray(a, dtype=np.float64).tolist()


def _value(a):
    """A golden value, or None where the derivative does not exist (e.g. Ackley's Hessian at 0)."""
    a = np.asarray(a, dtype=np.float64)
    return a.tolist() if np.all(np.isfinite(a)) else None


def golden_points(tf) -> list[tuple[str, np.ndarray]]:
    """(label, x) pairs: x0, x* when known, and three fixed points."""
    from ..verify import sample_points

    pts = [("x0", tf.x0)]
    if tf.xstar is not None:
        pts.append(("xstar", tf.xstar))
    seed = zlib.crc32(tf.name.encode())
    pts += [(f"p{i + 1}", x) for i, x in enumerate(sample_points(tf, 3, seed))]
    return pts


def entry(name: str) -> dict:
    """The catalog entry of ``name`` at its default (n, m), golden values included."""
    tf = get(name)
    spec = specs()[tf.name]
    golden = [
        {"label": label, "x": _list(x), "f": _value(tf.f(x)), "grad": _value(tf.grad(x)), "hess": _value(tf.hess(x))}
        for label, x in golden_points(tf)
    ]
    return {
        "schema": SCHEMA,
        "name": tf.name,
        "aliases": list(tf.aliases),
        "kind": tf.kind,
        "formula": tf.formula,
        "n": tf.n,
        "m": tf.m,
        "n_allowed": spec.n_text,
        "m_allowed": spec.m_text,
        "x0": _list(tf.x0),
        "xstar": _list(tf.xstar),
        "fstar": tf.fstar,
        "bounds": None if tf.bounds is None else [_list(tf.bounds[0]), _list(tf.bounds[1])],
        "smooth": tf.smooth,
        "analytic": tf.analytic,
        "source": tf.source,
        "notes": tf.notes,
        "local_minima": [_jsonable(v) for v in spec.local_minima],
        "golden": golden,
    }


def _jsonable(v):
    if isinstance(v, dict):
        return {k: _jsonable(u) for k, u in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(u) for u in v]
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v


def _dumps(obj: dict) -> str:
    return json.dumps(obj, indent=1, allow_nan=False) + "\n"


def export(directory: str | Path | None = None, only: list[str] | None = None) -> list[Path]:
    """Write ``<name>.json`` for every function (or those in ``only``); returns the paths."""
    directory = Path(directory) if directory is not None else default_dir()
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in only or names():
        path = directory / f"{get(name).name}.json"
        path.write_text(_dumps(entry(name)))
        paths.append(path)
    return paths


def load(name: str, directory: str | Path | None = None) -> dict:
    """Read the catalog entry of ``name`` from disk."""
    directory = Path(directory) if directory is not None else default_dir()
    return json.loads((directory / f"{get(name).name}.json").read_text())


def drift(stored: dict, fresh: dict, rtol: float = 1e-14) -> list[str]:
    """Differences between a stored and a regenerated entry (empty list: no drift).

    Metadata must match exactly; golden arrays to ``rtol`` relative to each array's largest
    entry (1e-14: room for a last-bit difference in the platform's libm, nothing more).
    """
    problems = []
    for key in fresh:
        if key != "golden" and stored.get(key) != fresh[key]:
            problems.append(f"{fresh['name']}: field {key!r} differs: {stored.get(key)!r} != {fresh[key]!r}")
    old = {g["label"]: g for g in stored.get("golden", [])}
    for g in fresh["golden"]:
        o = old.get(g["label"])
        if o is None:
            problems.append(f"{fresh['name']}: golden point {g['label']!r} missing")
            continue
        for field in ("x", "f", "grad", "hess"):
            if (o[field] is None) != (g[field] is None):
                problems.append(f"{fresh['name']}: golden {field} at {g['label']} changed definedness")
                continue
            if g[field] is None:
                continue
            a, b = np.asarray(o[field], dtype=float), np.asarray(g[field], dtype=float)
            scale = max(np.max(np.abs(b)), 1e-300)
            if a.shape != b.shape or np.max(np.abs(a - b)) > rtol * scale:
                problems.append(f"{fresh['name']}: golden {field} at {g['label']} drifted")
    return problems
