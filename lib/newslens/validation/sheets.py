"""Coding sheets: write an XLSX workbook (and CSV copies) for coders, read the filled sheets back.

:func:`coding_sheet` writes one sheet per coder: the unit id, the text to code, and one column per
codebook variable with a drop-down of its allowed values (data validation), the header row and
unit column frozen; a ``codebook`` sheet gives every value's definition. The same is written as
CSV: one file per coder and the codebook. Coders see no outlet or date unless ``columns`` asks.

Article text is data, never a formula. Every written cell is a plain string cell; one that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is also marked quote-prefixed
in the workbook (Excel keeps it text when edited) and prefixed with ``'`` in the CSV files, the
usual guard against spreadsheet formula injection (:func:`read_coding` takes the ``'`` off again).
Characters XLSX cannot hold (control characters) become U+FFFD and a text longer than a cell's
32,767 characters is cut with a note; both are listed in ``problems`` (the CSV keeps the text).
Two runs with the same input write byte-identical files.

:func:`read_coding` reads filled sheets back (XLSX, or CSV one per coder, or a long CSV
``unit, coder, variable, value``). Each problem is a row ``[file, sheet, row, column, reason]``:
an unknown value, a unit not in the sample, a duplicate, a blank, an unreadable file; the good
rows still load. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from newslens import atomic
from newslens.validation.codebook import check_codebook, read_codebook

__all__ = ["CODEBOOK_SHEET", "Sheets", "Codes", "coding_sheet", "read_coding", "write_sample", "read_sample"]

CODEBOOK_SHEET = "codebook"
_GUARDED = ("=", "+", "-", "@", "\t", "\r")
_MAX_CELL = 32_767
_FIXED_TIME = dt.datetime(2000, 1, 1)
_PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "reason"]
_BAD_SHEET_CHARS = set("[]:*?/\\")


def _problems(rows: list[tuple]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=_PROBLEM_COLUMNS)
    return out.astype({"file": "str", "sheet": "str", "row": "int64", "column": "str", "reason": "str"})


def _guard(text: str) -> str:
    """The CSV form of a cell: a leading formula character is made inert with ``'``.

    >>> _guard("=HYPERLINK(1)"), _guard("plain"), _unguard(_guard("-1"))
    ("'=HYPERLINK(1)", 'plain', '-1')
    """
    return "'" + text if text.startswith(_GUARDED) else text


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_GUARDED) else text


@dataclass(frozen=True)
class Sheets:
    """What :func:`coding_sheet` wrote: the workbook, the coders' CSV files, the codebook CSV, problems."""

    xlsx: Path
    csv: tuple[Path, ...]
    codebook_csv: Path
    problems: pd.DataFrame


def _check_coders(coders: Sequence[str]) -> list[str]:
    coders = [str(c).strip() for c in coders]
    if not coders:
        raise ValueError("coding_sheet: give at least one coder")
    for name in coders:
        bad = sorted(set(name) & _BAD_SHEET_CHARS)
        if not name or len(name) > 31 or bad or name.lower() == CODEBOOK_SHEET or name.startswith("'"):
            raise ValueError(f"coding_sheet: coder name {name!r} cannot name a sheet (1-31 characters, none of "
                             f"[ ] : * ? / \\, not {CODEBOOK_SHEET!r})")
    if len({c.lower() for c in coders}) != len(coders):
        raise ValueError(f"coding_sheet: coder names repeat (case-insensitive): {coders}")
    return coders


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def _write_cell(ws, row: int, col: int, text: str, problems: list, where: tuple[str, str, str]) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    clean = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if clean != text:
        problems.append((*where[:2], row, where[2], "control characters replaced by U+FFFD in the workbook"))
    if len(clean) > _MAX_CELL:
        note = f" … [cut at {_MAX_CELL:,} characters; the full text is in the CSV file]"
        clean = clean[: _MAX_CELL - len(note)] + note
        problems.append((*where[:2], row, where[2], f"text of {len(text):,} characters cut to fit one cell"))
    cell = ws.cell(row=row, column=col)
    cell.value = clean
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if clean.startswith(_GUARDED):
        cell.quotePrefix = True


def _deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed member times, so equal workbooks are equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()


