"""A test corpus for licence-safe sharing: the bundled corpus plus articles with planted sentences.

The planted articles use invented names and places (Velloran, Ostrava harbour, cobalt barges),
so their sentences occur nowhere else: a run of their words in a report can only come from them.
They sit where reports quote text: long titles (title sample, KWIC, topic articles), "red line"
in the body (the keywords report's default KWIC query), strongly positive and negative sentences
(the sentiment report's top sentences) and sentences dense with frame indicators (the framing
report's examples).

Build the reports of this corpus with the code of a given checkout (the golden file of the default
mode is made with the code before sharing modes existed):

    PYTHONPATH=CHECKOUT/lib python tests/share_corpus.py CHECKOUT OUT_FOLDER
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PLANTED = [
    {
        "title": "Quartermaster Velloran denies that the cobalt barges ever crossed the red line drawn "
        "at Ostrava harbour last winter",
        "outlet": "Eastern Courier",
        "published": "2024-09-18",
        "author": "Mira Tallis",
        "text": "Quartermaster Velloran told reporters on Tuesday that the cobalt barges had crossed no red "
        "line and that the harbour pilots of Ostrava would testify to every single mooring.\n"
        "It was a wonderful, brilliant and hopeful morning for the harbour, said the delighted and "
        "grateful pilots of Ostrava, who praised the generous and kind quartermaster warmly.\n"
        "The economic cost of the cobalt embargo, the budget deficit and the tax burden on the "
        "harbour traders will rise sharply, the finance office of Ostrava warned in its spending review.\n"
        "Critics accused the quartermaster of a reckless confrontation, and rival captains condemned "
        "the dispute over the barges as a hostile provocation that could escalate the clash.\n"
        "The pilots said the red line at Ostrava harbour had been painted on the quay by "
        "Quartermaster Velloran himself in a ceremony attended by nine lantern keepers.",
    },
    {
        "title": "Lantern keepers of Ostrava harbour fear a terrible, cruel and disastrous winter after "
        "the cobalt embargo",
        "outlet": "Atlantic Ledger",
        "published": "2024-10-02",
        "author": "Oren Vask",
        "text": "The lantern keepers of Ostrava harbour fear a terrible, cruel and disastrous winter, with "
        "hunger, grief and misery spreading along the frozen quay after the cobalt embargo.\n"
        "Quartermaster Velloran insisted that Ostrava had not crossed any red line drawn by the "
        "barge owners, and he promised that the lantern keepers would be paid before the first snow.\n"
        "The embargo will cost the harbour traders their jobs and their wages, and the price of "
        "lamp oil has doubled, the lantern keepers said in a letter to the finance office.",
    },
]


def planted_sentences() -> list[str]:
    """Every planted title and body paragraph."""
    return [a["title"] for a in PLANTED] + [p for a in PLANTED for p in a["text"].split("\n")]


def make_corpus(folder: Path) -> Path:
    """Copy the bundled corpus into `folder` and add the planted articles (`planted.jsonl`)."""
    shutil.copytree(REPO / "corpus", folder, dirs_exist_ok=True)
    lines = [json.dumps(a, ensure_ascii=False, sort_keys=True) for a in PLANTED]
    (folder / "planted.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build(out: Path, *, root: Path = REPO, share: list[str] = ()) -> Path:
    """Ingest the planted corpus and run every report of `root` into `out` (a fresh folder)."""
    import subprocess

    out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(out / "corpus")
    table = out / "build" / "corpus.parquet"
    run = [sys.executable, "-m", "newslens"]
    subprocess.run([*run, "ingest", str(corpus), "--out", str(table), "--report", str(out / "build" / "ingest-report.csv")],
                   check=True, cwd=root, capture_output=True)  # fmt: skip
    subprocess.run([*run, "report", "--corpus", str(table), "--out", str(out / "reports"),
                    "--notebooks-dir", str(root / "notebooks"), *share], check=True, cwd=root)  # fmt: skip
    return out / "reports"


def digests(reports: Path) -> list[str]:
    """`sha256  path` of every figure and table file, sorted by path."""
    import hashlib

    files = sorted(p for kind in ("figures", "tables") for p in (reports / kind).rglob("*") if p.is_file())
    return [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(reports).as_posix()}" for p in files]


if __name__ == "__main__":
    checkout, target = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    print("\n".join(digests(build(target, root=checkout))))
