"""newslens.cluster against a real dask scheduler and two workers, separate processes on 127.0.0.1.

The workers see the corpus only through the part files' paths (the same file system here). They
are started with `dask scheduler` / `dask worker`; `tests/cluster_tasks` is on their PYTHONPATH
for the task functions of the failure tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import newslens
from newslens import cluster, derived, framing, keywords, partitions, sentiment

REPO = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).parent / "dask"
TASKS = REPO / "tests" / "cluster_tasks"

pytestmark = pytest.mark.slow
sys.path.insert(0, str(TASKS))
from newslens_test_tasks import exit_worker, slow_square, task_prefixes  # noqa: E402  (importable on the workers too)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler():
    """The address of a scheduler with two single-threaded workers (each under a nanny, which
    restarts a worker that dies); a task may kill a worker once and is still retried."""
    address = f"tcp://127.0.0.1:{free_port()}"
    env = dict(os.environ, PYTHONPATH=str(TASKS), DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1")
    env.pop(cluster.ENV, None)
    port = address.rsplit(":", 1)[1]
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        for name in ("w1", "w2"):
            procs.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--name", name,
                                           "--no-dashboard", "--host", "127.0.0.1"],
                                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        client = None
        for _ in range(120):
            try:
                client = cluster.connect(address)
                if len(client.nthreads()) == 2:
                    break
            except cluster.ClusterError:
                pass
            time.sleep(0.5)
        assert client is not None and len(client.nthreads()) == 2, "scheduler and workers did not start"
        yield address
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGINT)
        for proc in reversed(procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "corpus.parquet"
    partitions.write_table(newslens.load_corpus(REPO / "corpus"), folder, part_bytes=60_000)
    return folder


def heavy_steps(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {
        "sentences": sentiment.sentence_tone(df),
        "dictionary": sentiment.dictionary_tone(df, sentiment.vader_lexicon_dictionary()),
        "frames": framing.frame_scores(df, "policy"),
        "keyness": keywords.keyness(df, by="outlet", ngram_range=(1, 2)),
        "log_odds": keywords.log_odds(df, "outlet", "Eastern Courier", "Atlantic Ledger"),
    }


def test_describe_names_the_scheduler_and_its_workers(scheduler):
    assert cluster.Dask(scheduler).describe() == f"on the scheduler at {scheduler} with 2 workers"
    assert cluster.current(3, environ={cluster.ENV: scheduler}) == cluster.Dask(scheduler)
    assert cluster.current(3, environ={}).describe() == "locally with 3 processes"


def test_heavy_steps_on_the_cluster_equal_the_local_run(scheduler, dataset, monkeypatch):
    df = newslens.corpus.subset(newslens.load_corpus(dataset), start="2024-08-20")
    assert len(partitions.of(df)) >= 3
    local = heavy_steps(df)
    monkeypatch.setenv(cluster.ENV, scheduler)
    remote = heavy_steps(df)
    in_memory = heavy_steps(df.copy().__finalize__(pd.DataFrame()))  # no part files: sent in slices
    for name, expected in local.items():
        assert len(expected) > 0
        pd.testing.assert_frame_equal(remote[name], expected, check_exact=True)
        pd.testing.assert_frame_equal(in_memory[name], expected, check_exact=True)
        assert remote[name].to_csv() == expected.to_csv()


def derived_tables(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    store = derived.Store(df, None, jobs=1, progress=False)
    dtm = store.dtm(df, ngram_range=(1, 2))
    frames = framing.load_scheme("generic").dictionary
    return {
        "sentences": store.sentences(df),
        "tokens": store.tokens(df),
        "dtm": pd.DataFrame.sparse.from_spmatrix(dtm.matrix, columns=dtm.terms).sparse.to_dense(),
        "counts": store.counts(df, frames),
        "matches": store.matches(df, frames),
    }


def test_derived_tables_on_the_cluster_equal_the_local_ones(scheduler, dataset, monkeypatch):
    df = newslens.load_corpus(dataset)
    local = derived_tables(df)
    monkeypatch.setenv(cluster.ENV, scheduler)
    remote = derived_tables(df)
    for name, expected in local.items():
        assert len(expected) > 0
        pd.testing.assert_frame_equal(remote[name], expected, check_exact=True)


def outputs(folder: Path) -> dict[str, bytes]:
    """Every CSV table and PNG figure a report run published, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for kind in ("figures", "tables")
            for p in sorted((folder / kind).rglob("*")) if p.suffix in (".csv", ".png")}  # fmt: skip


