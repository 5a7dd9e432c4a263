"""Quote extraction on real hand annotation: PolNeAR (Newell, Margolin & Ruths, LREC 2018).

PolNeAR annotates every attribution of 1,008 US political news articles (2016) as Source, Cue
and Content spans (brat standoff). This evaluation runs ``newslens.quotes.extract`` on the
train and dev articles and scores its content spans with the Gender Gap Tracker's rule
(``newslens.quotes.scores``): a gold attribution is found when one prediction covers at least
30% of its content characters (strict variant: 80%), matched one to one; precision, recall and
F1 are reported for

* quoted content: gold contents containing a double quotation mark (“ ” " « », or '' as the
  New York Times archive texts write it), against the predictions of kind direct or mixed;
* all attributions: every gold content against every prediction;

and speaker accuracy on the matched quotes: the predicted speaker words (``speaker_start``,
``speaker_end``) overlap the gold Source span (or neither names a speaker).

Predictions that name the same speaker words with the same cue form one attribution, as PolNeAR
annotates "“A,” he said. “B.”" as one attribution with a two-part content: the rows of ``he
said`` (the split quote and a floating continuation) are scored as the union of their spans. Articles annotated twice
are scored against each annotation. The rules were tuned on train only; dev is reported as is.
Targets on dev: quoted-content F1 >= 0.80, speaker accuracy >= 0.85.

Data: ``../shared/eval/polnear/{train,dev}/`` (not redistributed). Usage:
``python bench/eval_quotes.py [--splits train dev] [--data PATH]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newslens.quotes import extract, scores

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "polnear"
QUOTE_MARK = re.compile("[“”\"«»]|''")  # '' is the New York Times archive's quotation mark
TARGETS = {"quoted_f1": 0.80, "speaker_accuracy": 0.85}
_SPAN = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")


@dataclass
class Gold:
    """One annotation file: content and source spans of each attribution."""

    article: str
    annotator: str
    contents: list[list[tuple[int, int]]] = field(default_factory=list)
    sources: list[list[tuple[int, int]]] = field(default_factory=list)
    quoted: list[bool] = field(default_factory=list)


def read_ann(path: Path, text: str) -> Gold:
    """Parse a brat .ann file: ``T`` spans (possibly discontinuous) tied by ``E`` events."""
    name, _, annotator = path.stem.rpartition("_")
    gold = Gold(name, annotator)
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        m = _SPAN.match(line)
        if m:
            spans[m[1]] = [tuple(int(x) for x in part.split()) for part in m[3].split(";")]
        elif line.startswith("E") and "\t" in line:
            events.append(dict(arg.split(":", 1) for arg in line.split("\t", 1)[1].split() if ":" in arg))
    for event in events:
        content = spans.get(event.get("Content", ""))
        if not content:
            continue
        gold.contents.append(content)
        gold.sources.append(spans.get(event.get("Source", ""), []))
        gold.quoted.append(any(QUOTE_MARK.search(text, s, e) for s, e in content))
    return gold


def load_split(data: Path, split: str) -> tuple[pd.DataFrame, list[Gold]]:
    """The split's articles (``id``, ``text``) and its annotation files, sorted by name."""
    folder = data / split
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((folder / "text").glob("*.txt"))}
    golds = [read_ann(p, texts[p.stem.rpartition("_")[0]]) for p in sorted((folder / "attributions").glob("*.ann"))
             if p.stem.rpartition("_")[0] in texts]  # fmt: skip
    return pd.DataFrame({"id": list(texts), "text": list(texts.values())}), golds


