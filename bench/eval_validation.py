"""Validation figures: α on Krippendorff's worked example, the frame classifier against GVFC coders, a coding round trip.

1. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": α of the 4 observers × 12
   units example at all four levels beside the published values (0.743, 0.815, 0.849, 0.797).
2. GVFC English headlines (../shared/eval/gvfc_headlines, primary frame, 9 classes): the default
   frame classifier's out-of-fold predictions (5-fold stratified CV, seed 0: every headline is
   predicted by a model that never saw it) against the human codes, precision / recall / F1 per
   class with 95% bootstrap intervals over headlines (1,000 resamples, seed 0).
3. Coding round trip: a stratified sample of a synthetic corpus, an XLSX workbook written for three
   coders, filled with openpyxl by three simulated coders with known error rates (with probability
   e a coder replaces the true code by another category chosen uniformly), read back, α per
   variable beside the truth. The truth is the population α derived analytically from the coders'
   confusion matrices and the true prevalence (``newslens.validation.expected_alpha``), and, for
   the finite sample, the mean and 2.5–97.5% range of α over 2,000 simulated rounds of the same
   size coded in memory.

Usage: ``python bench/eval_validation.py [--units 300] [--seed 0] [--skip-gvfc] [--gvfc english.csv]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from newslens.validation import (
    alpha,
    agreement_table,
    coding_sheet,
    combine,
    compare,
    cv_labels,
    expected_alpha,
    frame_codebook,
    read_coding,
    sample,
    tone_codebook,
)

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

N = np.nan
WORKED = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
ERRORS = {"coder1": 0.05, "coder2": 0.15, "coder3": 0.25}
VARIABLES = {"tone": (["negative", "neutral", "positive"], [0.35, 0.40, 0.25]), "conflict": (["0", "1"], [0.6, 0.4])}


def worked_example() -> bool:
    print("== 1. Krippendorff (2011) worked example: 4 observers x 12 units, values 1-5, missing data")
    ok = True
    for level, published in PUBLISHED.items():
        value = alpha(WORKED, level=level)
        ok &= round(value, 3) == published
        print(f"  {level:9} alpha = {value:.6f}   published {published:.3f}   {'match' if round(value, 3) == published else 'DIFFERS'}")
    return ok


def gvfc(path: Path, seed: int) -> None:
    from eval_frames import gvfc_coding

    from newslens.framing import evaluate

    print("\n== 2. GVFC English headlines: default frame classifier, out-of-fold (5-fold CV) vs human primary frame")
    if not path.is_file():
        print(f"  skipped: {path} not found (the evaluation needs ../shared/eval/gvfc_headlines/)")
        return
    coding = gvfc_coding(path)
    started = time.perf_counter()
    result = evaluate(coding, folds=5, seed=seed)
    machine, human = cv_labels(result)
    scores = compare(machine, human, n_boot=1000, seed=seed).scores
    print(f"  n={len(coding.data)} headlines, {len(coding.labels)} classes, {time.perf_counter() - started:.1f} s; "
          "95% bootstrap intervals over headlines (1,000 resamples)")
    print(f"  {'class':32} {'support':>7}  {'precision':>21}  {'recall':>21}  {'F1':>21}")
    for r in scores.itertuples(index=False):
        print(f"  {r.category:32} {r.support:7d}  {r.precision:.3f} [{r.precision_low:.3f}, {r.precision_high:.3f}]"
              f"  {r.recall:.3f} [{r.recall_low:.3f}, {r.recall_high:.3f}]  {r.f1:.3f} [{r.f1_low:.3f}, {r.f1_high:.3f}]")


def _confusion(error: float, k: int) -> np.ndarray:
    return (1 - error) * np.eye(k) + error / (k - 1) * (1 - np.eye(k))


def _code(truth: np.ndarray, error: float, k: int, rng: np.random.Generator) -> np.ndarray:
    wrong = rng.random(truth.size) < error
    shift = rng.integers(1, k, truth.size)  # another category, uniformly
    return np.where(wrong, (truth + shift) % k, truth)


def round_trip(n_units: int, seed: int) -> None:
    from synth import synthetic_frame

    print(f"\n== 3. Coding round trip: {n_units} sampled articles, 3 simulated coders "
          f"(error rates {', '.join(f'{c} {e}' for c, e in ERRORS.items())})")
    corpus = synthetic_frame(4000, seed=seed)
    drawn = sample(corpus, n_units, by=("outlet",), seed=seed)
    book = combine(tone_codebook(), frame_codebook("generic").query("variable == 'conflict'"))
    rng = np.random.default_rng(seed)
    truth = {v: rng.choice(len(values), size=len(drawn), p=p) for v, (values, p) in VARIABLES.items()}
    with tempfile.TemporaryDirectory() as folder:
        written = coding_sheet(drawn, book, coders=list(ERRORS), path=Path(folder) / "round.xlsx")
        from openpyxl import load_workbook

        wb = load_workbook(written.xlsx)
        for coder, error in ERRORS.items():
            ws = wb[coder]
            header = {c.value: c.column for c in ws[1]}
            row_of = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
            for variable, (values, _p) in VARIABLES.items():
                coded = _code(truth[variable], error, len(values), rng)
                for unit, code in zip(drawn["unit"], coded, strict=True):
                    value = values[code]
                    ws.cell(row=row_of[unit], column=header[variable]).value = int(value) if value.isdigit() else value
        wb.save(written.xlsx)
        codes = read_coding(written.xlsx, codebook=written.codebook_csv, sample=drawn)
    table = agreement_table(codes.codes, book, n_boot=2000, seed=seed).set_index("variable")
    print(f"  read back: {len(codes.codes)} codes, {len(codes.problems)} problem rows; sample of {len(drawn)} units")
    print(f"  {'variable':9} {'level':8} {'recovered alpha [95% CI]':>28}  {'analytic':>8}  "
          f"{'simulated mean [2.5%, 97.5%] (2,000 rounds)':>44}")
    sim_rng = np.random.default_rng(seed + 1)
    for variable, (values, p) in VARIABLES.items():
        level = table.loc[variable, "level"]
        k = len(values)
        analytic = expected_alpha([_confusion(e, k) for e in ERRORS.values()], p, level=level)
        sims = []
        for _ in range(2000):
            t = sim_rng.choice(k, size=n_units, p=p)
            sims.append(alpha(np.array([_code(t, e, k, sim_rng) for e in ERRORS.values()]), level=level))
        sims = np.array(sims)
        r = table.loc[variable]
        print(f"  {variable:9} {level:8} {r['alpha']:.4f} [{r['ci_low']:.4f}, {r['ci_high']:.4f}]    {analytic:.4f}  "
              f"{sims.mean():.4f} [{np.quantile(sims, 0.025):.4f}, {np.quantile(sims, 0.975):.4f}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-gvfc", action="store_true")
    parser.add_argument("--gvfc", type=Path, default=None, help="GVFC english.csv (default: as bench/eval_frames.py)")
    args = parser.parse_args(argv)
    ok = worked_example()
    if not args.skip_gvfc:
        from eval_frames import DATA

        gvfc(args.gvfc or DATA, args.seed)
    round_trip(args.units, args.seed)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
