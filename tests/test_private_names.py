"""Modules of lib/newslens share code through public names only.

A name with a leading underscore is private to its module: another module that imports it (or
reads it as ``module._name``) depends on an implementation detail that may change under it.
What two modules both need gets a public, documented name in one of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "newslens"


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_imports(source: str, module: str) -> list[str]:
    """``"line: module.name"`` for every private name of another newslens module used in ``source``."""
    found = []
    aliases: dict[str, str] = {}  # local name -> newslens module bound to it
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("newslens"):  # `import newslens.x` binds newslens, `... as y` binds x
                    local = alias.asname or alias.name.split(".")[0]
                    aliases[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newslens") and node.level == 0:
            for alias in node.names:
                if node.module != module and _private(alias.name):
                    found.append(f"{node.lineno}: {node.module}.{alias.name}")
                aliases.setdefault(alias.asname or alias.name, f"{node.module}.{alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name):
            target = aliases.get(node.value.id)
            if target is not None and target != module:
                found.append(f"{node.lineno}: {target}.{node.attr}")
    return found


def test_the_rule_sees_both_ways_of_reaching_a_private_name():
    source = (
        "from newslens.text import _TOKEN_RE, tokens\n"
        "from newslens import text\n"
        "import newslens.dictionary as engine\n"
        "text._blocks('x')\n"
        "engine.__all__, text.tokens, self._own\n"
    )
    assert private_imports(source, "newslens.dictionary") == ["1: newslens.text._TOKEN_RE", "4: newslens.text._blocks"]


def test_no_module_uses_another_modules_private_names():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    offences = {
        str(path.relative_to(PACKAGE)): found
        for path in modules
        if (found := private_imports(path.read_text(encoding="utf-8"), _module_name(path)))
    }
    assert offences == {}, "give shared helpers a public, documented name in one module"