def predicted_units(rows: pd.DataFrame, *, quoted_only: bool) -> tuple[list, list]:
    """Predicted attributions of one article: rows naming the same speaker words with the same
    cue are one (a floating quote continues the cue of the row it inherits from)."""
    spans: dict[tuple, list] = {}
    speakers: dict[tuple, list] = {}
    kinds: dict[tuple, set] = {}
    last_cue: dict[tuple, str] = {}
    for k, row in enumerate(rows.itertuples(index=False)):
        if pd.isna(row.speaker_start):
            key = ("row", k)
            speakers[key] = []
        else:
            mention = (int(row.speaker_start), int(row.speaker_end))
            cue = last_cue.get(mention, "") if pd.isna(row.cue) else row.cue
            last_cue[mention] = cue
            key = (*mention, cue)
            speakers[key] = [mention]
        spans.setdefault(key, []).append((int(row.start), int(row.end)))
        kinds.setdefault(key, set()).add(row.kind)
    keep = [key for key in spans if not quoted_only or kinds[key] & {"direct", "mixed"}]
    return [spans[key] for key in keep], [speakers[key] for key in keep]


def evaluate(predictions: pd.DataFrame, golds: list[Gold], *, min_overlap: float) -> dict[str, dict]:
    """Summed tp / fp / fn and speaker matches over the annotation files, for quoted and all."""
    by_article = {name: group for name, group in predictions.groupby("id", sort=False)}
    empty = predictions.iloc[0:0]
    totals: dict[str, dict] = {}
    for scope in ("quoted", "all"):
        tp = fp = fn = right = 0
        for gold in golds:
            keep = [k for k in range(len(gold.contents)) if scope == "all" or gold.quoted[k]]
            spans, speakers = predicted_units(by_article.get(gold.article, empty), quoted_only=scope == "quoted")
            result = scores([gold.contents[k] for k in keep], spans, gold_speakers=[gold.sources[k] for k in keep],
                            predicted_speakers=speakers, min_overlap=min_overlap)  # fmt: skip
            tp, fp, fn, right = tp + result["tp"], fp + result["fp"], fn + result["fn"], right + result["speaker_right"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        totals[scope] = {"gold": tp + fn, "predicted": tp + fp, "tp": tp, "precision": precision, "recall": recall,
                         "f1": f1, "speaker_accuracy": right / tp if tp else 0.0}  # fmt: skip
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", default=["train", "dev"], choices=["train", "dev"])
    parser.add_argument("--data", type=Path, default=DATA, help="the PolNeAR folder (default: %(default)s)")
    args = parser.parse_args(argv)
    if not (args.data / "train").is_dir():
        print(f"PolNeAR not found at {args.data}; this evaluation needs the project's shared eval folder.",
              file=sys.stderr)
        return 2
    print("PolNeAR attribution relations (Newell, Margolin & Ruths 2018): newslens.quotes.extract, rule-based\n")
    summary = {}
    for split in args.splits:
        articles, golds = load_split(args.data, split)
        started = time.perf_counter()
        predictions = extract(articles)
        seconds = time.perf_counter() - started
        n_gold_quoted = sum(sum(g.quoted) for g in golds)
        print(f"== {split}: {len(articles)} articles, {len(golds)} annotation files, "
              f"{sum(len(g.contents) for g in golds)} gold attributions ({n_gold_quoted} quoted); "
              f"{len(predictions)} rows extracted in {seconds:.1f} s")  # fmt: skip
        print(f"{'overlap':>8} {'scope':>7} {'gold':>6} {'pred':>6} {'tp':>6} {'precision':>9} {'recall':>7} "
              f"{'F1':>6} {'speaker acc':>11}")  # fmt: skip
        for min_overlap in (0.3, 0.8):
            result = evaluate(predictions, golds, min_overlap=min_overlap)
            for scope, r in result.items():
                print(f"{min_overlap:>8.1f} {scope:>7} {r['gold']:>6} {r['predicted']:>6} {r['tp']:>6} "
                      f"{r['precision']:>9.3f} {r['recall']:>7.3f} {r['f1']:>6.3f} {r['speaker_accuracy']:>11.3f}")
            if min_overlap == 0.3:
                summary[split] = result
        print()
    if "dev" in summary:
        quoted = summary["dev"]["quoted"]
        for name, value in (("quoted_f1", quoted["f1"]), ("speaker_accuracy", quoted["speaker_accuracy"])):
            verdict = "met" if value >= TARGETS[name] else "MISSED"
            print(f"dev target {name} >= {TARGETS[name]:.2f}: {value:.3f} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
