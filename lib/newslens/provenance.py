"""Provenance of a report run: corpus fingerprint (its SHA-256 remembered per table file), library versions,
git commit, run time.

Provenance is shown in the HTML pages only, never written into figure or table files, so those
stay byte-identical between runs on the same corpus and parameters.

>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a1"], "outlet": ["A"], "published": pd.to_datetime(["2024-09-01"])})
>>> fp = fingerprint(df)
>>> fp["articles"], fp["outlets"], fp["first"], fp["last"], len(fp["sha256"])
(1, 1, '2024-09-01', '2024-09-01', 64)
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pandas as pd

from newslens import atomic

KEY_LIBRARIES = (
    "newslens",
    "pandas",
    "numpy",
    "scikit-learn",
    "nltk",
    "matplotlib",
    "vaderSentiment",
    "papermill",
    "nbconvert",
)
"""Distributions whose versions every report shows (plus Python itself)."""


def table_hash(df: pd.DataFrame) -> str:
    """SHA-256 of the table's content: column names, then every row as CSV (dates as YYYY-MM-DD,
    so the stored datetime unit does not matter)."""
    text = df.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpus_sha256(df: pd.DataFrame, path: str | os.PathLike | None = None, folder: Path | None = None) -> str:
    """The corpus table's SHA-256 (:func:`table_hash`).

    With the table's ``path`` and a cache ``folder`` the hash is remembered in
    ``folder/corpus.json`` with the file's size and modification time, so an unchanged table is
    not hashed again by every report; any change of the file hashes it anew. Without the file
    (a table not read from ``path``) the table is hashed.
    """
    if path is None or folder is None or not Path(path).is_file():
        return table_hash(df)
    sha = remembered_sha256(path, folder)
    if sha is not None:
        return sha
    sha = table_hash(df)
    try:
        atomic.write_text(folder / "corpus.json", json.dumps({**_file_key(path), "sha256": sha}, indent=1))
    except OSError:  # a read-only build folder: hash again next time
        pass
    return sha


def _file_key(path: str | os.PathLike) -> dict[str, object]:
    stat = Path(path).stat()
    return {"path": str(Path(path).resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def remembered_sha256(path: str | os.PathLike, folder: Path) -> str | None:
    """The SHA-256 that :func:`corpus_sha256` remembered for the table at ``path`` in ``folder``,
    if the file has not changed since (same size and modification time); else None."""
    try:
        key = _file_key(path)
        known = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if {k: known.get(k) for k in key} == key and isinstance(known.get("sha256"), str):
        return known["sha256"]
    return None


def fingerprint(df: pd.DataFrame, *, sha256: str | None = None) -> dict[str, object]:
    """Size, outlets, date span and content hash of a corpus table (``sha256``: its
    :func:`table_hash`, when already known)."""
    dates = pd.to_datetime(df["published"]).dropna() if "published" in df else pd.Series([])
    return {
        "articles": int(len(df)),
        "outlets": int(df["outlet"].nunique()) if "outlet" in df else 0,
        "first": dates.min().strftime("%Y-%m-%d") if len(dates) else "",
        "last": dates.max().strftime("%Y-%m-%d") if len(dates) else "",
        "undated": int(len(df) - len(dates)),
        "sha256": sha256 or table_hash(df),
    }


def versions() -> dict[str, str]:
    """Python and the key libraries' versions ("not installed" when missing)."""
    found = {"python": platform.python_version()}
    for name in KEY_LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_commit(root: str | Path) -> str:
    """The checked-out commit of the repository at `root`, with "+modified" when tracked files
    differ from it; "unknown" outside git."""
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, timeout=20
        )
        return done.stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}+modified" if dirty else commit


def provenance_note(label: str, text: str) -> None:
    """Display `text` in a notebook, marked as provenance: `newslens report` shows it as the row
    `label` of the page's provenance block (:func:`notebook_notes` reads it back)."""
    from html import escape

    from IPython.display import display

    display(
        {"text/html": f'<p class="nl-data">{escape(text)}</p>', "text/plain": text},
        raw=True,
        metadata={"newslens": {"provenance": {label: text}}},
    )


def notebook_notes(nb) -> dict[str, str]:
    """The provenance notes an executed notebook displayed (:func:`provenance_note`),
    label -> text, in the order shown (a later note of the same label wins).

    >>> nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data",
    ...     "metadata": {"newslens": {"provenance": {"Duplicates": "duplicates=keep"}}}}]}]}
    >>> notebook_notes(nb)
    {'Duplicates': 'duplicates=keep'}
    """
    notes: dict[str, str] = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            found = output.get("metadata", {}).get("newslens", {}).get("provenance", {})
            notes.update({str(k): str(v) for k, v in found.items()})
    return notes


def compute_site(jobs: object = 1) -> str:
    """Where the heavy steps run (`newslens.cluster`): "locally with N processes" (N from a
    report's `jobs` parameter; "auto": every core) or "on the scheduler at tcp://… with N workers".

    >>> compute_site(2)  # without DASK_SCHEDULER_ADDRESS
    'locally with 2 processes'
    """
    import os

    from newslens import cluster

    if jobs == "auto":
        jobs = os.cpu_count() or 1
    elif isinstance(jobs, str) and jobs.isdigit():
        jobs = int(jobs)
    return cluster.current(jobs if isinstance(jobs, int) and jobs >= 1 else 1).describe()


def collect(
    df: pd.DataFrame, *, corpus: str, parameters: dict[str, object], root: str | Path, sha256: str | None = None
) -> dict[str, object]:
    """Everything the provenance block shows for one run."""
    return {
        "run_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "corpus": corpus,
        "compute": compute_site(parameters.get("jobs", 1)),
        "fingerprint": fingerprint(df, sha256=sha256),
        "parameters": parameters,
        "versions": versions(),
        "commit": git_commit(root),
    }
