"""JupyterLab for the project: `make lab` runs `python -m newslens.lab` from the project root.

Notebooks use paths relative to the project root (`build/corpus.parquet`); JupyterLab would start
each kernel in the notebook's own folder. `server_options` holds the whole configuration of
`make lab` (the browser test starts JupyterLab with the same): the project root as the server's
root, the notebooks folder as the landing page, and a kernel manager that starts every kernel in
the project root, so that interactive runs see the same working directory as `make reports`.
Options given after `python -m newslens.lab` are added to them (e.g. `--port=8899`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class ProjectRootKernelManager(AsyncMappingKernelManager):
    """Starts every kernel in the server's root folder (the project root under `make lab`)."""

    def cwd_for_path(self, path, **kwargs):
        return self.root_dir


KERNEL_MANAGER = "newslens.lab.ProjectRootKernelManager"
"""`ProjectRootKernelManager` by import name, as JupyterLab's configuration takes it."""


def server_options(*, root: str | os.PathLike = ".") -> list[str]:
    """The JupyterLab options of `make lab` for the project at `root` (`--allow-root` as root).

    >>> server_options(root="/project")[:3]
    ['--ServerApp.root_dir=/project', '--LabApp.default_url=/lab/tree/notebooks', '--ServerApp.kernel_manager_class=newslens.lab.ProjectRootKernelManager']
    """
    options = [
        f"--ServerApp.root_dir={os.fspath(root)}",
        "--LabApp.default_url=/lab/tree/notebooks",
        f"--ServerApp.kernel_manager_class={KERNEL_MANAGER}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.append("--allow-root")
    return options


def main(argv: Sequence[str] | None = None) -> None:
    """Start JupyterLab in the current folder with `server_options()`, then `argv`'s options."""
    from jupyterlab.labapp import LabApp

    extra = sys.argv[1:] if argv is None else list(argv)
    LabApp.launch_instance(argv=[*server_options(), *extra])


if __name__ == "__main__":
    main()
