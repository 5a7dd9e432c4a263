"""Hygiene of every report notebook in notebooks/: clean, thin, documented parameters."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
import papermill

from newslens.params import STANDARD, notebook_parameters
from newslens.pipeline import summary

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

STANDARD_TYPES = {"corpus": "str", "output_dir": "str", "outlets": "list", "start": "str", "end": "str"}
# Run by hand, a notebook writes into a scratch folder, never into the published reports/.
STANDARD_DEFAULTS = {"corpus": "build/corpus.parquet", "output_dir": "build/scratch", "outlets": [], "start": "",
                     "end": ""}


def test_there_are_report_notebooks():
    assert any(p.name == "00-corpus-overview.ipynb" for p in NOTEBOOKS)


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_name_and_kernel(notebook):
    path, nb = notebook
    assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*", path.stem), "name notebooks NN-name.ipynb"
    assert nb.metadata.get("kernelspec", {}).get("name") == "newslens"
    nbformat.validate(nb)


def test_no_outputs_committed(notebook):
    _, nb = notebook
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {number} has outputs"
            assert cell.execution_count is None, f"cell {number} has an execution count"


def test_no_definitions_in_notebooks(notebook):
    _, nb = notebook
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        assert not defined, f"cell {number} defines {type(defined[0]).__name__}: move it into lib/newslens"


def test_parameters_cell_declares_the_standard_parameters(notebook):
    _, nb = notebook
    declared = {p.name: p for p in notebook_parameters(nb)}  # raises on a malformed line
    for name in STANDARD:
        assert name in declared, f"standard parameter {name!r} missing"
        assert declared[name].type == STANDARD_TYPES[name]
        assert declared[name].default == STANDARD_DEFAULTS[name]
        assert declared[name].help


def test_papermill_documents_every_parameter(notebook):
    """`papermill --help-notebook` lists exactly the parameters the pipeline knows about."""
    path, nb = notebook
    ours = [(p.name, p.type, p.help) for p in notebook_parameters(nb)]
    theirs = [(p["name"], p["inferred_type_name"], p["help"]) for p in papermill.inspect_notebook(str(path)).values()]
    assert theirs == ours


def test_first_markdown_cell_is_title_and_description(notebook):
    _, nb = notebook
    assert nb.cells[0].cell_type == "markdown", "the notebook starts with its title"
    assert nb.cells[0].source.startswith("# ")
    title, description = summary(nb)
    assert title and description and not description.startswith("#")



def thin_code_problems(cells: list[str]) -> list[str]:
    """What the code cells of a report notebook may not contain: ``"code cell N, line M: ..."`` per offence.

    Notebooks are narratives of library calls, so the rule is:

    * no ``def``, ``class`` or ``lambda`` (logic belongs in lib/newslens);
    * imports only of ``newslens`` and its modules (``import math``, ``from matplotlib ...`` mean
      layout or maths done in the notebook);
    * no method call on, and no attribute assignment to, a matplotlib object. Matplotlib objects
      are what ``newslens.plots`` functions return, their ``.figure`` / ``.axes``, names imported
      from matplotlib and what calling them gives, and every name bound to one of these (by
      ``=``, ``for`` or ``with``) or to the result of a call on one, in any cell (cells share one
      namespace). Passing them on (``out.figure(ax.figure, ...)``) is fine.

    ``cells`` are numbered from 1 in the messages.
    """
    trees = [ast.parse(source) for source in cells]
    problems: list[tuple[int, int, str]] = []
    plot_modules = {"plots"}
    figures: set[str] = set()  # names bound to matplotlib objects (or to matplotlib itself)
    for cell, tree in enumerate(trees, start=1):
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                problems.append((cell, node.lineno, f"{type(node).__name__} (move it into lib/newslens)"))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    root = alias.name.split(".")[0]
                    if root == "matplotlib":
                        figures.add(alias.asname or root)
                    if root != "newslens":
                        problems.append((cell, node.lineno, f"import {alias.name} (only newslens is imported)"))
                    elif alias.name == "newslens.plots":
                        plot_modules.add(alias.asname or "newslens")
            elif isinstance(node, ast.ImportFrom):
                root = (node.module or "").split(".")[0]
                if root == "matplotlib":
                    figures.update(a.asname or a.name for a in node.names)
                if node.level or root != "newslens":
                    problems.append((cell, node.lineno, f"from {node.module} import ... (only newslens is imported)"))
                else:
                    plot_modules.update(a.asname or a.name for a in node.names if a.name == "plots")

    def is_figure(expr: ast.expr) -> bool:
        """Whether ``expr`` evaluates to a matplotlib object under the rule above."""
        if isinstance(expr, ast.Name):
            return expr.id in figures
        if isinstance(expr, ast.Attribute):
            return expr.attr in ("figure", "axes") or is_figure(expr.value)
        if isinstance(expr, ast.Subscript):
            return is_figure(expr.value)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in plot_modules:
                return True
            if isinstance(func, ast.Name):
                return func.id in figures  # e.g. Figure(...)
            return isinstance(func, ast.Attribute) and is_figure(func.value)  # e.g. fig.subplots()
        return False

    def bind(target: ast.expr) -> None:
        figures.update(name.id for name in ast.walk(target) if isinstance(name, ast.Name))

    for tree in trees:  # bindings in execution order, so later cells see earlier names
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and is_figure(node.value):
                for target in node.targets:
                    bind(target)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None and is_figure(node.value):
                bind(node.target)
            elif isinstance(node, (ast.For, ast.comprehension)) and is_figure(node.iter):
                bind(node.target)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None and is_figure(node.context_expr):
                bind(node.optional_vars)
    for cell, tree in enumerate(trees, start=1):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_figure(node.func.value):
                problems.append((cell, node.lineno, f".{node.func.attr}() called on a matplotlib object "
                                                    "(draw it in a newslens.plots function)"))
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                problems.extend((cell, node.lineno, f".{target.attr} set on a matplotlib object")
                                for target in targets if isinstance(target, ast.Attribute) and is_figure(target.value))
    return [f"code cell {cell}, line {line}: {what}" for cell, line, what in sorted(set(problems))]


_ON_MPL = "called on a matplotlib object (draw it in a newslens.plots function)"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["ax = plots.tone_over_time(df)\nout.figure(ax.figure, df, 'x')\nout.table(df.head(3), 'y')"], []),
        (["out.figure(plots.keyness_grid(keys, sizes), keys, 'k')\nprint(f\"{len(df)} rows\")"], []),
        (["import math\nfrom matplotlib.figure import Figure\nimport newslens\nfrom newslens import plots"],
         ["code cell 1, line 1: import math (only newslens is imported)",
          "code cell 1, line 2: from matplotlib.figure import ... (only newslens is imported)"]),
        (["f = lambda x: x\ndef g():\n    pass\nclass C:\n    pass"],
         ["code cell 1, line 1: Lambda (move it into lib/newslens)",
          "code cell 1, line 2: FunctionDef (move it into lib/newslens)",
          "code cell 1, line 4: ClassDef (move it into lib/newslens)"]),
        (["ax = plots.tone_over_time(df)", "ax.set_title('t')"], [f"code cell 2, line 1: .set_title() {_ON_MPL}"]),
        (["plots.weekly_articles(c).figure.set_size_inches(3, 4)"],
         [f"code cell 1, line 1: .set_size_inches() {_ON_MPL}"]),
        (["fig = plots.keyness_grid(k, s)\nfor ax in fig.axes[3:]:\n    ax.set_visible(False)"],
         [f"code cell 1, line 3: .set_visible() {_ON_MPL}"]),
        (["from newslens import plots as p\nax = p.tone_heatmap(m)\nax.title = 'x'"],
         ["code cell 1, line 3: .title set on a matplotlib object"]),
        (["from matplotlib.figure import Figure",
          "fig = Figure(figsize=(12, 4))\naxes = fig.subplots(2, 2, squeeze=False).ravel()\n"
          "for ax in axes[3:]:\n    ax.set_visible(False)"],
         ["code cell 1, line 1: from matplotlib.figure import ... (only newslens is imported)",
          f"code cell 2, line 2: .ravel() {_ON_MPL}", f"code cell 2, line 2: .subplots() {_ON_MPL}",
          f"code cell 2, line 4: .set_visible() {_ON_MPL}"]),
        (["import matplotlib.pyplot as plt\nplt.subplots()"],
         ["code cell 1, line 1: import matplotlib.pyplot (only newslens is imported)",
          f"code cell 1, line 2: .subplots() {_ON_MPL}"]),
    ],
    ids=["calls", "inline", "imports", "definitions", "axes-method", "figure-method", "loop", "alias-attribute",
         "grid-by-hand", "pyplot"],
)
def test_thin_code_rule(cells, expected):
    assert thin_code_problems(cells) == expected


def test_notebooks_keep_calls_and_prose_only(notebook):
    """Layout and logic live in lib/newslens: see thin_code_problems for the rule."""
    _, nb = notebook
    assert thin_code_problems([cell.source for cell in nb.cells if cell.cell_type == "code"]) == []
