"""The report pipeline: execute notebooks with papermill, render HTML, keep the index current.

For each selected `notebooks/NN-name.ipynb`: resolve and type-check its parameters, execute it
in-process with papermill on the `newslens` kernel (working directory: the project root) while
its figures and tables go to a staging folder inside the output folder, then render the page.
Only a notebook that ran to the end replaces `NN-name.html`, `notebooks/NN-name.ipynb` (the
executed notebook, to open in JupyterLab or nbviewer), `figures/NN-name/` and `tables/NN-name/`
(all atomic); a failed one is kept as `_failed/NN-name.ipynb` with the error located, and the
others still run. `index.html` lists every report with its status.

`share=Policy("derived", 12)` runs every kernel under that sharing policy (`newslens.share`):
the pages, the index and the provenance state it, and each report's manifest entry records it.

>>> nb = Notebook.read("notebooks/00-corpus-overview.ipynb")  # doctest: +SKIP
>>> results = run_reports([nb], corpus="build/corpus.parquet", out="reports")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from newslens import atomic, params, partitions, provenance, render, reuse
from newslens.share import Policy

KERNEL = "newslens"
MANIFEST = "_manifest.json"
NOTEBOOKS = "notebooks"
"""Sub-folder of the output folder that receives the executed notebooks."""
_NAME = re.compile(r"^\d\d-[A-Za-z0-9_-]+$")

Status = Literal["ok", "failed"]


class ReportError(RuntimeError):
    """The run cannot start: unknown notebook, bad parameters, unreadable corpus."""


@dataclass(frozen=True)
class Notebook:
    """A report notebook: `NN-name.ipynb`, its title, one-line description and parameters."""

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[params.Parameter, ...]

    @classmethod
    def read(cls, path: str | os.PathLike) -> Notebook:
        import nbformat

        path = Path(path)
        if not _NAME.match(path.stem):
            raise ReportError(f"{path}: report notebooks are named NN-name.ipynb")
        nb = nbformat.read(path, as_version=4)
        try:
            declared = params.notebook_parameters(nb)
        except params.ParameterError as exc:
            raise ReportError(f"{path}: {exc}") from exc
        title, description = summary(nb)
        return cls(path.stem, path, title or path.stem, description, declared)


def summary(nb) -> tuple[str, str]:
    """Title (`# heading` of the first markdown cell) and the first line of text after it."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
        title = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else ""
        rest = lines[1:] if title else lines
        return title, (rest[0] if rest else "")
    return "", ""


def discover(notebooks_dir: str | os.PathLike) -> list[Notebook]:
    """Every `NN-*.ipynb` in `notebooks_dir`, in name order."""
    return [Notebook.read(p) for p in sorted(Path(notebooks_dir).glob("[0-9][0-9]-*.ipynb"))]


def select(available: Sequence[Notebook], wanted: Sequence[str]) -> list[Notebook]:
    """The notebooks named in `wanted` (full name, `NN` number, file name or path); all when empty."""
    if not wanted:
        return list(available)
    chosen: list[Notebook] = []
    for item in wanted:
        key = Path(item).stem
        hits = [nb for nb in available if nb.name == key or nb.name.split("-", 1)[0] == key]
        if len(hits) != 1:
            names = ", ".join(nb.name for nb in available) or "none"
            raise ReportError(f"no report notebook {item!r}; available: {names}")
        if hits[0] not in chosen:
            chosen.append(hits[0])
    return chosen


@dataclass
class Result:
    """Outcome of one notebook."""

    name: str
    status: Status
    seconds: float
    message: str = ""
    failed_notebook: Path | None = None
    inputs: str = ""
    """:func:`newslens.reuse.inputs_key` of the run."""
    reused: bool = False
    """True when the page of an earlier run with the same inputs was kept instead of running again."""
    derived: list = field(default_factory=list)
    """What the run did with each derived table (:func:`derived_events`), kept in the manifest."""