def coding_sheet(
    sample: pd.DataFrame,
    codebook: pd.DataFrame,
    *,
    coders: Sequence[str],
    path: str | os.PathLike,
    columns: Sequence[str] = ("title", "text"),
) -> Sheets:
    """Write the coding workbook ``path`` (.xlsx) and its CSV copies beside it.

    ``sample`` needs a ``unit`` column (as from :func:`newslens.validation.sample`); ``columns``
    are the sample columns shown to coders (missing ones are skipped). Files: ``path``, one
    ``<stem>-<coder>.csv`` per coder (with a ``coder`` column) and ``<stem>-codebook.csv``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    coders = _check_coders(coders)
    book = check_codebook(codebook)
    if "unit" not in sample.columns:
        raise KeyError(f"coding_sheet: the sample needs a 'unit' column (columns: {list(sample.columns)})")
    if sample["unit"].duplicated().any():
        raise ValueError("coding_sheet: the sample lists a unit twice")
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"coding_sheet: path must end in .xlsx, got {path.name!r}")
    variables = list(dict.fromkeys(book["variable"]))
    order = pd.Categorical(book["variable"], categories=variables, ordered=True)
    book = book.assign(_v=order).sort_values("_v", kind="mergesort").drop(columns="_v").reset_index(drop=True)
    clash = sorted(set(variables) & {"unit", "coder", *columns})
    if clash:
        raise ValueError(f"coding_sheet: codebook variable(s) {clash} clash with the sheet's columns")
    shown = [c for c in columns if c in sample.columns]
    sample = sample.sort_values("unit", kind="mergesort").reset_index(drop=True)
    cells = {c: [_text(v) for v in sample[c]] for c in ["unit", *shown]}
    header = ["unit", *shown, *variables]
    problems: list[tuple] = []

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = {"unit": 24, "title": 40, "text": 80}
    for coder in coders:
        ws = wb.create_sheet(coder)
        for col, name in enumerate(header, 1):
            _write_cell(ws, 1, col, name, problems, (path.name, coder, name))
            ws.cell(row=1, column=col).font = bold
            ws.column_dimensions[get_column_letter(col)].width = widths.get(name, 16)
        for i in range(len(sample)):
            for col, name in enumerate(["unit", *shown], 1):
                _write_cell(ws, i + 2, col, cells[name][i], problems, (path.name, coder, name))
                ws.cell(row=i + 2, column=col).alignment = wrap
        ws.freeze_panes = "B2"
        for offset, variable in enumerate(variables):
            at = np.nonzero((book["variable"] == variable).to_numpy())[0]
            first, last = int(at[0]) + 2, int(at[-1]) + 2
            letter = get_column_letter(len(shown) + 2 + offset)
            check = DataValidation(type="list", formula1=f"'{CODEBOOK_SHEET}'!$C${first}:$C${last}", allow_blank=True,
                                   showErrorMessage=True, errorTitle="Not in the codebook",
                                   error=f"Choose one of the values the codebook lists for {variable}.")  # fmt: skip
            check.add(f"{letter}2:{letter}{max(2, len(sample) + 1)}")
            ws.add_data_validation(check)
    cb = wb.create_sheet(CODEBOOK_SHEET)
    for col, name in enumerate(book.columns, 1):
        _write_cell(cb, 1, col, name, problems, (path.name, CODEBOOK_SHEET, name))
        cb.cell(row=1, column=col).font = bold
        cb.column_dimensions[get_column_letter(col)].width = {"definition": 90, "label": 30}.get(name, 18)
    for i, record in enumerate(book.itertuples(index=False), 2):
        for col, value in enumerate(record, 1):
            _write_cell(cb, i, col, value, problems, (path.name, CODEBOOK_SHEET, book.columns[col - 1]))
            cb.cell(row=i, column=col).alignment = wrap
    cb.freeze_panes = "A2"
    wb.properties.creator = "newslens"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    atomic.write_bytes(path, _deterministic_zip(buffer.getvalue()))

    written = []
    for coder in coders:
        table = pd.DataFrame({"coder": coder, **{c: cells[c] for c in ["unit", *shown]}, **{v: "" for v in variables}})
        target = path.with_name(f"{path.stem}-{coder}.csv")
        atomic.write_text(target, table.map(_guard).to_csv(index=False, lineterminator="\n"))
        written.append(target)
    codebook_csv = path.with_name(f"{path.stem}-codebook.csv")
    atomic.write_text(codebook_csv, book.map(_guard).to_csv(index=False, lineterminator="\n"))
    out = _problems(problems).drop_duplicates(["sheet", "row", "column", "reason"]) if problems else _problems([])
    return Sheets(xlsx=path, csv=tuple(written), codebook_csv=codebook_csv, problems=out.reset_index(drop=True))


def write_sample(sample: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a sample as CSV (text cells guarded as in the coding sheets); :func:`read_sample` reads it."""
    table = sample.copy()
    for col in table.columns:
        table[col] = [_guard(_text(v)) for v in table[col]]
    atomic.write_text(path, table.to_csv(index=False, lineterminator="\n"))
    return Path(path)


