"""The package's one process-pool policy: worker processes are spawned, on every platform.

Forking copies a process with all its threads' locks in whatever state they were at that moment:
a Jupyter kernel (heartbeat and I/O threads), a BLAS thread pool or macOS system libraries can
then hang or crash the child. A spawned worker starts a fresh interpreter instead, the same on
Linux, macOS and Windows, in a script, a notebook or a test. What that asks of callers:

* the task function must be importable by name: a module-level function of an installed
  module (``newslens.sentiment._split_and_score``), not one defined in a notebook cell;
* its arguments and results are pickled; state the worker needs (a custom analyzer, say) goes
  through ``initializer``/``initargs`` once per worker, not through module globals of the
  parent, which a spawned worker never sees;
* a script that starts a pool keeps its top-level code under ``if __name__ == "__main__":``
  (spawned workers import the main module).

Starting a worker costs about a second (importing pandas and newslens), so callers run small
inputs in-process.

>>> with process_pool(1) as pool:
...     list(pool.map(abs, [-1, 2]))
[1, 2]
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

__all__ = ["START_METHOD", "job_count", "process_pool"]

START_METHOD = "spawn"
"""How every worker process of the package is started."""


def job_count(jobs: int | str) -> int:
    """``jobs`` as a number of worker processes: a positive integer as is, ``"auto"`` every core
    this process may run on.

    >>> job_count(3), job_count("auto") >= 1
    (3, True)
    """
    if jobs == "auto":
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        return max(1, len(cores))
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer or 'auto', got {jobs!r}")
    return int(jobs)


@contextmanager
def process_pool(
    jobs: int, *, initializer: Callable[..., object] | None = None, initargs: tuple = ()
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` spawned worker processes, shut down on leaving the ``with`` block.

    ``initializer(*initargs)`` runs once in each worker before its first task. Leaving the
    block normally waits for the submitted tasks; leaving it on an error (or closing a generator
    that is using the pool) cancels the tasks not yet started.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, numbers.Integral) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    pool = ProcessPoolExecutor(
        max_workers=int(jobs), mp_context=get_context(START_METHOD), initializer=initializer, initargs=initargs
    )
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