def _failure_message(name: str, exc: Exception, executed: Path, source_nb) -> str:
    """'<name>: cell N (`first line`) raised Error: message' from a papermill execution error."""
    from papermill.exceptions import PapermillExecutionError

    if not isinstance(exc, PapermillExecutionError):
        return f"{name}: {type(exc).__name__}: {exc}"
    import nbformat

    number, where = None, ""
    if executed.exists():
        ran = nbformat.read(executed, as_version=4)
        errored = [c for c in ran.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
        failing = errored[0] if errored else None
        if failing is not None and "injected-parameters" in failing.metadata.get("tags", []):
            where = "the injected parameters cell"
        elif failing is not None:
            ids = [cell.get("id") for cell in source_nb.cells]
            if failing.get("id") in ids:
                number = ids.index(failing.get("id")) + 1
    lines = [line for line in exc.source.splitlines() if line.strip()]
    first = lines[0].strip() if lines else ""
    if not where:
        where = f"cell {number}" if number is not None else f"cell [{exc.exec_count}]"
    return f"{name}: {where} (`{first}`) raised {exc.ename}: {exc.evalue}"


def _load_manifest(out: Path) -> dict:
    path = out / MANIFEST
    if path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            return {}
    return {}


THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _kernel_environment():
    """What the report kernels inherit while they run: no progress bars and, unless set already,
    one thread for the math libraries (OpenBLAS, OpenMP, MKL). A multi-threaded dot product sums
    in another order on another number of cores (a Pearson r of 100,000 articles changed in its
    16th digit), as dask's workers already run with one; and a kernel whose threads spin on every
    core slows the kernel beside it (the 100k re-run: 62.9 s -> 47.0 s with two lanes).

    >>> saved = os.environ.pop("OPENBLAS_NUM_THREADS", None)
    >>> with _kernel_environment():
    ...     os.environ["OPENBLAS_NUM_THREADS"], os.environ["NEWSLENS_PROGRESS"]
    ('1', '0')
    >>> "OPENBLAS_NUM_THREADS" in os.environ
    False
    >>> if saved is not None:
    ...     os.environ["OPENBLAS_NUM_THREADS"] = saved
    """
    from newslens.derived import PROGRESS_ENV

    wanted = {PROGRESS_ENV: "0", **{name: "1" for name in THREAD_VARIABLES if name not in os.environ}}
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _longest_first(notebooks: Sequence[Notebook], manifest: dict) -> list[Notebook]:
    """`notebooks` by the time their last run took, longest first (those never run first of all, in
    their order), so that with several lanes the longest report does not start last.

    >>> a, b, c = (Notebook(name, Path(name), name, "", ()) for name in "abc")
    >>> [nb.name for nb in _longest_first([a, b, c], {"a": {"seconds": 5.0}, "b": {"seconds": 30.0}})]
    ['c', 'b', 'a']
    """
    def seconds(nb: Notebook) -> float:
        taken = manifest.get(nb.name, {}).get("seconds")
        return float(taken) if isinstance(taken, (int, float)) else float("inf")

    return sorted(notebooks, key=seconds, reverse=True)


def _published(out: Path, name: str) -> list[str]:
    """The files a good run of `name` published in `out` (page, executed notebook, figures, tables)."""
    found = [f"{name}.html", f"{NOTEBOOKS}/{name}.ipynb"]
    for kind in ("figures", "tables"):
        found += sorted(p.relative_to(out).as_posix() for p in (out / kind / name).rglob("*") if p.is_file())
    return found


def _current(entry: dict, key: str, out: Path) -> bool:
    """Whether the manifest `entry` records a good run with inputs `key` whose files are all still in `out`."""
    files = entry.get("files")
    return (entry.get("status") == "ok" and entry.get("inputs") == key and isinstance(files, list)
            and all((out / f).is_file() for f in files))  # fmt: skip


def _promote(staging: Path, out: Path, name: str) -> None:
    """Move staged `figures/<name>` and `tables/<name>` into `out`, replacing the old ones."""
    for kind in ("figures", "tables"):
        new, old = staging / kind / name, out / kind / name
        if new.is_dir():
            atomic.replace_dir(new, old)
        elif old.is_dir():
            shutil.rmtree(old)


def published_notebook(ran, *, name: str, out: Path, staging: Path) -> str:
    """The executed notebook as `notebooks/<name>.ipynb` publishes it: the staging folder is
    replaced by the output folder wherever it appears (injected parameters, papermill's record of
    the run, printed output), and the data links that `Outputs` writes (`figures/<name>/...`,
    `tables/<name>/...`) lead one folder up, to the published files.

    >>> import nbformat
    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> shown = new_output("display_data", data={"text/html": '<a href="tables/10-x/n.csv">n.csv</a>'})
    >>> ran = new_notebook(cells=[new_code_cell('output_dir = "/r/.staging-10-x-1"', outputs=[shown])])
    >>> text = published_notebook(ran, name="10-x", out=Path("/r"), staging=Path("/r/.staging-10-x-1"))
    >>> cell = nbformat.reads(text, as_version=4).cells[0]
    >>> cell.source, cell.outputs[0].data["text/html"]
    ('output_dir = "/r"', '<a href="../tables/10-x/n.csv">n.csv</a>')
    """
    import copy

    import nbformat

    nb = copy.deepcopy(ran)
    record = nb.metadata.get("papermill", {})
    if "output_path" in record:
        record["output_path"] = str(out / NOTEBOOKS / f"{name}.ipynb")
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            markup = output.get("data", {}).get("text/html")
            if isinstance(markup, str):
                for kind in ("figures", "tables"):
                    markup = markup.replace(f'href="{kind}/{name}/', f'href="../{kind}/{name}/')
                output["data"]["text/html"] = markup

    def in_json(path: Path) -> str:
        return json.dumps(str(path))[1:-1]

    return nbformat.writes(nb).replace(in_json(staging), in_json(out)) + "\n"


def effective_parameters(nb: Notebook, values: dict[str, object]) -> dict[str, object]:
    """Every parameter of `nb` as the run sees it: declared defaults overlaid by `values`
    (`output_dir` left out: it is the staging folder during the run)."""
    merged = {p.name: p.default for p in nb.parameters} | values
    return {k: v for k, v in merged.items() if k != "output_dir"}


@cache
def _kernel_manager_class(env: tuple[tuple[str, str], ...] = ()):
    """Kernel manager talking to the kernel over local IPC sockets rather than TCP ports, and
    shutting it down without an interrupt; `env` is added to the kernel's environment.

    Each kernel gets its sockets in a private temporary folder: jupyter_client's default
    (`kernel-ipc-N` in the working directory) lets two runs from the same project root pick
    the same socket names and talk to each other's kernels ("Invalid Signature").

    jupyter_client sends SIGINT before every shutdown request. papermill shuts the kernel down
    right after the reply to its last `kernel_info_request`, while the kernel may still be inside
    that handler, and ipykernel then logs `ERROR | KeyboardInterrupt caught in kernel.`. The
    kernel has no cell left to interrupt at that point; a kernel that does not stop on the
    shutdown request is still killed after `shutdown_wait_time`.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum

    class ReportKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        def _ip_default(self) -> str:
            if self.transport != "ipc":
                return super()._ip_default()
            return os.path.join(tempfile.mkdtemp(prefix="newslens-kernel-"), "ipc")

        async def _async_pre_start_kernel(self, **kw):
            if env:
                kw["env"] = {**kw.get("env", os.environ), **dict(env)}
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

        def cleanup_ipc_files(self) -> None:
            super().cleanup_ipc_files()
            if self.transport == "ipc":
                shutil.rmtree(os.path.dirname(self.ip), ignore_errors=True)

    return ReportKernelManager


def run_one(
    nb: Notebook,
    *,
    values: dict[str, object],
    out: Path,
    root: Path,
    prov: dict,
    code: bool,
    kernel_name: str = KERNEL,
    share: Policy = Policy(),
) -> Result:
    """Execute, render and publish one notebook; never replaces good output with a failed run."""
    import nbformat
    import papermill
    from papermill.translators import PythonTranslator

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=f".staging-{nb.name}-"))
    try:
        executed = staging / f"{nb.name}.ipynb"
        run_values = dict(values)
        if "output_dir" in run_values:
            run_values["output_dir"] = str(staging)
        try:
            ran = papermill.execute_notebook(
                str(nb.path),
                str(executed),
                parameters=run_values,
                kernel_name=kernel_name,
                cwd=str(root),
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                kernel_manager_class=_kernel_manager_class(tuple(sorted(share.env().items())) if share.derived else ()),
            )
        except Exception as exc:  # any failure of the run is reported, the other notebooks go on
            source = nbformat.read(nb.path, as_version=4)
            message = _failure_message(nb.name, exc, executed, source)
            kept = None
            if executed.exists():
                kept = out / "_failed" / f"{nb.name}.ipynb"
                atomic.write_bytes(kept, executed.read_bytes())
            return Result(nb.name, "failed", time.perf_counter() - started, message, kept)
        stray = sorted(
            f"{kind}/{folder.name}"
            for kind in ("figures", "tables")
            for folder in (staging / kind).glob("*")
            if folder.name != nb.name
        )
        if stray:
            message = (f"{nb.name}: wrote outputs under {', '.join(stray)}; "
                       f'use Outputs(output_dir, "{nb.name}") so they belong to this report')
            return Result(nb.name, "failed", time.perf_counter() - started, message)
        ran.metadata["title"] = nb.title
        if share.derived:
            ran.metadata["newslens"] = {"share": {"mode": share.mode, "words": share.words}}
        for cell in ran.cells:  # show where the outputs end up, not the staging folder
            if "injected-parameters" in cell.metadata.get("tags", []):
                quoted = PythonTranslator.translate_str
                cell.source = cell.source.replace(quoted(str(staging)), quoted(str(out)))
        effective = effective_parameters(nb, values)
        shown = dict(prov, parameters=effective, notes=provenance.notebook_notes(ran),
                     compute=provenance.compute_site(effective.get("jobs", 1)), derived=derived_events(staging))
        notebook_file = f"{NOTEBOOKS}/{nb.name}.ipynb"
        page = render.notebook_html(ran, title=nb.title, provenance=shown, code=code, notebook_href=notebook_file)
        notebook = published_notebook(ran, name=nb.name, out=out, staging=staging)
        _promote(staging, out, nb.name)
        atomic.write_text(out / notebook_file, notebook)
        atomic.write_text(out / f"{nb.name}.html", page)
        (out / "_failed" / f"{nb.name}.ipynb").unlink(missing_ok=True)
        return Result(nb.name, "ok", time.perf_counter() - started, derived=shown["derived"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def derived_events(folder: Path) -> list[dict[str, str]]:
    """What a run did with each derived table (`newslens.derived` writes the list into its output folder)."""
    from newslens.derived import LOG

    log = folder / LOG
    try:
        events = json.loads(log.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def write_index(out: Path, available: Sequence[Notebook], results: Sequence[Result], *, prov: dict,
                values: dict[str, dict[str, object]]) -> Path:
    """Update `_manifest.json` with this run's results and rewrite `index.html` from it.

    `prov["parameters"]` should hold what the run was given; `values` what each notebook got.
    """
    manifest = _load_manifest(out)
    now = prov["run_at"]
    known = {nb.name: nb for nb in available}
    for result in results:
        entry = manifest.get(result.name, {})
        if result.reused:
            continue
        entry.update(status=result.status, last_run_at=now, error=result.message)
        if result.status == "ok":
            entry.pop("share", None)
            if "share" in prov:
                entry["share"] = prov["share"]
            entry.update(
                last_ok_at=now,
                seconds=round(result.seconds, 2),
                corpus_sha256=prov["fingerprint"]["sha256"],
                parameters=effective_parameters(known[result.name], values[result.name])
                if result.name in known else {},
                inputs=result.inputs,
                derived=result.derived,
                files=_published(out, result.name),
            )
        manifest[result.name] = entry
    for name, nb in known.items():
        manifest.setdefault(name, {"status": "not run"})
    for name, entry in manifest.items():
        if name in known:
            entry.update(title=known[name].title, description=known[name].description)
    rows = []
    for name in sorted(manifest):
        entry = manifest[name]
        rows.append(
            {
                "name": name,
                "title": entry.get("title", name),
                "description": entry.get("description", ""),
                "status": entry["status"],
                "error": entry.get("error", ""),
                "last_ok_at": entry.get("last_ok_at"),
                "corpus_sha256": entry.get("corpus_sha256"),
                "seconds": entry.get("seconds"),
                "html": (out / f"{name}.html").exists(),
                "notebook": (out / NOTEBOOKS / f"{name}.ipynb").exists(),
                "share": entry.get("share"),
            }
        )
    atomic.write_text(out / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    index = out / "index.html"
    atomic.write_text(index, render.index_html(rows, provenance=prov))
    return index


def _given(corpus: str, file_values: dict, cli_params: Sequence[tuple[str, str]],
           values: dict[str, dict[str, object]]) -> dict[str, object]:
    """What the run was given: the corpus, the parameters file's entries and the -p values (parsed)."""
    given: dict[str, object] = {"corpus": corpus, **file_values}
    for name, _ in cli_params:
        given[name] = next(v[name] for v in values.values() if name in v)
    return given


def _corpus_for_provenance(path: Path):
    """The corpus table for the provenance block, and its SHA-256 (None: hash the table).

    A built table (file or part files) is hashed once and the hash remembered beside it
    (:func:`newslens.provenance.corpus_sha256`); while the file is unchanged only the columns of the
    fingerprint are read, not the texts.
    """
    import pandas as pd

    from newslens import load_corpus
    from newslens.derived import FOLDER

    dataset = partitions.is_dataset(path)
    if not dataset and not (path.is_file() and path.suffix == ".parquet"):
        return load_corpus(path), None
    keyed, folder = (path / partitions.MANIFEST if dataset else path), path.parent / FOLDER
    sha = provenance.remembered_sha256(keyed, folder)
    if sha is None:
        table = load_corpus(path)
        return table, provenance.corpus_sha256(table, keyed, folder)
    columns = ["id", "outlet", "published"]
    if not dataset:
        return pd.read_parquet(path, columns=columns), sha
    parts = list(partitions.iter_tables(path, columns))
    return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)), sha


