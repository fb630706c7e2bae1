"""Writing the catalog: metadata plus exact golden values, the exact drift check, safe export.

``entry(name)`` is what ``test_functions/<name>.json`` must hold; ``export`` writes the files
(all entries computed first, each written to a temporary file in the target folder and renamed
into place, so an error leaves no half-written file); ``drift`` compares a stored entry with a
regenerated one exactly and names the function, the field, the point and the entry.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..files import write_text
from ..functions import get, names
from ..functions.catalog import default_dir, golden_points, metadata
from .golden import exact_point

__all__ = ["entry", "export", "drift", "dumps"]


def entry(name: str) -> dict:
    """The catalog entry of ``name`` at its default (n, m), exact golden values included."""
    tf = get(name)
    out = metadata(name)
    out["golden"] = [{"label": label, "x": [float(v) for v in x], **exact_point(tf, x)}
                     for label, x in golden_points(tf)]
    return out


def dumps(obj: dict) -> str:
    return json.dumps(obj, indent=1, allow_nan=False) + "\n"


def _folder(directory) -> Path:
    folder = Path(directory)
    if not folder.is_dir():
        raise ValueError(f"export folder {str(folder)!r} does not exist (create it first)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"export folder {str(folder)!r} is not writable")
    return folder


def export(directory: str | Path | None = None, only: list[str] | None = None) -> list[Path]:
    """Write ``<name>.json`` for every function (or those in ``only``) and, when all are asked
    for, ``networks/<case>.json`` for the network cases; returns the paths.

    Every entry is computed before the first file is written; an existing folder is required.
    """
    from .networks import network_entries

    folder = _folder(directory if directory is not None else default_dir())
    chosen = [get(name).name for name in (only or names())]  # unknown names fail here
    texts = {folder / f"{name}.json": dumps(entry(name)) for name in chosen}
    if not only:
        texts.update({folder / "networks" / f"{name}.json": dumps(e) for name, e in network_entries().items()})
    paths = []
    for path, text in texts.items():
        try:
            path.parent.mkdir(exist_ok=True)
            write_text(path, text)
        except OSError as exc:
            raise ValueError(f"cannot write {path}: {exc.strerror or exc}") from exc
        paths.append(path)
    return paths


def _differences(stored, fresh, where: str):
    """Paths inside two JSON values where they differ (exact comparison, floats included)."""
    if isinstance(fresh, list) and isinstance(stored, list) and len(stored) == len(fresh):
        for i, (a, b) in enumerate(zip(stored, fresh)):
            yield from _differences(a, b, f"{where}[{i}]")
    elif type(stored) is not type(fresh) or stored != fresh:
        yield where, stored, fresh


def drift(stored: dict, fresh: dict) -> list[str]:
    """Differences between a stored and a regenerated entry (empty list: none), one line each,
    naming the function, the field, the point and the entry."""
    name = fresh["name"]
    problems = []
    for key in fresh:
        if key != "golden" and stored.get(key) != fresh[key]:
            problems.append(f"{name}: field {key!r} differs: stored {stored.get(key)!r}, "
                            f"regenerated {fresh[key]!r}")
    extra = set(stored) - set(fresh)
    if extra:
        problems.append(f"{name}: unknown fields {sorted(extra)}")
    old = {g.get("label"): g for g in stored.get("golden", [])}
    if len(old) != len(fresh["golden"]):
        problems.append(f"{name}: {len(old)} golden points stored, {len(fresh['golden'])} regenerated")
    for g in fresh["golden"]:
        label = g["label"]
        o = old.get(label)
        if o is None:
            problems.append(f"{name}: golden point {label!r} missing")
            continue
        for field, value in g.items():
            for where, a, b in _differences(o.get(field), value, field):
                problems.append(f"{name}: golden {where} at {label} differs: stored {a!r}, "
                                f"regenerated {b!r}")
    return problems
