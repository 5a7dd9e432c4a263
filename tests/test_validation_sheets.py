"""Coding sheets: real XLSX files written, checked with openpyxl, filled as a coder would, read back."""

import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from newslens.framing import scheme_table
from newslens.validation.codebook import combine, frame_codebook, tone_codebook
from newslens.validation.sheets import coding_sheet, read_coding

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "Plain text with a \x07bell and a \x00null",
    "x" * 40_000,
    "Arabic مرحبا, emoji 🙂, <b>markup</b> & \"quotes\"",
]


def sample_table(texts=HOSTILE) -> pd.DataFrame:
    return pd.DataFrame({"unit": [f"u{k}" for k in range(len(texts))], "title": [f"T{k}" for k in range(len(texts))],
                         "text": texts, "outlet": ["X"] * len(texts)})


@pytest.fixture
def book():
    return combine(frame_codebook("generic"), tone_codebook())


def test_hostile_texts_stay_plain_text(tmp_path, book):
    written = coding_sheet(sample_table(), book, coders=["alice", "bob"], path=tmp_path / "round.xlsx")
    wb = load_workbook(written.xlsx)
    assert wb.sheetnames == ["alice", "bob", "codebook"]
    ws = wb["alice"]
    cells = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3) for r in range(2, ws.max_row + 1)}
    for k, text in enumerate(HOSTILE):
        cell = cells[f"u{k}"]
        assert cell.data_type == "s", (text[:20], cell.data_type)
        if k < 5:
            assert cell.value == text and cell.quotePrefix
    assert cells["u5"].value == "Plain text with a \ufffdbell and a \ufffdnull"
    assert len(cells["u6"].value) == 32_767 and "cut at 32,767 characters" in cells["u6"].value
    assert cells["u7"].value == HOSTILE[7]
    with zipfile.ZipFile(written.xlsx) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and all(b"<f>" not in archive.read(n) and b"<f " not in archive.read(n) for n in sheets)
    assert set(written.problems["row"]) == {7, 8} and set(written.problems["sheet"]) == {"alice", "bob"}
    csv = pd.read_csv(written.csv[0], dtype=str, keep_default_na=False)
    assert csv["text"].tolist()[:5] == ["'" + t for t in HOSTILE[:5]]
    assert csv["text"].tolist()[6] == HOSTILE[6] and csv["coder"].unique().tolist() == ["alice"]


def test_layout_dropdowns_and_codebook_from_the_scheme_yaml(tmp_path, book):
    written = coding_sheet(sample_table(["one", "two"]), book, coders=["A"], path=tmp_path / "r.xlsx")
    wb = load_workbook(written.xlsx)
    ws, cb = wb["A"], wb["codebook"]
    assert [c.value for c in ws[1]] == ["unit", "title", "text", "conflict", "human_interest",
                                        "economic_consequences", "morality", "responsibility", "tone"]
    assert ws.freeze_panes == "B2"
    assert [c.value for c in ws["D"][1:]] == [None, None]  # nothing pre-filled
    codebook_rows = list(cb.iter_rows(min_row=2, values_only=True))
    for check in ws.data_validations.dataValidation:
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        variable = ws[f"{column}1"].value
        sheet, cells = check.formula1.split("!")
        first, last = (int(part.split("$")[-1]) for part in cells.split(":"))
        assert sheet == "'codebook'" and check.type == "list" and check.showErrorMessage
        allowed = [cb.cell(row=r, column=3).value for r in range(first, last + 1)]
        assert allowed == book.loc[book["variable"] == variable, "value"].tolist()
        assert {cb.cell(row=r, column=1).value for r in range(first, last + 1)} == {variable}
    assert len(ws.data_validations.dataValidation) == 6
    descriptions = scheme_table("generic").set_index("frame")["description"]
    for variable, _level, value, _label, definition in codebook_rows:
        if variable in descriptions and value == "1":
            assert definition == descriptions[variable]
    assert pd.read_csv(written.codebook_csv, dtype=str, keep_default_na=False).equals(book)


def test_two_runs_write_identical_bytes(tmp_path, book):
    a = coding_sheet(sample_table(), book, coders=["A", "B"], path=tmp_path / "a" / "r.xlsx")
    b = coding_sheet(sample_table(), book, coders=["A", "B"], path=tmp_path / "b" / "r.xlsx")
    assert a.xlsx.read_bytes() == b.xlsx.read_bytes()
    assert [p.read_bytes() for p in a.csv] == [p.read_bytes() for p in b.csv]


