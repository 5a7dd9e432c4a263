"""`make lab`: kernels start in the project root, like report runs."""

from __future__ import annotations

import os

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets.utils.importstring import import_item

from newslens.lab import ProjectRootKernelManager, server_options


def test_kernels_start_in_the_server_root(tmp_path):
    (tmp_path / "notebooks").mkdir()
    default = AsyncMappingKernelManager(root_dir=str(tmp_path))
    ours = ProjectRootKernelManager(root_dir=str(tmp_path))
    assert default.cwd_for_path("notebooks/00-corpus-overview.ipynb") == str(tmp_path / "notebooks")
    assert ours.cwd_for_path("notebooks/00-corpus-overview.ipynb") == str(tmp_path)


def test_make_lab_options_name_the_kernel_manager_and_the_root():
    options = server_options(root="/project")
    manager = [o.split("=", 1)[1] for o in options if o.startswith("--ServerApp.kernel_manager_class=")]
    assert [import_item(name) for name in manager] == [ProjectRootKernelManager]
    assert "--ServerApp.root_dir=/project" in options
    assert ("--allow-root" in options) == (os.geteuid() == 0)