def test_newslens_report_on_the_cluster_is_byte_identical_to_the_local_run(scheduler, dataset, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != cluster.ENV}
    runs = {}
    for name, extra in (("local", []), ("cluster", ["--scheduler", scheduler])):
        done = subprocess.run([sys.executable, "-m", "newslens", "report", "--corpus", str(dataset),
                               "--out", str(tmp_path / name), *extra],
                              capture_output=True, text=True, cwd=REPO, env=env, timeout=1200)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        runs[name] = done.stdout
    assert "heavy steps run locally with " in runs["local"]
    assert f"heavy steps run on the scheduler at {scheduler} with 2 workers" in runs["cluster"]
    local, remote = outputs(tmp_path / "local"), outputs(tmp_path / "cluster")
    assert len(local) > 40 and any(k.endswith(".png") for k in local)
    assert sorted(remote) == sorted(local)
    assert [k for k in local if local[k] != remote[k]] == []
    for page in (tmp_path / "cluster").glob("*.html"):
        assert f"on the scheduler at {scheduler} with 2 workers" in page.read_text(encoding="utf-8"), page.name
    ran = cluster.connect(scheduler).run_on_scheduler(task_prefixes)
    assert {"tone_part", "count_part", "frame_counts", "dtm_part"} <= {name.lstrip("_") for name in ran}


def test_a_worker_killed_mid_run_has_its_tasks_retried(scheduler):
    where = cluster.Dask(scheduler)
    client = where.client()
    result: dict[str, object] = {}

    def run() -> None:
        result["value"] = where.map(slow_square, list(range(12)), step="squares", seconds=0.4)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.time() + 60
    while time.time() < deadline and not any(client.processing().values()):
        time.sleep(0.05)
    busy = next(w for w, tasks in client.processing().items() if tasks)
    pid = client.run(os.getpid, workers=[busy])[busy]
    os.kill(pid, signal.SIGKILL)
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert result["value"] == [x * x for x in range(12)]


def test_a_task_that_keeps_killing_workers_fails_the_step_by_name(scheduler):
    with pytest.raises(cluster.ClusterError, match=f"crashing step failed on the scheduler at {scheduler}"):
        cluster.Dask(scheduler).map(exit_worker, [1], step="crashing step")
    _wait_for_workers(scheduler, 2)


def test_an_unreachable_scheduler_fails_within_ten_seconds_naming_it(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newslens", "report", "00", "--scheduler", address,
                           "--corpus", str(REPO / "corpus"), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)  # fmt: skip
    assert time.perf_counter() - started < 10
    assert done.returncode == 2 and f"cannot reach the dask scheduler at {address}" in done.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_without_a_scheduler_dask_is_not_imported():
    code = """
import sys, newslens
from newslens import framing, keywords, provenance, sentiment
df = newslens.load_corpus("corpus")
sentiment.sentence_tone(df, jobs=2); framing.frame_scores(df); keywords.keyness(df, by="outlet")
sentiment.dictionary_tone(df, sentiment.vader_lexicon_dictionary())
print(provenance.collect(df, corpus="corpus", parameters={}, root=".")["compute"])
print(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
"""
    env = {k: v for k, v in os.environ.items() if k != cluster.ENV}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["locally with 1 process", "[]"]


def _wait_for_workers(address: str, n: int) -> None:
    client = cluster.connect(address)
    for _ in range(120):
        if len(client.nthreads()) == n:
            return
        time.sleep(0.5)

