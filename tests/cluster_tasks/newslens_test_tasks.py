"""Task functions the cluster tests send to dask workers (started with this folder on PYTHONPATH)."""

import os
import time


def slow_square(x: int, seconds: float = 0.5) -> int:
    time.sleep(seconds)
    return x * x


def exit_worker(x: int) -> int:
    os._exit(1)


def task_prefixes(dask_scheduler) -> list[str]:
    """Names of the functions the scheduler has run tasks of (`Client.run_on_scheduler`)."""
    return sorted(dask_scheduler.task_prefixes)
