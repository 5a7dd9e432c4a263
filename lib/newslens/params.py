"""Notebook parameters: read the `parameters` cell, parse and type-check values, resolve a run.

Every notebook's first code cell is tagged `parameters` and holds one declaration per line,
`name: type = default  # help`, with a JSON-shaped default. Values given on the command line are
parsed as YAML scalars or flow lists/mappings (dates stay strings) and checked against the
declared type. An unknown parameter is an error that lists the valid ones.

>>> params = parse_cell('top_n: int = 20  # terms per outlet')
>>> params[0]
Parameter(name='top_n', type='int', default=20, help='terms per outlet')
>>> check_value(params[0], parse_value("15"))
15
>>> parse_value("2024-09-01"), parse_value("[A, B]")
('2024-09-01', ['A', 'B'])
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import tokenize
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import yaml

ParamType = Literal["str", "int", "float", "bool", "list", "dict"]
PARAM_TYPES: tuple[str, ...] = get_args(ParamType)

STANDARD = ("corpus", "output_dir", "outlets", "start", "end")
"""Parameters every notebook declares (set for all notebooks of a run)."""

RESERVED = {"corpus": "--corpus", "output_dir": "--out"}
"""Standard parameters the pipeline sets itself, with the option that sets them."""

_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*): (?P<type>[A-Za-z_]\w*) = (?P<value>.+?)  # (?P<help>\S.*)$"
)


class ParameterError(ValueError):
    """A parameters cell, a parameter name or a parameter value is not valid."""


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter."""

    name: str
    type: ParamType
    default: object
    help: str


class _Loader(yaml.SafeLoader):
    """YAML loader that keeps dates and times as strings (`2024-09-01` stays text)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _is_json_shaped(value: object) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_is_json_shaped(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json_shaped(v) for k, v in value.items())
    return False


def _literal(source: str) -> object:
    """Evaluate a JSON-shaped Python literal: double-quoted strings, numbers, booleans, lists, dicts."""
    try:
        value = ast.literal_eval(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (ValueError, SyntaxError, tokenize.TokenError) as exc:
        raise ParameterError(f"default {source!r} is not a literal value ({exc})") from exc
    single = [t.string for t in tokens if t.type == tokenize.STRING and not t.string.startswith('"')]
    if single or not _is_json_shaped(value):
        raise ParameterError(
            f"default {source!r} is not JSON-shaped: use double-quoted strings, numbers, "
            "True/False, [lists] and {\"key\": value} mappings"
        )
    return value


def check_value(param: Parameter, value: object) -> object:
    """Return `value` if it fits the declared type of `param` (ints are accepted for floats).

    >>> check_value(Parameter("alpha", "float", 0.5, "level"), 1)
    1.0
    >>> try:
    ...     check_value(Parameter("top_n", "int", 20, "terms"), "many")
    ... except ParameterError as exc:
    ...     print(exc)
    parameter 'top_n' expects int, got str 'many'
    """
    kind = param.type
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "list": isinstance(value, list) and _is_json_shaped(value),
        "dict": isinstance(value, dict) and _is_json_shaped(value),
    }[kind]
    if not ok:
        hint = ""
        if kind == "list":
            hint = f" (write a list, e.g. -p {param.name} '[\"A\", \"B\"]')"
        raise ParameterError(
            f"parameter {param.name!r} expects {kind}, got {type(value).__name__} {value!r}{hint}"
        )
    return float(value) if kind == "float" else value


def parse_cell(source: str) -> tuple[Parameter, ...]:
    """Parse a parameters cell: `name: type = default  # help` per line (blank/comment lines allowed)."""
    params: list[Parameter] = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.count("=") > 1:
            raise ParameterError(
                f"parameters cell line {number} {line!r} has more than one '=': papermill cannot "
                "document it (write '(empty: all)' rather than '(empty = all)' in the help)"
            )
        match = _LINE.match(line)
        if match is None:
            raise ParameterError(
                f"parameters cell line {number} {line!r} is not of the form "
                "'name: type = default  # help'"
            )
        kind = match["type"]
        if kind not in PARAM_TYPES:
            raise ParameterError(
                f"parameters cell line {number}: type {kind!r} is not one of {', '.join(PARAM_TYPES)}"
            )
        try:
            default = _literal(match["value"])
            param = Parameter(match["name"], kind, default, match["help"].strip())
            check_value(param, default)
        except ParameterError as exc:
            raise ParameterError(f"parameters cell line {number}: {exc}") from exc
        if any(p.name == param.name for p in params):
            raise ParameterError(f"parameters cell line {number}: {param.name!r} is declared twice")
        params.append(param)
    return tuple(params)


def notebook_parameters(nb) -> tuple[Parameter, ...]:
    """The parameters declared by a notebook (an `nbformat` node); its first code cell must be tagged."""
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if not code or "parameters" not in code[0].get("metadata", {}).get("tags", []):
        raise ParameterError("the first code cell is not tagged 'parameters'")
    return parse_cell(code[0].source)


def parse_value(raw: str) -> object:
    """Parse a command-line value as a YAML/JSON scalar, flow list or mapping; dates stay strings."""
    try:
        return yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"value {raw!r} is not valid YAML/JSON: {exc}") from exc


def _coerce_cli(param: Parameter, raw: str) -> object:
    """A command-line value for `param`: text parameters take the text as typed."""
    value = parse_value(raw)
    if param.type == "str" and not isinstance(value, str):
        return raw
    return check_value(param, value)


def load_params_file(path: str | os.PathLike) -> dict[str, object]:
    """Read a YAML parameters file: top-level `name: value` pairs for every notebook, and optional
    `NN-name: {name: value}` sections for one notebook."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter names to values")
    return data


