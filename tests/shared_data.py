"""Where the tests find the project's shared data (../shared, never redistributed) and bench scripts.

Tests that need a shared file skip, with the path and the reason, when it is absent, so the core
suite runs without it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWSDB = SHARED / "newsdb"
EVAL = SHARED / "eval"


def newsdb(name: str) -> Path:
    """A real vendor export under ../shared/newsdb, or skip the test."""
    path = NEWSDB / name
    if not path.is_file():
        pytest.skip(f"real export not available: {path} (../shared/newsdb is not redistributed)")
    return path


def bench_module(name: str) -> ModuleType:
    """The script ``bench/<name>.py`` imported as module ``name`` (once; dataclasses look their module up)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
