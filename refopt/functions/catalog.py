"""The language-neutral catalog in ``test_functions/``: one JSON file per test function.

Each file holds the metadata (name, aliases, formula in plain math, n, m, x0, x*, f*, bounds,
source, smoothness, notes) and **golden values**: f, gradient and Hessian at x0, at x* (when
known), at three fixed points and at the function's branch points, each the double nearest the
exact value, with its **error scale**. They are computed by the symbolic oracle
(:mod:`refopt.oracle`, an optional part: ``pip install ".[oracle]"``), written by
``refopt functions export``, and regenerated exactly by a test. ``test_functions/README.md``
describes the schema and how to check an implementation in another language.

This module is the runtime side, which needs no symbolic package: the metadata, the points, the
reader, and :func:`exact_error`, which holds refopt's kernels to the stored exact values::

    |kernel − golden| <= K (ε scale + 2^-1022),    K = 32, ε = 2^-52.

A golden value is ``null`` where it does not exist (a kink: Ackley's gradient and Hessian at 0).
The three fixed points come from :func:`refopt.verify.sample_points` with a seed derived from the
name (CRC-32): uniform draws only, so they are the same doubles on every machine; they are stored
in the file, and other languages read them, not our RNG.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from .registry import get, specs

__all__ = ["SCHEMA", "K", "EPS", "FLOOR", "default_dir", "golden_points", "metadata", "load", "exact_error"]

SCHEMA = 2
K = 32
"""Bound multiplier: a float64 evaluation is held to K·ε·scale of the exact value."""
EPS = 2.0**-52
FLOOR = 2.0**-1022
"""Added to ε·scale so that values which underflow in float64 are held to an absolute bound."""


def default_dir() -> Path:
    """``test_functions/`` of the source checkout this package runs from, else of the cwd."""
    checkout = Path(__file__).resolve().parents[2] / "test_functions"
    return checkout if checkout.is_dir() else Path.cwd() / "test_functions"


def _list(a):
    return None if a is None else np.asarray(a, dtype=np.float64).tolist()


def golden_points(tf) -> list[tuple[str, np.ndarray]]:
    """(label, x) pairs: x0, x* when known, three fixed points p1..p3, branch points b1.."""
    from ..verify import sample_points

    pts = [("x0", tf.x0)]
    if tf.xstar is not None:
        pts.append(("xstar", tf.xstar))
    seed = zlib.crc32(tf.name.encode())
    pts += [(f"p{i + 1}", x) for i, x in enumerate(sample_points(tf, 3, seed))]
    pts += [(f"b{i + 1}", np.array(x)) for i, x in enumerate(tf.spec.branch_points)]
    return pts


def metadata(name: str) -> dict:
    """The catalog entry of ``name`` at its default (n, m) without its golden values."""
    tf = get(name)
    spec = specs()[tf.name]
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
        "fstar_literature": tf.fstar_literature,
        "bounds": None if tf.bounds is None else [_list(tf.bounds[0]), _list(tf.bounds[1])],
        "smooth": tf.smooth,
        "analytic": tf.analytic,
        "source": tf.source,
        "notes": tf.notes,
        "local_minima": [_jsonable(v) for v in spec.local_minima],
        "error_model": {
            "k": K,
            "eps": EPS,
            "floor": FLOOR,
            "bound": "|value - golden| <= k * (eps * scale + floor), entry by entry",
        },
    }


def _jsonable(v):
    if isinstance(v, dict):
        return {k: _jsonable(u) for k, u in v.items()}
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_jsonable(u) for u in v]
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v


def load(name: str, directory: str | Path | None = None) -> dict:
    """Read the catalog entry of ``name`` from disk."""
    directory = Path(directory) if directory is not None else default_dir()
    return json.loads((directory / f"{get(name).name}.json").read_text())


def exact_error(tf, stored: dict) -> tuple[float, str]:
    """The worst error of ``tf``'s kernels against a catalog entry's exact values, in units of
    the bound K (ε scale + 2^-1022), and where it occurs ("hess[1][2] at p3").

    Values the entry records as null (no derivative there) are not compared.
    """
    worst, where = 0.0, ""
    for g in stored["golden"]:
        x = np.array(g["x"], dtype=np.float64)
        for field, value in (("f", tf.f), ("grad", tf.grad), ("hess", tf.hess)):
            if g[field] is None:
                continue
            computed = np.asarray(value(x), dtype=np.float64)
            golden = np.asarray(g[field], dtype=np.float64)
            bound = K * (EPS * np.asarray(g[field + "_scale"], dtype=np.float64) + FLOOR)
            units = np.abs(computed - golden) / bound
            units = np.where(np.isfinite(units), units, np.inf)
            k = np.unravel_index(int(np.argmax(units)), units.shape) if units.ndim else ()
            if not where or units[k] > worst:
                worst = float(units[k])
                where = field + "".join(f"[{i}]" for i in k) + f" at {g['label']}"
    return worst, where
