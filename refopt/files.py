"""Files are written whole or not at all: to a temporary file in the target folder, then renamed.

An exception while writing (a full disk, an error in the code producing the content, an
interrupt) leaves the previous file, if any, untouched and no temporary file behind; a rename
within one folder is atomic on POSIX and Windows (``os.replace``).
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_path", "write_text", "save_figure"]


@contextmanager
def atomic_path(path) -> Iterator[Path]:
    """A temporary path beside ``path``; renamed to ``path`` when the block ends normally."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return Path(path)


def save_figure(fig, path, **savefig_kwargs) -> Path:
    """``fig.savefig`` through a temporary file (the format from ``path``'s suffix)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix.lstrip(".") or "png", **savefig_kwargs)
    return path
