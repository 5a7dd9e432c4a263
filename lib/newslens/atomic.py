"""Atomic file and folder replacement: readers see the old version or the new one, never half;
and the checksum (:func:`file_sha256`) that tells whether a file is the one that was written.

A file is written to a temporary file in the same folder, flushed to disk and moved over the
target with `os.replace`, which is atomic on POSIX file systems.

>>> from pathlib import Path; import tempfile
>>> target = Path(tempfile.mkdtemp()) / "a.csv"
>>> write_text(target, "x\\n1\\n")
>>> target.read_text()
'x\\n1\\n'
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def _file_mode() -> int:
    """Permissions of a newly created file under the current umask (mkstemp would give 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_with(path: str | os.PathLike, write: Callable[[Path], object]) -> None:
    """Atomically create `path` with `write(tmp)`, which writes the file at the temporary path `tmp`.

    For writers that take a path, e.g. ``write_with(out, lambda tmp: pyarrow.parquet.write_table(t, tmp))``.
    The temporary file is in the target's folder and is flushed to disk before `os.replace`; on
    any error or interruption it is removed and the old `path` is left as it was.

    >>> from pathlib import Path; import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "b.txt"
    >>> write_with(target, lambda tmp: tmp.write_text("b"))
    >>> target.read_text()
    'b'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        try:
            os.fchmod(fd, _file_mode())
        finally:
            os.close(fd)
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` atomically (temporary file in the same folder, then `os.replace`)."""
    write_with(path, lambda tmp: tmp.write_bytes(data))


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write `text` as UTF-8 to `path` atomically, with "\\n" line endings exactly as given."""
    write_bytes(path, text.encode("utf-8"))


def replace_dir(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Move the folder `source` to `target`, replacing any existing `target` (a folder or a file;
    `source` may also be a file that takes the place of a folder).

    The old one is first renamed aside, then the new one renamed into place (both renames are
    atomic, in the same file system), then the old one deleted. `target` is never partly written:
    a reader sees the old folder, the new one, or — for the instant between the two renames —
    none; an interrupted run leaves the old folder aside, not deleted.
    """
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = None
    if target.exists():
        aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old."))
        os.replace(target, aside / target.name)
    os.replace(source, target)
    if aside is not None:
        shutil.rmtree(aside)


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
