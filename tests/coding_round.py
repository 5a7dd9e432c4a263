"""A coding round filled in by three simulated coders whose disagreements are known, for the report tests.

The round is built as a researcher builds one: a stratified sample of the corpus, the coding
workbook written by :func:`newslens.validation.coding_sheet`, filled in with openpyxl. The coders
start from the machine's own codes. Per variable, on every ``moved``-th unit coders B and C both
type the next value of the codebook (the majority moves, so the machine is wrong there), and on
every ``alone``-th unit only C does (the majority stays). Coder B fills in the CSV copy of the
sheet instead of the workbook, and C types one value the codebook does not know. Everything the
coders typed, and the majority that follows, is kept here, so the tests can compute agreement and
scores on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from newslens import validation

CODERS = ("A", "B", "C")
# variable: (every how many units B and C both move, every how many units C alone moves; 0: never)
PLAN = {
    "conflict": (10, 0),
    "human_interest": (0, 7),
    "economic_consequences": (0, 0),
    "morality": (0, 2),
    "responsibility": (9, 7),
    "frame": (8, 0),
    "tone": (7, 5),
    "tone:Russia": (0, 3),
    "quoted:Russia": (6, 4),
}
BAD_VALUE = "perhaps"


@dataclass(frozen=True)
class Round:
    sample_csv: Path
    files: list[Path]
    codebook: pd.DataFrame
    typed: pd.DataFrame  # [unit, coder, variable, value]: what each coder entered (the bad cell left out)
    machine: dict[str, dict[str, str]]  # variable -> unit -> the machine's code
    majority: dict[str, dict[str, str]]  # variable -> unit -> the coders' majority
    moved: dict[str, set[str]]
    alone: dict[str, set[str]]
    bad_cell: tuple[str, int, str]  # (sheet, row, variable) of the unknown value


def codebook() -> pd.DataFrame:
    return validation.combine(validation.frame_codebook("generic"),
                              validation.frame_codebook("generic", coding="dominant"),
                              validation.tone_codebook(), validation.tone_codebook("tone:Russia", target="Russia"),
                              validation.quoted_codebook("Russia"))


def fill_round(corpus: pd.DataFrame, folder: Path, *, n: int = 40, must_include: str | None = None) -> Round:
    """Sample ``corpus`` (``n`` units by outlet, equal allocation), write and fill the sheets in ``folder``.

    ``must_include``: an article id that must be in the sample (added to it when the draw missed it),
    and on which the coders disagree about tone and the majority moves on conflict.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the one-article outlets are short strata
        drawn = validation.sample(corpus, n, by=("outlet",), allocation="equal", seed=4)
    if must_include and must_include not in set(drawn["unit"]):
        extra = validation.units(corpus[corpus["id"] == must_include]).assign(stratum="added", weight=1.0)
        drawn = pd.concat([drawn, extra[drawn.columns]], ignore_index=True).sort_values("unit").reset_index(drop=True)
    folder.mkdir(parents=True, exist_ok=True)
    sample_csv = validation.write_sample(drawn, folder / "sample.csv")
    book = codebook()
    written = validation.coding_sheet(drawn, book, coders=list(CODERS), path=folder / "coding.xlsx")

    units = drawn["unit"].tolist()
    presence = validation.frame_presence(corpus).pivot(index="unit", columns="category", values="present")
    machine = {f: {u: str(presence.loc[u, f]) for u in units} for f in presence.columns}
    machine["frame"] = validation.frame_dominant(corpus).set_index("unit")["label"].to_dict()
    machine["tone"] = validation.vader_tone(corpus).set_index("unit")["label"].to_dict()
    russia = validation.actor_tone_labels(corpus, rollup=True).query("actor == 'Russia'")
    machine["tone:Russia"] = russia.set_index("unit")["label"].to_dict()
    quoted = validation.quoted_speakers(corpus, categories=["Russia"])
    machine["quoted:Russia"] = dict(zip(quoted["unit"], quoted["present"].astype("str"), strict=True))
    values = {v: list(rows["value"]) for v, rows in book.groupby("variable", sort=False)}
    moved = {v: set(units[::m]) if m else set() for v, (m, _a) in PLAN.items()}
    alone = {v: (set(units[1::a]) if a else set()) - moved[v] for v, (_m, a) in PLAN.items()}
    if must_include:
        moved["conflict"].add(must_include)
        alone["tone"].add(must_include)
        moved["tone"].discard(must_include)
    typed, majority = [], {v: {} for v in PLAN}
    for variable in PLAN:
        for u in units:
            base = machine[variable].get(u, "neutral")  # an article that never names Russia: neutral
            other = values[variable][(values[variable].index(base) + 1) % len(values[variable])]
            codes = {"A": base, "B": other if u in moved[variable] else base,
                     "C": other if u in moved[variable] | alone[variable] else base}
            typed += [(u, coder, variable, value) for coder, value in codes.items()]
            majority[variable][u] = other if u in moved[variable] else base
    typed = pd.DataFrame(typed, columns=["unit", "coder", "variable", "value"])

    wb = load_workbook(written.xlsx)
    for coder in ("A", "C"):
        ws = wb[coder]
        header = {c.value: c.column for c in ws[1]}
        row_of = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
        for rec in typed[typed["coder"] == coder].itertuples(index=False):
            value = int(rec.value) if rec.value in ("0", "1") else rec.value
            ws.cell(row=row_of[rec.unit], column=header[rec.variable]).value = value
    bad = ("C", 3, "responsibility")
    ws = wb["C"]
    ws.cell(row=bad[1], column={c.value: c.column for c in ws[1]}[bad[2]]).value = BAD_VALUE
    del wb["B"]
    wb.save(written.xlsx)
    bad_unit = wb["C"].cell(row=bad[1], column=1).value
    typed = typed[~((typed["coder"] == "C") & (typed["unit"] == bad_unit) & (typed["variable"] == bad[2]))]

    csv_b = pd.read_csv(written.csv[1], dtype=str, keep_default_na=False)
    assert csv_b["coder"].unique().tolist() == ["B"]
    b = typed[typed["coder"] == "B"].pivot(index="unit", columns="variable", values="value")
    for variable in PLAN:
        csv_b[variable] = csv_b["unit"].map(b[variable])
    csv_b.to_csv(written.csv[1], index=False)
    return Round(sample_csv=sample_csv, files=[written.xlsx, written.csv[1]], codebook=book,
                 typed=typed.reset_index(drop=True), machine=machine, majority=majority, moved=moved, alone=alone,
                 bad_cell=bad)
