"""`make lab`: kernels start in the project root, like report runs."""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from newslens.lab import ProjectRootKernelManager


def test_kernels_start_in_the_server_root(tmp_path):
    (tmp_path / "notebooks").mkdir()
    default = AsyncMappingKernelManager(root_dir=str(tmp_path))
    ours = ProjectRootKernelManager(root_dir=str(tmp_path))
    assert default.cwd_for_path("notebooks/00-corpus-overview.ipynb") == str(tmp_path / "notebooks")
    assert ours.cwd_for_path("notebooks/00-corpus-overview.ipynb") == str(tmp_path)
