"""Conformance and validity of newslens' VADER on VADER's published ground truth (Hutto & Gilbert 2014).

1. Conformance: for all 23,703 sentences (NYT editorials, tweets, movie and Amazon reviews) the
   scores of `newslens.vader` must equal the reference `vaderSentiment` 3.3.2 scores stored in
   `derived/*_scores.tsv` (compared as printed there, and as floats) and a live call of
   `vaderSentiment.SentimentIntensityAnalyzer.polarity_scores`. Prints mismatches per file.
2. Validity: Pearson r between compound and the human mean rating, and 3-class
   (positive / neutral / negative) precision, recall and F1 with both scores thresholded at ±0.05
   (human mean normalised as mean/4, strictly beyond the threshold), as in the paper (NYT: r = 0.492,
   F1 = 0.55; with today's lexicon the MANIFEST expects r = 0.503 and weighted F1 = 0.548).

Usage: .venv/bin/python bench/eval_vader.py   (exit status 1 when any score differs)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats
from sklearn.metrics import precision_recall_fscore_support

ROOT = Path(__file__).resolve().parents[1]

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from newslens.vader import FIELDS, Vader  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "vader_icwsm2014"
SETS = ("nytEditorialSnippets", "tweets", "movieReviewSnippets", "amazonReviewSnippets")
CLASSES = ("pos", "neu", "neg")
THRESHOLD = 0.05


def read_ground_truth(name: str) -> tuple[list[str], np.ndarray, list[str]]:
    """ids, human means and texts of one GroundTruth file (column 3 as written, CRLF stripped)."""
    raw = (DATA / f"{name}_GroundTruth.txt").read_bytes().decode("utf-8-sig")
    rows = [line.split("\t", 2) for line in raw.split("\r\n") if line]
    return [r[0] for r in rows], np.array([float(r[1]) for r in rows]), [r[2] for r in rows]


def read_reference(name: str) -> tuple[list[str], list[list[str]]]:
    lines = (DATA / "derived" / f"{name}_vaderSentiment-3.3.2_scores.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    if header != ["id", "human_mean", *FIELDS]:
        raise SystemExit(f"unexpected header in {name} scores: {header}")
    rows = [line.split("\t") for line in lines[1:]]
    return [r[0] for r in rows], [r[2:6] for r in rows]


def three_class(values: np.ndarray) -> np.ndarray:
    return np.where(values > THRESHOLD, "pos", np.where(values < -THRESHOLD, "neg", "neu"))


def conformance() -> int:
    ours, oracle = Vader(), SentimentIntensityAnalyzer()
    total = bad_printed = bad_float = bad_live = 0
    print("== Conformance with vaderSentiment 3.3.2 (neg, neu, pos, compound per sentence)")
    print(f"{'file':<24}{'sentences':>10}{'≠ printed':>11}{'≠ float':>9}{'≠ live':>8}")
    for name in SETS:
        ids, _, texts = read_ground_truth(name)
        ref_ids, ref_rows = read_reference(name)
        if ids != ref_ids:
            raise SystemExit(f"{name}: ids of GroundTruth and derived scores differ")
        n_printed = n_float = n_live = 0
        for text, printed in zip(texts, ref_rows, strict=True):
            got = ours.score(text)
            n_printed += [repr(v) for v in got] != printed
            n_float += got != tuple(float(v) for v in printed)
            n_live += dict(zip(FIELDS, got)) != oracle.polarity_scores(text)
        print(f"{name:<24}{len(texts):>10}{n_printed:>11}{n_float:>9}{n_live:>8}")
        total += len(texts)
        bad_printed, bad_float, bad_live = bad_printed + n_printed, bad_float + n_float, bad_live + n_live
    print(f"{'total':<24}{total:>10}{bad_printed:>11}{bad_float:>9}{bad_live:>8}")
    mismatches = max(bad_printed, bad_float, bad_live)
    print(f"mismatching sentences: {mismatches} of {total}")
    return mismatches


def validity() -> None:
    summary = json.loads((DATA / "derived" / "vaderSentiment-3.3.2_eval_summary.json").read_text(encoding="utf-8"))
    ours = Vader()
    print("\n== Validity against the human mean ratings (±0.05 on compound and on human_mean/4)")
    for name in SETS:
        _, human, texts = read_ground_truth(name)
        compound = np.array([ours.score(t)[3] for t in texts])
        r = stats.pearsonr(compound, human).statistic
        gold, pred = three_class(human / 4), three_class(compound)
        p, rec, f1, support = precision_recall_fscore_support(gold, pred, labels=list(CLASSES), zero_division=0)
        expected = summary[name]
        exp3 = expected["3class_thresh_pm0.05_on_normalised_scores(human_mean/4)"]
        expected_r = expected["pearson_r_compound_vs_human_mean"]
        print(f"\n{name} (n = {len(texts)}): Pearson r = {r:.3f} (MANIFEST: {expected_r})")
        print(f"  {'class':<9}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>7}")
        for k, label in enumerate(CLASSES):
            print(f"  {label:<9}{p[k]:>10.3f}{rec[k]:>8.3f}{f1[k]:>7.3f}{support[k]:>7}")
        for average in ("macro", "weighted"):
            ap, ar, af, _ = precision_recall_fscore_support(
                gold, pred, labels=list(CLASSES), average=average, zero_division=0
            )
            print(f"  {average:<9}{ap:>10.3f}{ar:>8.3f}{af:>7.3f}   (MANIFEST {average} F1: {exp3[f'{average}_f1']})")
        print(f"  accuracy {np.mean(gold == pred):.3f}")
    print("\nPaper (Hutto & Gilbert 2014, Table 4), NYT editorials: r = 0.492, P = 0.69, R = 0.49, F1 = 0.55")


def main() -> int:
    if not DATA.is_dir():
        print(f"VADER ground truth not found at {DATA}; this evaluation needs the project's shared eval folder.")
        return 2
    start = time.perf_counter()
    mismatches = conformance()
    validity()
    print(f"\n({time.perf_counter() - start:.1f} s)")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
