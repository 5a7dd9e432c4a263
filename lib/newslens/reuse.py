"""When a report page is still current: the key of everything a report's outputs depend on.

`newslens report` runs a notebook again only when one of its inputs changed since its last good
run into the same output folder, as `make` rebuilds only what is out of date. The inputs are the
notebook file, its effective parameters (with the *content* of every file or folder a parameter
names, such as ``actors_file`` or ``coding_files``), the corpus table's SHA-256, the newslens
package itself (every file of it: code and bundled data), the versions of Python and the key
libraries, the sharing policy, whether code cells are shown, and where the heavy steps run
(``DASK_SCHEDULER_ADDRESS``, ``NEWSLENS_*`` settings). :func:`inputs_key` hashes them into one
SHA-256 that the run records in the output folder's manifest; ``newslens report --force`` runs
every notebook regardless.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> nb = folder / "10-x.ipynb"; _ = nb.write_text("{}")
>>> actors = folder / "actors.yml"; _ = actors.write_text("Russia: [Russia]")
>>> key = inputs_key(nb, {"period": "week", "actors_file": str(actors)}, corpus_sha256="c0ffee", root=folder)
>>> key == inputs_key(nb, {"actors_file": str(actors), "period": "week"}, corpus_sha256="c0ffee", root=folder)
True
>>> key == inputs_key(nb, {"period": "month", "actors_file": str(actors)}, corpus_sha256="c0ffee", root=folder)
False
>>> _ = actors.write_text("Russia: [Russia, Kremlin]")  # same path, new content
>>> key == inputs_key(nb, {"period": "week", "actors_file": str(actors)}, corpus_sha256="c0ffee", root=folder)
False
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from newslens import atomic, provenance

__all__ = ["inputs_key", "package_sha256"]

_SKIPPED_ENV = {"NEWSLENS_PROGRESS"}
"""Settings that change how a run looks on the terminal, not what it publishes."""


def _tree_sha256(folder: Path, *, skip: frozenset[str] = frozenset()) -> str:
    """SHA-256 of a folder: every file's relative path and content, in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not skip & set(p.relative_to(folder).parts)):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + atomic.file_sha256(path).encode() + b"\n")
    return digest.hexdigest()


@cache
def package_sha256() -> str:
    """SHA-256 of the installed newslens package (its modules and bundled data, without bytecode)."""
    return _tree_sha256(Path(__file__).resolve().parent, skip=frozenset({"__pycache__"}))


def _content(value: object, root: Path) -> object:
    """For a parameter value that names files (a string or a list of strings): their content hashes."""
    if isinstance(value, list):
        return [_content(item, root) for item in value]
    if not isinstance(value, str) or not value.strip():
        return None
    path = Path(value) if os.path.isabs(value) else root / value
    try:
        if path.is_file():
            return atomic.file_sha256(path)
        if path.is_dir():
            return _tree_sha256(path)
    except OSError as exc:  # unreadable: never current, the run itself reports the problem
        return f"unreadable: {exc}"
    return None


def inputs_key(
    notebook: str | os.PathLike,
    parameters: Mapping[str, object],
    *,
    corpus_sha256: str,
    root: str | os.PathLike,
    settings: Mapping[str, object] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """SHA-256 of everything the outputs of `notebook` run with `parameters` depend on.

    `parameters` are the effective values (the corpus path among them; its content enters as
    `corpus_sha256`); relative file names are read from `root`. `settings` adds what else the
    caller's run decides (sharing policy, code cells shown).
    """
    root = Path(root)
    environ = os.environ if environ is None else environ
    where = {k: v for k, v in sorted(environ.items())
             if (k.startswith("NEWSLENS_") and k not in _SKIPPED_ENV) or k == "DASK_SCHEDULER_ADDRESS"}  # fmt: skip
    files = {name: _content(value, root) for name, value in parameters.items() if name != "corpus"}
    record = {
        "notebook": atomic.file_sha256(Path(notebook)),
        "parameters": dict(parameters),
        "files": {k: v for k, v in files.items() if v is not None},
        "corpus_sha256": corpus_sha256,
        "newslens": package_sha256(),
        "versions": provenance.versions(),
        "settings": dict(settings or {}),
        "environment": where,
    }
    text = json.dumps(record, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
