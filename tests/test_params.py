"""Parameters cell parsing, value parsing/type checks and per-notebook resolution."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from papermill.translators import PythonTranslator

from newslens.params import (
    Parameter,
    ParameterError,
    check_value,
    load_params_file,
    notebook_parameters,
    parse_cell,
    parse_value,
    resolve,
)

CELL = '''corpus: str = "build/corpus.parquet"  # corpus table
outlets: list = []  # restrict to these outlets (empty: all)

# a comment line and a blank line are allowed
top_n: int = 20  # terms per outlet
alpha: float = 0.05  # significance level
by_week: bool = True  # group by week
colours: dict = {"A": "red"}  # colour per outlet'''


def test_parse_cell_reads_every_declaration():
    params = parse_cell(CELL)
    assert params == (
        Parameter("corpus", "str", "build/corpus.parquet", "corpus table"),
        Parameter("outlets", "list", [], "restrict to these outlets (empty: all)"),
        Parameter("top_n", "int", 20, "terms per outlet"),
        Parameter("alpha", "float", 0.05, "significance level"),
        Parameter("by_week", "bool", True, "group by week"),
        Parameter("colours", "dict", {"A": "red"}, "colour per outlet"),
    )


def test_parse_cell_agrees_with_papermill_inspection():
    """papermill --help-notebook must document exactly what we parse."""
    ours = parse_cell(CELL)
    theirs = PythonTranslator.inspect(new_code_cell(CELL))
    assert [(p.name, p.inferred_type_name, p.help) for p in theirs] == [(p.name, p.type, p.help) for p in ours]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("top_n: int = 20", "not of the form"),  # no help comment
        ("top_n = 20  # terms", "not of the form"),  # no type
        ("name: str = 'x'  # single quotes", "JSON-shaped"),
        ("pair: list = (1, 2)  # a tuple", "JSON-shaped"),
        ("top_n: integer = 20  # terms", "not one of str, int, float, bool, list, dict"),
        ("top_n: int = \"20\"  # terms", "expects int"),
        ("top_n: int = 20  # terms (default = 20)", "more than one '='"),
        ("top_n: int = len([])  # terms", "not a literal"),
    ],
)
def test_parse_cell_rejects_bad_lines(line, reason):
    with pytest.raises(ParameterError, match=r"line 1") as err:
        parse_cell(line)
    assert reason in str(err.value)


def test_parse_cell_rejects_duplicates():
    with pytest.raises(ParameterError, match="'a' is declared twice"):
        parse_cell("a: int = 1  # one\na: int = 2  # two")


def test_notebook_parameters_needs_a_tagged_first_code_cell():
    untagged = new_notebook(cells=[new_code_cell("a: int = 1  # one")])
    with pytest.raises(ParameterError, match="not tagged 'parameters'"):
        notebook_parameters(untagged)
    tagged = new_notebook(cells=[new_code_cell("a: int = 1  # one", metadata={"tags": ["parameters"]})])
    assert notebook_parameters(tagged) == (Parameter("a", "int", 1, "one"),)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2024-09-01", "2024-09-01"),  # dates stay text
        ("15", 15),
        ("0.5", 0.5),
        ("true", True),
        ("[Times Tengri, Daily Beacon]", ["Times Tengri", "Daily Beacon"]),
        ('["A", "B"]', ["A", "B"]),
        ("{a: 1}", {"a": 1}),
        ("Times Tengri", "Times Tengri"),
    ],
)
def test_parse_value(raw, value):
    assert parse_value(raw) == value
    assert type(parse_value(raw)) is type(value)


def test_parse_value_rejects_broken_yaml():
    with pytest.raises(ParameterError, match="not valid YAML"):
        parse_value("[A, B")


def test_check_value_types():
    assert check_value(Parameter("x", "float", 0.5, "h"), 2) == 2.0
    assert isinstance(check_value(Parameter("x", "float", 0.5, "h"), 2), float)
    with pytest.raises(ParameterError, match="expects int, got bool"):
        check_value(Parameter("x", "int", 1, "h"), True)
    with pytest.raises(ParameterError, match="expects int, got float"):
        check_value(Parameter("x", "int", 1, "h"), 1.5)
    with pytest.raises(ParameterError, match=r"expects list.*-p outlets"):
        check_value(Parameter("outlets", "list", [], "h"), "Times Tengri")
    with pytest.raises(ParameterError, match="expects bool"):
        check_value(Parameter("x", "bool", True, "h"), "maybe")


STD = parse_cell(
    'corpus: str = "c"  # corpus\noutput_dir: str = "reports"  # out\noutlets: list = []  # outlets'
)
DECLARED = {
    "00-overview": STD + parse_cell("seed: int = 0  # seed"),
    "30-keywords": STD + parse_cell("top_n: int = 20  # terms\nseed: int = 0  # seed"),
    "90-plain": parse_cell("note: str = \"\"  # a note"),
}
FIXED = {"corpus": "/data/c.parquet", "output_dir": "/out"}


def test_resolve_passes_each_value_only_to_declaring_notebooks():
    values = resolve(DECLARED, fixed=FIXED, cli_values=[("top_n", "7"), ("outlets", "[A]")])
    assert values == {
        "00-overview": {"corpus": "/data/c.parquet", "output_dir": "/out", "outlets": ["A"]},
        "30-keywords": {"corpus": "/data/c.parquet", "output_dir": "/out", "top_n": 7, "outlets": ["A"]},
        "90-plain": {},
    }


def test_resolve_unknown_cli_parameter_is_an_error_listing_valid_ones():
    with pytest.raises(ParameterError) as err:
        resolve(DECLARED, fixed=FIXED, cli_values=[("topn", "7")])
    message = str(err.value)
    assert "unknown parameter 'topn'" in message
    for name in ("corpus", "note", "outlets", "output_dir", "seed", "top_n"):
        assert name in message


def test_resolve_parameter_of_unselected_notebook_is_unknown():
    only_overview = {"00-overview": DECLARED["00-overview"]}
    with pytest.raises(ParameterError, match="unknown parameter 'top_n'"):
        resolve(only_overview, fixed=FIXED, cli_values=[("top_n", "7")])


def test_resolve_mistyped_value_names_the_notebook():
    with pytest.raises(ParameterError, match=r"'top_n' expects int, got str 'many'.*30-keywords"):
        resolve(DECLARED, fixed=FIXED, cli_values=[("top_n", "many")])


def test_resolve_text_parameter_takes_the_text_as_typed():
    values = resolve(DECLARED, fixed=FIXED, cli_values=[("note", "2024")])
    assert values["90-plain"] == {"note": "2024"}


def test_resolve_reserved_parameters_point_to_their_option():
    with pytest.raises(ParameterError, match="set with --corpus"):
        resolve(DECLARED, fixed=FIXED, cli_values=[("corpus", "x")])
    with pytest.raises(ParameterError, match="set with --out"):
        resolve(DECLARED, fixed=FIXED, file_values={"output_dir": "x"})


def test_params_file_global_values_sections_and_cli_precedence(tmp_path):
    path = tmp_path / "params.yml"
    path.write_text("seed: 3\ntop_n: 10\n30-keywords:\n  seed: 9\n", encoding="utf-8")
    file_values = load_params_file(path)
    values = resolve(DECLARED, fixed=FIXED, file_values=file_values, cli_values=[("top_n", "12")])
    assert values["00-overview"]["seed"] == 3
    assert values["30-keywords"]["seed"] == 9
    assert values["30-keywords"]["top_n"] == 12


def test_params_file_unknown_names_are_errors(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameter 'sede' in the parameters file"):
        resolve(DECLARED, fixed=FIXED, file_values={"sede": 1})
    with pytest.raises(ParameterError, match=r"'top_n' in section '00-overview'.*valid parameters of 00-overview"):
        resolve(DECLARED, fixed=FIXED, file_values={"00-overview": {"top_n": 5}})
    with pytest.raises(ParameterError, match="expects int"):
        resolve(DECLARED, fixed=FIXED, file_values={"seed": "x"})
    bad = tmp_path / "bad.yml"
    bad.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="expected a mapping"):
        load_params_file(bad)


def test_parameters_written_by_nbformat_roundtrip(tmp_path):
    nb = new_notebook(cells=[new_code_cell(CELL, metadata={"tags": ["parameters"]})])
    path = tmp_path / "10-x.ipynb"
    nbformat.write(nb, path)
    assert notebook_parameters(nbformat.read(path, as_version=4)) == parse_cell(CELL)