def _valid_list(params: Iterable[Parameter]) -> str:
    return ", ".join(f"{p.name} ({p.type})" for p in sorted(params, key=lambda p: p.name))


def resolve(
    declared: Mapping[str, Sequence[Parameter]],
    *,
    fixed: Mapping[str, object],
    file_values: Mapping[str, object] | None = None,
    cli_values: Sequence[tuple[str, str]] = (),
) -> dict[str, dict[str, object]]:
    """Parameters to pass to each notebook of a run.

    `declared` maps notebook names to their declared parameters; `fixed` holds the values the
    pipeline sets (corpus, output_dir), passed only to notebooks that declare them; `file_values`
    comes from `load_params_file`; `cli_values` are raw `(name, value)` pairs from `-p NAME VALUE`.
    Later sources win (file, then command line). A name no selected notebook declares is an error.

    >>> nb = {"10-x": parse_cell('corpus: str = "c"  # corpus\\ntop_n: int = 5  # terms')}
    >>> resolve(nb, fixed={"corpus": "b.parquet", "output_dir": "out"}, cli_values=[("top_n", "7")])
    {'10-x': {'corpus': 'b.parquet', 'top_n': 7}}
    """
    by_name: dict[str, dict[str, Parameter]] = {
        nb: {p.name: p for p in params} for nb, params in declared.items()
    }
    every = {p.name: p for params in declared.values() for p in params}
    result: dict[str, dict[str, object]] = {nb: {} for nb in declared}

    def unknown(name: str, where: str) -> ParameterError:
        return ParameterError(
            f"unknown parameter {name!r} {where}; valid parameters: {_valid_list(every.values())}"
        )

    for name, value in fixed.items():
        for nb, params in by_name.items():
            if name in params:
                result[nb][name] = check_value(params[name], value)

    sections: dict[str, Mapping[str, object]] = {}
    for name, value in (file_values or {}).items():
        if name in declared:
            if not isinstance(value, dict):
                raise ParameterError(f"parameters file: section {name!r} must be a mapping")
            sections[name] = value
            continue
        if name in RESERVED:
            raise ParameterError(f"parameter {name!r} is set with {RESERVED[name]}, not in a parameters file")
        if name not in every:
            raise unknown(name, "in the parameters file (not declared by any selected notebook)")
        for nb, params in by_name.items():
            if name in params:
                result[nb][name] = check_value(params[name], value)
    for nb, section in sections.items():
        for name, value in section.items():
            if name in RESERVED:
                raise ParameterError(f"parameter {name!r} is set with {RESERVED[name]}, not in a parameters file")
            if name not in by_name[nb]:
                raise ParameterError(
                    f"unknown parameter {name!r} in section {nb!r} of the parameters file; "
                    f"valid parameters of {nb}: {_valid_list(by_name[nb].values())}"
                )
            result[nb][name] = check_value(by_name[nb][name], value)

    for name, raw in cli_values:
        if name in RESERVED:
            raise ParameterError(f"parameter {name!r} is set with {RESERVED[name]}, not with -p")
        if name not in every:
            raise unknown(name, "given with -p (not declared by any selected notebook)")
        for nb, params in by_name.items():
            if name in params:
                try:
                    result[nb][name] = _coerce_cli(params[name], raw)
                except ParameterError as exc:
                    raise ParameterError(f"{exc} (declared by {nb})") from exc
    return result


def help_text(params: Sequence[Parameter]) -> str:
    """One line per parameter, like `papermill --help-notebook`.

    >>> print(help_text(parse_cell('top_n: int = 20  # terms per outlet')))
      top_n: int (default 20)  terms per outlet
    """
    return "\n".join(f"  {p.name}: {p.type} (default {json.dumps(p.default)})  {p.help}" for p in params)
