"""A coding round as commands: draw the sample, write the sheets, run the validation report.

:func:`commands` spells out the exact command lines for given choices, so a report (or a
README) can show a researcher what to type, with their own corpus path and options.

>>> print(commands("build/corpus.parquet", n=60, coders=["ana", "ben"], variables=["tone"]).splitlines()[0])
newslens validate sample build/corpus.parquet --n 60 --by outlet period --unit article --allocation proportional --seed 0 --out sample.csv
"""

from __future__ import annotations

import shlex
from pathlib import Path
from collections.abc import Sequence

from newslens.choices import check_choice
from newslens.duplicates.selection import CHOICES as DUPLICATES
from newslens.validation.sampling import ALLOCATIONS, UNITS

__all__ = ["SHEET_VARIABLES", "sheet_variables", "commands"]

SHEET_VARIABLES = ("frames", "dominant", "tone")
"""What ``newslens validate sheet --variables`` can put on a coding sheet."""


def sheet_variables(measures: Sequence[str]) -> list[str]:
    """The ``--variables`` of ``newslens validate sheet`` that the given measures are compared with
    (actor tone has its own variables, one per actor: ``--actors``).

    >>> sheet_variables(["tone", "frames", "classifier", "calibrated_frames"])
    ['frames', 'dominant', 'tone']
    """
    from newslens.validation.checks import CHECKS

    needs = {"frames": "frames", "calibrated_frames": "frames", "dominant_frame": "dominant", "classifier": "dominant",
             "tone": "tone", "actor_tone": None, "quoted": None}  # one variable per actor: commands' actors=, quoted=
    for name in measures:
        check_choice("measure", name, tuple(CHECKS))
    wanted = {needs[name] for name in measures}
    return [v for v in SHEET_VARIABLES if v in wanted]


def _q(value: str) -> str:
    return shlex.quote(str(value))


def _shown(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it (commands run from the project root)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def commands(
    corpus: str = "build/corpus.parquet",
    *,
    n: int = 200,
    by: Sequence[str] = ("outlet", "period"),
    unit: str = "article",
    allocation: str = "proportional",
    seed: int = 0,
    coders: Sequence[str] = ("coder1", "coder2", "coder3"),
    variables: Sequence[str] = ("frames", "dominant", "tone"),
    actors: Sequence[str] = (),
    quoted: Sequence[str] = (),
    scheme: str = "generic",
    sample: str = "sample.csv",
    workbook: str = "coding.xlsx",
    report: str = "50-validation",
    duplicates: str = "keep",
) -> str:
    """The command lines of a coding round, one per line, with ``#`` comments between the steps.

    1. ``newslens validate sample``: a stratified, seeded sample of ``n`` units into ``sample``;
    2. ``newslens validate sheet``: the coding workbook ``workbook`` for ``coders`` (one sheet
       each, drop-downs, the codebook sheet), plus CSV copies;
    3. the report on the filled files, as ``make report`` and ``newslens report`` command lines
       and as a parameters file.

    ``actors`` adds one tone variable per actor (``tone:<actor>``) to the sheet, ``quoted`` one
    presence variable per actor (``quoted:<actor>``: is the actor quoted?). ``duplicates``
    ``"canonical"`` samples one article per cluster of syndicated copies (and runs the report so).
    A ``corpus`` inside the current folder is shown relative to it.
    """
    check_choice("unit", unit, UNITS)
    check_choice("allocation", allocation, ALLOCATIONS)
    corpus = _shown(corpus)
    for variable in variables:
        check_choice("variable", variable, SHEET_VARIABLES)
    if not coders:
        raise ValueError("commands: give at least one coder")
    stem = workbook.rsplit(".", 1)[0]
    sheet = [f"newslens validate sheet {_q(sample)} --coders {' '.join(_q(c) for c in coders)}",
             " ".join(["--variables", *variables])]
    if actors:
        sheet.append(" ".join(["--actors", *(_q(a) for a in actors)]))
    if quoted:
        sheet.append(" ".join(["--quoted", *(_q(a) for a in quoted)]))
    sheet.append(f"--scheme {_q(scheme)} --out {_q(workbook)}")
    listing = f"[{workbook}]"
    copies = f"[{', '.join(f'{stem}-{c}.csv' for c in coders)}]"
    check_choice("duplicates", duplicates, DUPLICATES)
    extra = "" if scheme == "generic" else f" -p scheme {_q(scheme)}"
    once = duplicates == "canonical"
    extra += " -p duplicates canonical" if once else ""
    lines = [
        f"newslens validate sample {_q(corpus)} --n {int(n)} --by {' '.join(by)} --unit {unit} "
        f"--allocation {allocation} --seed {int(seed)}{' --duplicates canonical' if once else ''} --out {_q(sample)}",
        " ".join(sheet),
        f"# each coder fills in their own sheet of {workbook} (or their CSV copy {stem}-<coder>.csv), "
        "without seeing the others' codes; then:",
        f"newslens report {report} --corpus {_q(corpus)} -p coding_files {_q(listing)} -p sample_file {_q(sample)}"
        + extra,
        f"# coders who filled the CSV copies instead: -p coding_files {_q(copies)} "
        f"-p codebook {_q(stem + '-codebook.csv')}",
        "# or, with make from the project folder (bundled corpus; add CORPUS=... for your own):",
        f"make report NB={report} P='-p coding_files \"{listing}\" -p sample_file {sample}{extra}'",
        "# or, with the parameters in a file validation.yml:",
        f"#   {report}:",
        f"#     coding_files: [{workbook}]",
        f"#     sample_file: {sample}",
        *([f"#     scheme: {scheme}"] if scheme != "generic" else []),
        *(["#     duplicates: canonical"] if once else []),
        f"make report NB={report} PARAMS=validation.yml",
    ]
    return "\n".join(lines)
