"""One pool policy: spawned workers everywhere, including inside a real Jupyter kernel."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from newslens.parallel import START_METHOD, job_count, process_pool

REPO = Path(__file__).resolve().parents[1]

STATE = {"value": "as imported"}


def _read_state(_: int) -> str:
    return STATE["value"]


def _set_state(value: str) -> None:
    STATE["value"] = value


def test_workers_are_spawned_and_start_from_a_fresh_interpreter(monkeypatch):
    # A forked worker would inherit the parent's change; a spawned one imports this module anew.
    monkeypatch.setitem(STATE, "value", "changed in the parent")
    with process_pool(2) as pool:
        assert list(pool.map(_read_state, range(4))) == ["as imported"] * 4
    assert START_METHOD == "spawn"


def test_initializer_runs_in_every_worker():
    with process_pool(2, initializer=_set_state, initargs=("set by initializer",)) as pool:
        assert set(pool.map(_read_state, range(6))) == {"set by initializer"}


def test_leaving_on_an_error_cancels_the_tasks_not_started():
    with pytest.raises(RuntimeError, match="stop"):
        with process_pool(1) as pool:
            futures = [pool.submit(time.sleep, 0.2) for _ in range(20)]
            raise RuntimeError("stop")
    # one worker: at most the running task and the one queued behind it were not cancelled
    assert sum(f.cancelled() for f in futures) >= 17


@pytest.mark.parametrize("jobs", [0, -2, 1.5, True, "2"])
def test_bad_jobs_are_refused(jobs):
    with pytest.raises(ValueError, match="jobs must be a positive integer"):
        with process_pool(jobs):
            pass


KERNEL_CODE = """
import json, sys
import pandas as pd
from newslens import sentiment
from newslens.parallel import process_pool

texts = ["The talks were good. The war is terrible.", "Prices rose again! Nobody is happy.",
         "A calm day in Geneva.", "Strikes hit the port; the damage is bad, not catastrophic."]
df = pd.DataFrame({"id": [f"a{i:03d}" for i in range(240)], "title": ["Talks"] * 240,
                   "text": [" ".join(texts[: i % 4 + 1]) for i in range(240)]})
assert len(df) >= 2 * sentiment._MIN_CHUNK  # large enough for worker processes
one = sentiment.sentence_tone(df, jobs=1)
two = sentiment.sentence_tone(df, jobs=2)
with process_pool(1) as pool:  # a forked worker would hold the kernel's modules (ipykernel, zmq)
    inherited = pool.submit(eval, "'ipykernel' in __import__('sys').modules").result()
print(json.dumps({"identical": bool(one.equals(two)), "rows": len(one), "worker_has_kernel": inherited,
                  "prefix": sys.prefix}))
"""


@pytest.mark.slow
def test_jobs_2_inside_a_jupyter_kernel_equals_jobs_1(tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import start_new_kernel

    try:
        KernelSpecManager().get_kernel_spec("newslens")
    except NoSuchKernel:
        pytest.skip("the newslens kernel is not installed (make setup installs it into .venv)")
    manager, client = start_new_kernel(kernel_name="newslens", cwd=str(tmp_path), startup_timeout=120)
    printed, errors = [], []

    def collect(msg):
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            printed.append(content["text"])
        elif kind == "error":
            errors.append("\n".join(content["traceback"]))

    try:
        reply = client.execute_interactive(KERNEL_CODE, timeout=300, output_hook=collect)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "ok", "\n".join(errors)
    result = json.loads("".join(printed).strip().splitlines()[-1])
    # the kernel is this environment's (.venv) newslens kernel
    assert result == {"identical": True, "rows": result["rows"], "worker_has_kernel": False, "prefix": sys.prefix}
    assert result["rows"] > 240


def test_job_count_takes_a_number_or_auto():
    import os

    assert job_count(3) == 3
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert job_count("auto") == cores
    for bad in (0, -1, "all", 1.5, True):
        with pytest.raises(ValueError, match="jobs"):
            job_count(bad)
