"""Where the heavy steps run: locally (in-process or a pool of N processes) or on a dask cluster.

Without a scheduler everything runs locally and dask is never imported. With one, given as
``newslens report --scheduler tcp://host:8786`` (``make reports SCHEDULER=…``) or by dask's
own ``DASK_SCHEDULER_ADDRESS`` variable, the heavy steps (sentence splitting and scoring,
dictionary and frame counts, DTM counts) run as dask tasks, one per partition, on that
cluster's workers; the report kernels inherit the variable. newslens starts no scheduler of
its own: SLURM/PBS (dask-jobqueue), Kubernetes (dask-kubernetes) or a cloud dask provide one.

What a worker needs: newslens and its dependencies at the same version, and the corpus at the
same path. A partition of a partitioned corpus (`newslens.partitions`) is sent as the path of
its part file, its checksum and the ids wanted, so the workers read the text themselves from a
shared file system; a table held only in memory is sent in slices of 2,000 articles.

Results come back in partition order and each step reduces them exactly (tables are
concatenated and sorted, counts add), so every table and figure is byte-identical to a local
run. A worker that dies has its tasks retried by dask on the other workers; a task that keeps
failing stops the step with an error naming it (the report notebook then fails and publishes
nothing). A scheduler that cannot be reached fails within `CONNECT_TIMEOUT` seconds, naming its
address.

>>> where = current(jobs=2, environ={})
>>> where.describe(), where.map(abs, [-1, 2, -3], step="abs")
('locally with 2 processes', [1, 2, 3])
"""

from __future__ import annotations

import functools
import os
import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newslens import partitions
from newslens.parallel import process_pool

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ENV", "CONNECT_TIMEOUT", "RETRIES", "ClusterError", "Local", "Dask", "current", "connect", "map_partitions",
           "on_rows"]  # fmt: skip

ENV = "DASK_SCHEDULER_ADDRESS"
"""The environment variable naming the scheduler (dask's own; `newslens report --scheduler` sets it)."""
CONNECT_TIMEOUT = 3
"""Seconds to wait for the scheduler before giving up."""
RETRIES = 2
"""Times dask reruns a task whose worker died or that raised, before the step fails."""


class ClusterError(RuntimeError):
    """The scheduler cannot be reached, or a step failed on the cluster."""


@dataclass(frozen=True)
class Local:
    """Run here: in this process (``processes=1``) or in a `newslens.parallel` pool."""

    processes: int = 1

    def describe(self) -> str:
        return f"locally with {self.processes} process{'es' if self.processes != 1 else ''}"

    def map(self, fn: Callable[..., Any], partitions: Sequence[Any], *args: Any, step: str, **kwargs: Any) -> list:
        """``[fn(p, *args, **kwargs) for p in partitions]``, in worker processes when there are several."""
        if self.processes == 1 or len(partitions) < 2:
            return [fn(p, *args, **kwargs) for p in partitions]
        with process_pool(min(self.processes, len(partitions))) as pool:
            return list(pool.map(functools.partial(fn, **kwargs), partitions, *[[a] * len(partitions) for a in args]))


@dataclass(frozen=True)
class Dask:
    """Run as dask tasks on the scheduler at ``address``."""

    address: str

    def client(self):
        return connect(self.address)

    def describe(self) -> str:
        workers = len(self.client().nthreads())
        return f"on the scheduler at {self.address} with {workers} worker{'s' if workers != 1 else ''}"

    def map(self, fn: Callable[..., Any], partitions: Sequence[Any], *args: Any, step: str, **kwargs: Any) -> list:
        """``[fn(p, *args, **kwargs) for p in partitions]`` as dask tasks, gathered in partition order.

        Raises `ClusterError` naming `step` and the scheduler when a task fails for good (after
        `RETRIES` reruns, or when it killed workers more often than the scheduler allows).
        """
        from distributed import KilledWorker

        client = self.client()
        n = len(partitions)
        futures = client.map(fn, list(partitions), *[[a] * n for a in args], pure=False, retries=RETRIES, **kwargs)
        try:
            return client.gather(futures)
        except KilledWorker as exc:
            raise ClusterError(f"{step} failed on the scheduler at {self.address}: workers died running "
                               f"{exc.task} ({exc})") from exc  # fmt: skip
        except Exception as exc:
            raise ClusterError(f"{step} failed on the scheduler at {self.address}: "
                               f"{type(exc).__name__}: {exc}") from exc  # fmt: skip
        finally:
            client.cancel(futures)


@functools.cache
def connect(address: str):
    """A dask client of the scheduler at `address` (one per process), or `ClusterError` naming it
    after at most `CONNECT_TIMEOUT` seconds (a ``tcp://`` address is probed before dask is even
    imported, so a scheduler that is not there fails fast)."""
    _probe(address)
    import distributed

    try:
        return distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # refused, timed out, a bad address, or something else answering there
        raise ClusterError(f"cannot reach the dask scheduler at {address} within {CONNECT_TIMEOUT} s "
                           f"({type(exc).__name__}: {exc})") from exc  # fmt: skip


def _probe(address: str) -> None:
    scheme, _, rest = address.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme != "tcp" or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise ClusterError(f"cannot reach the dask scheduler at {address} ({type(exc).__name__}: {exc}; "
                           f"waited at most {CONNECT_TIMEOUT} s)") from exc  # fmt: skip


def current(jobs: int = 1, *, environ: Mapping[str, str] | None = None) -> Local | Dask:
    """Where heavy steps run now: the scheduler named by ``DASK_SCHEDULER_ADDRESS``, else here
    with `jobs` processes; inside a dask task always here, in that task."""
    address = (os.environ if environ is None else environ).get(ENV, "").strip()
    if address and _in_dask_worker():
        return Local(1)
    return Dask(address) if address else Local(int(jobs))


def _in_dask_worker() -> bool:
    if "distributed" not in sys.modules:
        return False
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:
        return False
    return True


def on_rows(part: Any, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(rows, *args)`` on the rows of a partition (`newslens.partitions.read`): a task for
    functions that take a DataFrame of articles.

    >>> import pandas as pd
    >>> on_rows(pd.DataFrame({"id": ["a", "b"]}), len)
    2
    """
    return fn(partitions.read(part), *args)


def map_partitions(fn: Callable[..., Any], df: pd.DataFrame, *, step: str, jobs: int = 1,
                   rows: int = partitions.CHUNK_ROWS, **kwargs: Any) -> list:  # fmt: skip
    """``fn(partition, **kwargs)`` for the articles of `df`, one call per partition, in order.

    The one place a heavy step hands its per-partition function to `current`: run here on the
    whole table (``[fn(df)]``, no scheduler and ``jobs=1``), or per partition of
    `newslens.partitions.of` (part files of a partitioned corpus, else slices of `rows`
    articles) in a local pool or on the dask cluster. `fn` is a module-level function that reads
    its rows with `newslens.partitions.read`; the caller reduces the list.

    >>> import pandas as pd
    >>> map_partitions(len, pd.DataFrame({"id": ["a", "b", "c"]}), step="count", rows=2)
    [3]
    """
    where = current(jobs)
    if isinstance(where, Local) and where.processes == 1:
        return [fn(df, **kwargs)]
    parts = partitions.of(df, rows=rows)
    return where.map(fn, parts, step=step, **kwargs) if parts else [fn(df, **kwargs)]