def read_sample(path: str | os.PathLike) -> pd.DataFrame:
    """A sample CSV written by :func:`write_sample`, all columns as text, guards removed.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> read_sample(write_sample(pd.DataFrame({"unit": ["a"], "text": ["=1+1"]}), folder / "s.csv")).values.tolist()
    [['a', '=1+1']]
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "unit" not in table.columns:
        raise ValueError(f"{path}: not a sample (no 'unit' column; columns: {', '.join(table.columns)})")
    return table.map(_unguard)


# --- reading filled sheets -----------------------------------------------------------------------


@dataclass(frozen=True)
class Codes:
    """A coding round read back: ``codes`` ``[unit, coder, variable, value, file, sheet, row]`` and ``problems``."""

    codes: pd.DataFrame
    problems: pd.DataFrame

    @property
    def coders(self) -> list[str]:
        """The coders with at least one code, sorted."""
        return sorted(set(self.codes["coder"]))


def _cell_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return _unguard(str(value).strip())


class _Reader:
    """Collects codes and problems across files, enforcing the codebook, the sample and uniqueness."""

    def __init__(self, book: pd.DataFrame, sample_units: set[str] | None):
        self.allowed = {v: {str(x).casefold(): str(x) for x in rows["value"]} for v, rows in book.groupby("variable")}
        self.sample_units = sample_units
        self.rows: list[tuple] = []
        self.problems: list[tuple] = []
        self.first: dict[tuple[str, str, str], tuple[str, str, int]] = {}

    def problem(self, file: str, sheet: str, row: int, column: str, reason: str) -> None:
        self.problems.append((file, sheet, row, column, reason))

    def record(self, file: str, sheet: str, row: int, unit: str, coder: str, values: dict[str, str]) -> None:
        if not unit:
            if any(values.values()):
                self.problem(file, sheet, row, "unit", "no unit id; row skipped")
            return
        if not coder:
            self.problem(file, sheet, row, "coder", "no coder; row skipped")
            return
        if self.sample_units is not None and unit not in self.sample_units:
            self.problem(file, sheet, row, "unit", f"unit {unit!r} is not in the sample; row skipped")
            return
        if values and not any(values.values()):
            self.problem(file, sheet, row, "", f"blank: unit {unit!r} not coded (every variable empty)")
            return
        for variable, raw in values.items():
            if not raw:
                self.problem(file, sheet, row, variable, f"blank: no value for unit {unit!r}")
                continue
            value = self.allowed[variable].get(raw.casefold())
            if value is None:
                listing = ", ".join(self.allowed[variable].values())
                self.problem(file, sheet, row, variable, f"unknown value {raw!r} (allowed: {listing})")
                continue
            key = (coder, unit, variable)
            if key in self.first:
                f, s, r = self.first[key]
                self.problem(file, sheet, row, variable, f"duplicate: {coder} coded unit {unit!r} already "
                             f"({f}{' ' + s if s else ''} row {r}); kept the first")  # fmt: skip
                continue
            self.first[key] = (file, sheet, row)
            self.rows.append((unit, coder, variable, value, file, sheet, row))

    def wide(self, file: str, sheet: str, header: list[str], rows, default_coder: str) -> None:
        names = [h.strip() for h in header]
        lowered = [h.lower() for h in names]
        if "unit" not in lowered:
            self.problem(file, sheet, 1, "", f"no 'unit' column (columns: {', '.join(names) or 'none'}); sheet skipped")
            return
        unit_at = lowered.index("unit")
        coder_at = lowered.index("coder") if "coder" in lowered else None
        variables = [(k, h) for k, h in enumerate(names) if h in self.allowed]
        if not variables:
            self.problem(file, sheet, 1, "", "no codebook variable among the columns; sheet skipped")
            return
        for number, cells in rows:
            cells = list(cells) + [None] * (len(names) - len(cells))
            coder = _cell_value(cells[coder_at]) if coder_at is not None else default_coder
            values = {h: _cell_value(cells[k]) for k, h in variables}
            self.record(file, sheet, number, _cell_value(cells[unit_at]), coder, values)

    def result(self) -> Codes:
        codes = pd.DataFrame(self.rows, columns=["unit", "coder", "variable", "value", "file", "sheet", "row"])
        codes = codes.astype({c: "str" for c in ("unit", "coder", "variable", "value", "file", "sheet")})
        codes = codes.astype({"row": "int64"}).sort_values(["unit", "coder", "variable"], kind="mergesort")
        problems = _problems(self.problems).sort_values(["file", "sheet", "row", "column"], kind="mergesort")
        return Codes(codes=codes.reset_index(drop=True), problems=problems.reset_index(drop=True))


def _read_xlsx(reader: _Reader, path: Path, name: str) -> None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        reader.problem(name, "", 0, "", f"cannot read the workbook: {type(exc).__name__}: {exc}")
        return
    try:
        for ws in wb.worksheets:
            if ws.title.lower() == CODEBOOK_SHEET:
                continue
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            reader.wide(name, ws.title, [_cell_value(h) for h in header],
                        ((k, r) for k, r in enumerate(rows, 2)), ws.title)  # fmt: skip
    finally:
        wb.close()


def _read_csv(reader: _Reader, path: Path, name: str) -> None:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reader.problem(name, "", 0, "", f"cannot read the CSV file: {str(exc).strip()}")
        return
    lowered = [str(c).strip().lower() for c in table.columns]
    if {"unit", "coder", "variable", "value"} <= set(lowered):
        table.columns = lowered
        for number, rec in enumerate(table.itertuples(index=False), 2):
            variable = _cell_value(rec.variable)
            if variable not in reader.allowed:
                reader.problem(name, "", number, "variable", f"unknown variable {variable!r}; row skipped")
                continue
            reader.record(name, "", number, _cell_value(rec.unit), _cell_value(rec.coder),
                          {variable: _cell_value(rec.value)})  # fmt: skip
        return
    reader.wide(name, "", [str(c) for c in table.columns],
                ((k, list(r)) for k, r in enumerate(table.itertuples(index=False), 2)), path.stem)  # fmt: skip


def read_coding(
    *paths: str | os.PathLike,
    codebook: pd.DataFrame | str | os.PathLike,
    sample: pd.DataFrame | str | os.PathLike | None = None,
) -> Codes:
    """Read filled coding sheets into one long table of codes, every problem a row.

    ``paths``: XLSX workbooks (each sheet but ``codebook`` is a coder, named by its title, or by a
    ``coder`` column), CSV files one per coder (the coder is the ``coder`` column or the file
    name) or long CSV tables ``unit, coder, variable, value``. ``codebook``: a codebook table or
    CSV; values must be among its values (compared without regard to case). ``sample``: a table
    or CSV with the ``unit`` column; units outside it are problems (no check when None). A
    ``(coder, unit, variable)`` coded twice keeps the first code.
    """
    book = read_codebook(codebook) if isinstance(codebook, str | os.PathLike) else check_codebook(codebook)
    if isinstance(sample, str | os.PathLike):
        sample = read_sample(sample)
    sample_units = None if sample is None else {str(u) for u in sample["unit"]}
    reader = _Reader(book, sample_units)
    for raw in paths:
        path = Path(raw)
        name = str(raw)
        if not path.is_file():
            reader.problem(name, "", 0, "", "file not found")
        elif path.suffix.lower() in (".xlsx", ".xlsm"):
            _read_xlsx(reader, path, name)
        elif path.suffix.lower() == ".csv":
            _read_csv(reader, path, name)
        else:
            reader.problem(name, "", 0, "", f"not a coding file (.xlsx or .csv): {path.suffix or 'no suffix'}")
    return reader.result()