def test_bad_coder_names(tmp_path, book):
    for names, message in ((["a/b"], "cannot name a sheet"), (["codebook"], "cannot name a sheet"),
                           (["Ann", "ann"], "repeat"), ([], "at least one coder")):
        with pytest.raises(ValueError, match=message):
            coding_sheet(sample_table(["t"]), book, coders=names, path=tmp_path / "r.xlsx")


def fill(path, coder, values):
    """Type values into a coder's sheet with openpyxl, as a coder would: {(row, header): value}."""
    wb = load_workbook(path)
    ws = wb[coder]
    header = {c.value: c.column for c in ws[1]}
    for (row, name), value in values.items():
        ws.cell(row=row, column=header[name]).value = value
    wb.save(path)


def test_read_back_every_problem_a_row_good_rows_load(tmp_path, book):
    s = sample_table(["a", "b", "c"])
    written = coding_sheet(s, book, coders=["A", "B"], path=tmp_path / "r.xlsx")
    frames = ["conflict", "human_interest", "economic_consequences", "morality", "responsibility"]
    full = {(2, f): 1 for f in frames} | {(2, "tone"): "negative"}
    fill(written.xlsx, "A", full | {(3, f): 0 for f in frames} | {(3, "tone"): "Positive", (4, "conflict"): "maybe",
                                     **{(4, f): 0 for f in frames[1:]}, (4, "tone"): "neutral"})
    fill(written.xlsx, "B", full | {(3, "unit"): "u99"} | {(3, f): 1 for f in frames} | {(5, "unit"): "u0"}
         | {(5, f): 0 for f in frames} | {(5, "tone"): "neutral"})
    codes = read_coding(written.xlsx, codebook=written.codebook_csv, sample=s)
    got = codes.codes
    assert len(got) == 6 + 6 + 5 + 6  # A: u0, u1 and u2 but its bad cell; B: u0
    assert got[(got["coder"] == "A") & (got["unit"] == "u1") & (got["variable"] == "tone")]["value"].item() == "positive"
    assert got[(got["coder"] == "B") & (got["unit"] == "u0") & (got["variable"] == "tone")]["value"].item() == "negative"
    reasons = codes.problems.assign(reason=codes.problems["reason"].str.split(":").str[0].str.split(" ").str[:2]
                                    .str.join(" "))
    table = reasons[["sheet", "row", "column", "reason"]].values.tolist()
    assert ["A", 4, "conflict", "unknown value"] in table
    assert ["B", 3, "unit", "unit 'u99'"] in table
    assert ["B", 4, "", "blank"] in table
    assert sum(r[0] == "B" and r[1] == 5 and r[3] == "duplicate" for r in table) == 6
    assert set(codes.problems["file"]) == {str(written.xlsx)}


def test_read_csv_per_coder_long_tables_and_broken_files(tmp_path, book):
    s = sample_table(["a", "b"])
    written = coding_sheet(s, book, coders=["A", "B"], path=tmp_path / "r.xlsx")
    table = pd.read_csv(written.csv[0], dtype=str, keep_default_na=False)
    table.loc[0, ["conflict", "human_interest", "economic_consequences", "morality", "responsibility", "tone"]] = \
        ["1", "0", "0", "0", "0", "'-1"]
    table.to_csv(written.csv[0], index=False)
    long = pd.DataFrame({"unit": ["u0", "u1", "u1"], "coder": ["C", "C", "C"], "variable": ["tone", "tone", "mood"],
                         "value": ["positive", "negative", "x"]})
    long.to_csv(tmp_path / "long.csv", index=False)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    codes = read_coding(written.csv[0], tmp_path / "long.csv", tmp_path / "broken.xlsx", tmp_path / "none.csv",
                        codebook=book, sample=s)
    assert codes.coders == ["A", "C"]
    a = codes.codes[codes.codes["coder"] == "A"]
    assert dict(zip(a["variable"], a["value"])) == {"conflict": "1", "human_interest": "0",
                                                    "economic_consequences": "0", "morality": "0", "responsibility": "0"}
    reasons = codes.problems["reason"].tolist()
    assert any(r.startswith("unknown value '-1'") for r in reasons)  # the guard quote came off
    assert any(r.startswith("unknown variable 'mood'") for r in reasons)
    assert any(r.startswith("cannot read the workbook") for r in reasons)
    assert "file not found" in reasons
    assert codes.codes[codes.codes["coder"] == "C"]["value"].tolist() == ["positive", "negative"]
