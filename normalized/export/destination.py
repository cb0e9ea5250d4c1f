"""Where an export is written: a folder (CSV) or a file (XLSX, JSON) checked before anything is written, so
a wrong --out costs one line and no half-made output, and each file written under a temporary name beside
it and renamed into place, so a reader never sees it half written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from finsam.errors import ExportError


def prepare_folder(folder: Path) -> Path:
    """A folder to write files into, created (with its parents) when missing."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: a file, not a folder (the CSV export writes one file per table kind)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(f"{folder}: cannot create the folder: {err.strerror}") from None
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{folder}: cannot write there: the folder is read-only")
    return folder


def prepare_file(path: Path, example: str) -> Path:
    """A file to write (replacing it when it exists), in a folder that exists; `example` names one."""
    if path.is_dir():
        raise ExportError(f"{path}: a folder, not a file (give a file name, e.g. {path / example})")
    if not path.parent.is_dir():
        raise ExportError(f"{path}: the folder {path.parent} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(f"{path}: cannot write there: permission denied")
    return path


@contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write; renamed to `path` when the block ends without error."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as err:
        raise ExportError(f"{path}: cannot write: {err.strerror or err}") from None
    finally:
        temporary.unlink(missing_ok=True)
