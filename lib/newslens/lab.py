"""JupyterLab integration: kernels start in the project root, exactly as in `make reports`.

Notebooks use paths relative to the project root (`build/corpus.parquet`, `reports/`);
JupyterLab would start each kernel in the notebook's own folder. `make lab` selects this
kernel manager so that interactive runs and report runs see the same working directory.

    jupyter lab --ServerApp.kernel_manager_class=newslens.lab.ProjectRootKernelManager
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class ProjectRootKernelManager(AsyncMappingKernelManager):
    """Starts every kernel in the server's root folder (the project root under `make lab`)."""

    def cwd_for_path(self, path, **kwargs):
        return self.root_dir