def run_reports(
    notebooks: Sequence[Notebook],
    *,
    corpus: str | os.PathLike,
    out: str | os.PathLike,
    available: Sequence[Notebook] | None = None,
    params_file: str | os.PathLike | None = None,
    cli_params: Sequence[tuple[str, str]] = (),
    code: bool = False,
    root: str | os.PathLike | None = None,
    kernel_name: str = KERNEL,
    share: Policy = Policy(),
    lanes: int = 1,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> list[Result]:
    """Run `notebooks` against `corpus`, writing pages, figures, tables and the index to `out`,
    under the sharing policy `share`, `lanes` notebooks at a time (each in its own kernel; the
    derived tables they share are built once, see `newslens.derived`).

    A notebook whose inputs (`newslens.reuse`) are those of its last good run into `out` keeps
    that run's page, notebook, figures and tables and is not run again, unless `force`.

    Raises `ReportError` before running anything when a parameter or the corpus is unusable;
    otherwise returns one `Result` per notebook (failed ones included) and prints the timings.
    """
    root = Path(root or Path.cwd()).resolve()
    out = Path(out).resolve()
    corpus_path = Path(corpus).resolve()
    declared = {nb.name: nb.parameters for nb in notebooks}
    try:
        file_values = params.load_params_file(params_file) if params_file else {}
        values = params.resolve(
            declared,
            fixed={"corpus": str(corpus_path), "output_dir": str(out)},
            file_values=file_values,
            cli_values=cli_params,
        )
    except (params.ParameterError, OSError) as exc:
        raise ReportError(str(exc)) from exc
    if not corpus_path.exists():
        raise ReportError(f"corpus {corpus} does not exist (build it with `make corpus`)")
    try:
        table, sha = _corpus_for_provenance(corpus_path)
    except (OSError, ValueError) as exc:
        raise ReportError(f"cannot load corpus {corpus}: {exc}") from exc
    shown_corpus = os.path.relpath(corpus_path, root) if corpus_path.is_relative_to(root) else str(corpus_path)
    prov = provenance.collect(
        table, corpus=shown_corpus, parameters=_given(shown_corpus, file_values, cli_params, values), root=root,
        sha256=sha,
    )
    if share.derived:
        prov["share"] = {"mode": share.mode, "words": share.words, "note": share.note()}
    del table  # the reports load the corpus themselves: do not hold a copy while they run
    import pyarrow

    pyarrow.default_memory_pool().release_unused()  # give the freed pages back (a 100k corpus: ~1 GB)

    total = time.perf_counter()
    results = []
    lanes = max(1, min(int(lanes), len(notebooks) or 1))

    manifest = _load_manifest(out)
    settings = {"share": [share.mode, share.words], "code": code, "kernel": kernel_name}
    keys = {nb.name: reuse.inputs_key(nb.path, effective_parameters(nb, values[nb.name]), root=root, settings=settings,
                                      corpus_sha256=prov["fingerprint"]["sha256"]) for nb in notebooks}  # fmt: skip

    def one(nb: Notebook) -> Result:
        if not force and _current(manifest.get(nb.name, {}), keys[nb.name], out):
            return Result(nb.name, "ok", 0.0, "up to date", inputs=keys[nb.name], reused=True)
        result = run_one(nb, values=values[nb.name], out=out, root=root, prov=prov, code=code,
                         kernel_name=kernel_name, share=share)  # fmt: skip
        result.inputs = keys[nb.name]
        return result

    with _kernel_environment(), ThreadPoolExecutor(lanes) as pool:
        running = {nb.name: pool.submit(one, nb) for nb in _longest_first(notebooks, manifest)}
        for nb in notebooks:  # in notebook order, each as soon as it and those before are done
            result = running[nb.name].result()
            results.append(result)
            note = "  (up to date: same notebook, parameters, corpus and code)" if result.reused else ""
            log(f"  {result.name:<28} {result.status:<6} {result.seconds:6.1f} s{note}")
    write_index(out, list(available or notebooks), results, prov=prov, values=values)
    failed = [r for r in results if r.status == "failed"]
    kept = sum(r.reused for r in results)
    log(
        f"  {'total':<28} {len(results) - len(failed)} ok{f' ({kept} up to date)' if kept else ''}, {len(failed)} failed "
        f"{time.perf_counter() - total:6.1f} s  ->  {out / 'index.html'}"
    )
    return results
