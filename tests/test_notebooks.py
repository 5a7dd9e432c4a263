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
