"""No two modules of lib/newslens import each other, directly or through others.

The import graph is read from the source with `ast`: every `import` and `from ... import`
statement, at module level or inside functions, classes and `if TYPE_CHECKING:` blocks.
`from package import name` is an edge to the submodule `package.name` when there is one,
otherwise to the package itself (its `__init__`). Importing a module runs its parent
packages' `__init__` first; those implicit imports are not edges, since Python always runs
a package's `__init__` before its submodules.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "newslens"


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> source file, for every .py file below `package`."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (anywhere in its source)."""
    mods = modules(package)
    graph: dict[str, set[str]] = {name: set() for name in mods}
    for name, path in mods.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    here = here[: len(here) - node.level + 1]
                    base = ".".join(here + ([base] if base else []))
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in mods else base for alias in node.names]
            for target in targets:
                while target and target not in mods:  # `import newslens.keywords.dtm.x` -> the module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_cycles_in_newslens():
    graph = import_graph(PACKAGE)
    assert len(graph) > 30 and {"newslens.corpus", "newslens.ingest"} <= set(graph)
    assert cycles(graph) == [], "modules that import each other: " + "; ".join(" <-> ".join(c) for c in cycles(graph))


def test_graph_sees_function_level_and_relative_imports(tmp_path):
    """The checker on a small package: a cycle closed by a function-level import is found, as is one
    through a relative import and a package __init__; a one-way chain is not a cycle."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "from pkg.a import f\n",
        "a.py": "import pkg.b\n\ndef f():\n    return pkg.b\n",
        "b.py": "def g():\n    from pkg import c\n    return c\n",
        "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import f\n",
        "sub/__init__.py": "",
        "sub/x.py": "from . import y\nfrom .. import d\n",
        "sub/y.py": "from .x import *\n",
        "d.py": "import os\n",
        "e.py": "from pkg import f\n",
    }
    for rel, text in files.items():
        (pkg / rel).write_text(text)
    graph = import_graph(pkg)
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c"}, "pkg.c": {"pkg.a"},
                     "pkg.sub": set(), "pkg.sub.x": {"pkg.sub.y", "pkg.d"}, "pkg.sub.y": {"pkg.sub.x"},
                     "pkg.d": set(), "pkg.e": {"pkg"}}  # fmt: skip
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.sub.x", "pkg.sub.y"]]
