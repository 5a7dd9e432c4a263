"""Frame classifier on real hand-coded data: GVFC English headlines, primary frame (9 classes).

Evaluates newslens's default frame classifier (word 1-2-gram + char_wb 2-5-gram tf-idf,
sublinear tf, logistic regression C=1 with balanced class weights) against a plain
``TfidfVectorizer()`` + ``LogisticRegression()`` baseline on the same stratified, shuffled folds
(5 folds, seed 0), and prints accuracy, macro-F1 and the per-class table for both. The target
is macro-F1 >= 0.60 for the default pipeline and a margin over the baseline.

Data: ``../shared/eval/gvfc_headlines/english.csv`` (``news_title``, ``Q3 Theme1``; codes mapped to
frame names with the GVFC codebook). Usage: ``python bench/eval_frames.py [--folds 5] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from newslens.framing import Coding, baseline_pipeline, evaluate

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "gvfc_headlines" / "english.csv"
FRAMES = {
    "1": "Gun/2nd Amendment rights",
    "2": "Gun control/regulation",
    "3": "Politics",
    "4": "Mental health",
    "5": "School or public space safety",
    "6": "Race/ethnicity",
    "7": "Public opinion",
    "8": "Society/culture",
    "9": "Economic consequences",
}
TARGET = 0.60


def gvfc_coding(path: Path) -> Coding:
    """The GVFC headlines as a coding table with the primary frame's name as the label."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    unknown = sorted(set(table["Q3 Theme1"]) - set(FRAMES))
    if unknown:
        raise SystemExit(f"{path}: unexpected Q3 Theme1 codes {unknown}")
    coded = pd.DataFrame({"text": table["news_title"], "frame": table["Q3 Theme1"].map(FRAMES)})
    return Coding.from_frame(coded, text_col="text", label_col="frame", source=str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not DATA.is_file():
        print(f"GVFC data not found at {DATA}; the evaluation needs ../shared/eval/gvfc_headlines/", file=sys.stderr)
        return 2
    coding = gvfc_coding(DATA)
    print(f"GVFC English headlines: n={len(coding.data)}, {len(coding.labels)} primary frames, "
          f"{args.folds}-fold stratified CV (shuffle, seed {args.seed})\n")
    results = {}
    for name, pipeline in (("default", None), ("baseline", baseline_pipeline())):
        started = time.perf_counter()
        results[name] = evaluate(coding, pipeline=pipeline, folds=args.folds, seed=args.seed)
        seconds = time.perf_counter() - started
        r = results[name]
        print(f"== {name}: accuracy {r.metric('accuracy'):.3f}  macro-F1 {r.metric('macro_f1'):.3f}  "
              f"(fold macro-F1 {r.metric('macro_f1_fold_mean'):.3f} ± {r.metric('macro_f1_fold_sd'):.3f}; "
              f"{seconds:.1f} s)")
        print(r.per_class.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print()
    default, baseline = results["default"], results["baseline"]
    gain = default.metric("macro_f1") - baseline.metric("macro_f1")
    print(f"macro-F1: default {default.metric('macro_f1'):.3f} vs baseline {baseline.metric('macro_f1'):.3f} "
          f"(+{gain:.3f}, ratio {default.metric('macro_f1') / baseline.metric('macro_f1'):.2f}); "
          f"accuracy: {default.metric('accuracy'):.3f} vs {baseline.metric('accuracy'):.3f}")
    ok = default.metric("macro_f1") >= TARGET and gain > 0
    print(f"target macro-F1 >= {TARGET:.2f} and above baseline: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
