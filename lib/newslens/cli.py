"""The `newslens` command line (also `python -m newslens`).

Each sub-command is a small `_add_<name>(subparsers)` function that declares its arguments and
sets `func`, the handler returning an exit code; `COMMANDS` (at the end) lists them in help order.

>>> main(["--version"])  # doctest: +SKIP
newslens 0.1.0
"""

from __future__ import annotations

import argparse
import os

from newslens import __version__

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newslens", description="Media-analysis workbench.")
    parser.add_argument("--version", action="version", version=f"newslens {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


def _add_report(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="run report notebooks and write HTML reports, figures, tables and the index",
        description="Execute notebooks/NN-*.ipynb with papermill, render self-contained HTML pages and "
        "reports/index.html. A notebook that fails keeps the last good page; the exit status is 1.",
    )
    parser.add_argument("notebooks", nargs="*", metavar="NB",
                        help="notebooks to run: 00-corpus-overview, 00 or a path (default: all)")
    parser.add_argument("--corpus", default="build/corpus.parquet",
                        help="corpus table (.parquet) or a folder/file of articles (default: %(default)s)")
    parser.add_argument("--out", default="reports", help="output folder (default: %(default)s)")
    parser.add_argument("--params", metavar="FILE.yml",
                        help="YAML file of parameter values (top level: all notebooks; NN-name: one notebook)")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="set a parameter; VALUE is a YAML/JSON scalar or list, checked against its declared type")
    parser.add_argument("--code", action="store_true", help="keep code cells in the HTML (hidden by default)")
    parser.add_argument("--notebooks-dir", default="notebooks", help="folder of NN-*.ipynb (default: %(default)s)")
    parser.add_argument("--list", action="store_true", help="list the notebooks and their parameters, run nothing")
    parser.add_argument("--share", choices=["full", "derived"], default="full",
                        help="sharing mode: full, or derived (no more than --share-words consecutive words of any "
                        "article in any published file) (default: %(default)s)")
    parser.add_argument("--share-words", type=int, default=12, metavar="N",
                        help="longest run of an article's words a derived report may publish (default: %(default)s)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:8786",
                        help="run the heavy steps on this dask scheduler's workers (default: $DASK_SCHEDULER_ADDRESS; "
                        "unset: locally)")
    parser.add_argument("--lanes", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="notebooks run side by side, each in its own kernel (default: %(default)s, "
                        "the cores up to 2; 1: one after the other)")
    parser.add_argument("--force", action="store_true",
                        help="run every chosen notebook, also those whose inputs are unchanged since their last "
                        "good run into --out (by default those keep their pages)")
    parser.set_defaults(func=_run_report)


def _run_report(args) -> int:
    import sys

    from newslens import cluster
    from newslens.share import Policy

    if args.scheduler:  # the report kernels inherit it
        os.environ[cluster.ENV] = args.scheduler
    try:
        cluster.current().describe()  # first of all: an unreachable scheduler stops the run at once
    except cluster.ClusterError as exc:
        print(f"newslens report: error: {exc}", file=sys.stderr)
        return 2
    from newslens import params, pipeline, provenance

    where = provenance.compute_site(dict(args.parameter).get("jobs", "auto"))  # "auto": the reports' default
    try:
        share = Policy(args.share, args.share_words)
    except ValueError as exc:
        print(f"newslens report: error: {exc}", file=sys.stderr)
        return 2
    try:
        available = pipeline.discover(args.notebooks_dir)
        chosen = pipeline.select(available, args.notebooks)
        if args.list:
            for nb in chosen:
                print(f"{nb.name}: {nb.description}\n{params.help_text(nb.parameters)}")
            return 0
        sharing = f", sharing: derived (at most {share.words} words of an article)" if share.derived else ""
        print(f"newslens report: {len(chosen)} notebook(s), corpus {args.corpus} -> {args.out}; "
              f"heavy steps run {where}{sharing}")
        results = pipeline.run_reports(
            chosen,
            available=available,
            corpus=args.corpus,
            out=args.out,
            params_file=args.params,
            cli_params=[tuple(pair) for pair in args.parameter],
            code=args.code,
            share=share,
            lanes=args.lanes,
            force=args.force,
        )
    except (pipeline.ReportError, cluster.ClusterError) as exc:  # a scheduler lost during the run
        print(f"newslens report: error: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in results if r.status == "failed"]
    for result in failed:
        kept = f"; executed notebook kept in {result.failed_notebook}" if result.failed_notebook else ""
        print(f"newslens report: FAILED {result.message}{kept}", file=sys.stderr)
    return 1 if failed else 0


def _add_ingest(subparsers) -> None:
    p = subparsers.add_parser(
        "ingest",
        help="read corpus files into build/corpus.parquet and build/ingest-report.csv",
        description="Read article files (txt, jsonl, json, csv, tsv, html; folders recursively) into "
        "one corpus table, and every problem into a report. Unchanged files are reused from a cache "
        "beside the output.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="corpus folder(s) or file(s)")
    p.add_argument("--out", default="build/corpus.parquet", help="corpus table to write (.parquet)")
    p.add_argument("--report", default="build/ingest-report.csv", help="problem report to write (.csv)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when any error was found")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="worker processes for parsing (default: %(default)s)")  # fmt: skip
    p.add_argument("--no-cache", action="store_true", help="parse every file again, ignore the cache")
    p.add_argument("--partitioned", action="store_true", default=None,
                   help="write the table as a folder of part files (automatic above 1 GiB of text)")
    p.set_defaults(func=_run_ingest)


def _run_ingest(args) -> int:
    import sys
    import time
    from pathlib import Path

    from newslens import ingest, partitions

    out = Path(args.out)
    started = time.perf_counter()
    try:
        run = ingest.build(
            args.paths,
            jobs=args.jobs,
            cache_dir=None if args.no_cache else out.parent / ".ingest-cache" / out.stem,
            progress=ingest.progress_bar(),
        )
    except (FileNotFoundError, ValueError) as exc:
        print(f"newslens ingest: error: {exc}", file=sys.stderr)
        return 2
    partitioned = ingest.write_outputs(run, out, args.report, partitioned=args.partitioned)
    errors = sum(p.severity == "error" for p in run.problems)
    warnings = len(run.problems) - errors
    print(f"newslens ingest: {run.files} files ({run.parsed} parsed, {run.reused} reused), "
          f"{run.table.num_rows} articles, {warnings} warnings, {errors} errors "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    shape = f" (partitioned: {len(partitions.manifest(out)['parts'])} part files)" if partitioned else ""
    print(f"  corpus -> {out}{shape}\n  report -> {args.report}")
    return 1 if args.strict and errors else 0


def _add_kwic(subparsers) -> None:
    p = subparsers.add_parser(
        "kwic",
        help="show every hit of a query in its context (keyword in context)",
        description='Search titles and texts with the query language: words, "quoted phrases", '
        "trailing wildcards (escalat*), AND / OR / NOT and parentheses; print an aligned concordance.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
    p.add_argument("query", metavar="QUERY", help='query, e.g. \'"red line*" AND NOT nato\'')
    p.add_argument("--window", type=int, default=5, help="context tokens on each side (default: %(default)s)")
    p.add_argument("--sort", choices=["position", "left", "right"], default="position",
                   help="order by date and position, or by the left or right context (default: %(default)s)")
    p.add_argument("--limit", type=int, default=50, help="lines to print, 0 = all (default: %(default)s)")
    p.add_argument("--max-per-article", type=int, default=10,
                   help="hits shown per article, 0 = all (default: %(default)s)")
    p.add_argument("--width", type=int, default=40, help="characters of context per side (default: %(default)s)")
    p.set_defaults(func=_run_kwic)


def _run_kwic(args) -> int:
    import sys

    from newslens import load_corpus
    from newslens.keywords.kwic import concordance_lines, kwic
    from newslens.query import QuerySyntaxError, parse

    try:
        query = parse(args.query)
    except QuerySyntaxError as exc:
        print(f"newslens kwic: query error: {exc}", file=sys.stderr)
        return 2
    for name in ("window", "limit", "max_per_article"):
        if getattr(args, name) < 0:
            print(f"newslens kwic: error: --{name.replace('_', '-')} must be >= 0", file=sys.stderr)
            return 2
    try:
        corpus = load_corpus(args.corpus)
        hits = kwic(corpus, query, window=args.window, sort=args.sort,
                    max_per_article=args.max_per_article or None)  # fmt: skip
        lines = concordance_lines(hits, width=args.width)
    except (FileNotFoundError, ValueError) as exc:
        print(f"newslens kwic: error: {exc}", file=sys.stderr)
        return 2
    shown = lines if args.limit == 0 else lines[: args.limit]
    print(f"{hits.attrs['hits_total']} hits in {hits.attrs['articles']} of {len(corpus)} articles "
          f"for {args.query}; showing {len(shown)}")  # fmt: skip
    print("\n".join(shown))
    return 0


def _add_frames(subparsers) -> None:
    p = subparsers.add_parser(
        "frames",
        help="score frame dictionaries or cross-validate a frame classifier",
        description="Deductive frames (dictionary scores per article) and the supervised frame classifier.",
    )
    actions = p.add_subparsers(dest="frames_command", required=True, metavar="ACTION")
    ev = actions.add_parser(
        "evaluate",
        help="cross-validate the default frame classifier on a hand-coded CSV",
        description="Stratified k-fold cross-validation of the default frame classifier on a coding table; "
        "prints accuracy, macro-F1 and the per-class table.",
    )
    ev.add_argument("coding", metavar="CODING.csv", help="coding table: one row per coded text")
    ev.add_argument("--text-col", default="text", help="column with the texts (default: %(default)s)")
    ev.add_argument("--id-col", help="column with article ids instead of texts; needs --corpus")
    ev.add_argument("--corpus", metavar="CORPUS",
                    help="corpus table (.parquet), folder or file whose articles --id-col refers to")
    ev.add_argument("--label-col", default="frame", nargs="+",
                    help="label column(s); one column may hold ';'-separated labels (default: %(default)s)")
    ev.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: %(default)s)")
    ev.add_argument("--seed", type=int, default=0, help="seed of the fold assignment (default: %(default)s)")
    ev.set_defaults(func=_run_frames_evaluate)
    sc = actions.add_parser(
        "score",
        help="write per-article frame scores (hits, rate per 1,000 tokens, presence, dominant frame)",
        description="Score every article with a frame dictionary and write one row per article as CSV.",
    )
    sc.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
    sc.add_argument("--scheme", default="generic",
                    help="generic, policy, or a frame dictionary file (.yml/.yaml/.dic) (default: %(default)s)")
    sc.add_argument("--threshold", type=float, default=1.0,
                    help="minimum hits per 1,000 tokens for a frame to be present (default: %(default)s)")
    sc.add_argument("--min-hits", type=int, default=2,
                    help="minimum indicator hits for a frame to be present (default: %(default)s)")
    sc.add_argument("--out", default="-", help="output CSV file, '-' for standard output (default: %(default)s)")
    sc.set_defaults(func=_run_frames_score)


def _run_frames_evaluate(args) -> int:
    import sys

    from newslens.framing import CodingError, evaluate, read_coding

    labels = args.label_col if isinstance(args.label_col, str) else list(args.label_col)
    label_col = labels[0] if len(labels) == 1 else labels
    if bool(args.id_col) != bool(args.corpus):
        print("newslens frames evaluate: error: --id-col and --corpus go together", file=sys.stderr)
        return 2
    try:
        if args.id_col:
            from newslens import load_corpus

            coding = read_coding(args.coding, text_col=None, label_col=label_col, id_col=args.id_col,
                                 corpus=load_corpus(args.corpus))
        else:
            coding = read_coding(args.coding, text_col=args.text_col, label_col=label_col)
        result = evaluate(coding, folds=args.folds, seed=args.seed)
    except (CodingError, FileNotFoundError, ValueError) as exc:
        print(f"newslens frames evaluate: error: {exc}", file=sys.stderr)
        return 2
    kind = "multi-label" if coding.multilabel else "single-label"
    print(f"{args.coding}: n={len(coding.data)} coded texts, {len(coding.labels)} labels ({kind}), "
          f"{result.folds}-fold stratified cross-validation (seed {args.seed})")
    if coding.multilabel:
        print(f"subset accuracy {result.metric('subset_accuracy'):.3f}  micro-F1 {result.metric('micro_f1'):.3f}  "
              f"macro-F1 {result.metric('macro_f1'):.3f}  Hamming loss {result.metric('hamming_loss'):.3f}")
    else:
        print(f"accuracy {result.metric('accuracy'):.3f}  macro-F1 {result.metric('macro_f1'):.3f}")
    print(f"macro-F1 per fold: mean {result.metric('macro_f1_fold_mean'):.3f}, "
          f"sd {result.metric('macro_f1_fold_sd'):.3f}\n")
    print(result.per_class.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return 0


def _run_frames_score(args) -> int:
    import sys

    from newslens import load_corpus
    from newslens.dictionary import DictionaryError
    from newslens.framing import frame_scores, frame_table

    try:
        corpus = load_corpus(args.corpus)
        table = frame_table(frame_scores(corpus, args.scheme, threshold=args.threshold, min_hits=args.min_hits))
    except (FileNotFoundError, DictionaryError, ValueError) as exc:
        print(f"newslens frames score: error: {exc}", file=sys.stderr)
        return 2
    if args.out == "-":
        table.to_csv(sys.stdout, index=False)
    else:
        from newslens import atomic
        from newslens.report import csv_text

        atomic.write_text(args.out, csv_text(table))
        counts = table["dominant_frame"].value_counts().sort_index()
        print(f"{len(table)} articles scored with scheme {args.scheme} -> {args.out}", file=sys.stderr)
        print("dominant frame: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


def _add_validate(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="coding samples and sheets, coder agreement, measures against human coding",
        description="Draw a coding sample, write coding sheets, read them back for Krippendorff's alpha, "
        "and score the frame dictionaries (calibrated, cross-validated) and VADER tone against the human codes.",
    )
    actions = p.add_subparsers(dest="validate_command", required=True, metavar="ACTION")
    sa = actions.add_parser("sample", help="draw a stratified, seeded coding sample (CSV)",
                            description="Stratified random sample of articles or sentences, never the same unit twice.")
    sa.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
    sa.add_argument("--n", type=int, required=True, help="units to draw")
    sa.add_argument("--by", nargs="*", default=["outlet", "period"],
                    help="stratum columns; 'period' is the calendar period of the date (default: %(default)s)")
    sa.add_argument("--unit", choices=["article", "sentence"], default="article", help="(default: %(default)s)")
    sa.add_argument("--allocation", choices=["proportional", "equal"], default="proportional",
                    help="units per stratum (default: %(default)s)")
    sa.add_argument("--period", choices=["day", "week", "month"], default="month", help="(default: %(default)s)")
    sa.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
    sa.add_argument("--duplicates", choices=["keep", "canonical"], default="keep",
                    help="canonical: one article per cluster of syndicated copies (default: %(default)s)")
    sa.add_argument("--out", required=True, help="sample CSV to write")
    sa.set_defaults(func=_run_validate_sample)
    sh = actions.add_parser("sheet", help="write the XLSX coding workbook (and CSV copies) for coders",
                            description="One sheet per coder with drop-down values, a codebook sheet from the scheme.")
    sh.add_argument("sample", metavar="SAMPLE.csv", help="sample written by 'newslens validate sample'")
    sh.add_argument("--coders", nargs="+", required=True, help="coder names (one sheet each)")
    sh.add_argument("--variables", nargs="*", choices=["frames", "dominant", "tone"], default=["frames"],
                    help="frames: presence of each frame; dominant: one frame; tone: 3 classes (default: %(default)s)")
    sh.add_argument("--actors", nargs="*", default=[],
                    help="actors whose tone is coded too: one variable tone:<actor> each (e.g. NATO Russia)")
    sh.add_argument("--quoted", nargs="*", default=[],
                    help="actors coded as quoted or not: one 1/0 variable quoted:<actor> each (e.g. Putin NATO)")
    sh.add_argument("--scheme", default="generic", help="generic, policy or a frame scheme file (default: %(default)s)")
    sh.add_argument("--out", required=True, help="workbook to write (.xlsx)")
    sh.set_defaults(func=_run_validate_sheet)
    for name, helptext in (("agreement", "Krippendorff's alpha per variable from filled sheets"),
                           ("frames", "frame dictionaries against the human codes: default and calibrated rule"),
                           ("tone", "VADER tone (3 classes at +-0.05) against the human codes")):  # fmt: skip
        a = actions.add_parser(name, help=helptext, description=helptext + ".")
        if name != "agreement":
            a.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
        a.add_argument("coding", nargs="+", metavar="CODING", help="filled sheets (.xlsx, .csv) or long CSV tables")
        a.add_argument("--codebook", required=True, help="codebook CSV written beside the workbook")
        a.add_argument("--sample", help="sample CSV: units outside it are reported")
        a.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples (default: %(default)s)")
        a.add_argument("--seed", type=int, default=0, help="(default: %(default)s)")
        a.add_argument("--problems", help="write the problem rows of the coding files to this CSV")
        a.add_argument("--out", help={"agreement": "agreement table CSV", "frames": "calibrated scheme YAML to write",
                                      "tone": "scores CSV"}[name])  # fmt: skip
        if name == "agreement":
            a.add_argument("--minimum", type=float, default=0.667,
                           help="alpha minimum for P(alpha < minimum) (default: %(default)s)")
        if name == "frames":
            a.add_argument("--scheme", default="generic", help="(default: %(default)s)")
            a.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: %(default)s)")
        if name == "tone":
            a.add_argument("--variable", default="tone", help="codebook variable with the tone codes (default: %(default)s)")
            a.add_argument("--unit", choices=["article", "sentence"], default="article", help="(default: %(default)s)")
        a.set_defaults(func={"agreement": _run_validate_agreement, "frames": _run_validate_frames,
                             "tone": _run_validate_tone}[name])  # fmt: skip


def _validate_error(action: str, exc: Exception) -> int:
    import sys

    print(f"newslens validate {action}: error: {exc}", file=sys.stderr)
    return 2


def _run_validate_sample(args) -> int:
    import warnings

    from newslens import load_corpus
    from newslens.corpus import subset
    from newslens.duplicates import for_corpus
    from newslens.validation import sample, write_sample

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            articles = load_corpus(args.corpus)
            if args.duplicates == "canonical":
                articles = subset(articles, duplicates="canonical", clusters=for_corpus(args.corpus, articles))
            drawn = sample(articles, args.n, by=tuple(args.by), unit=args.unit,
                           allocation=args.allocation, seed=args.seed, period=args.period)  # fmt: skip
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return _validate_error("sample", exc)
    write_sample(drawn, args.out)
    strata = len(drawn.attrs["strata"])
    left_out = articles.attrs["duplicates"]["removed"] if args.duplicates == "canonical" else 0
    copies = f"; {left_out} copies left out (duplicates=canonical)" if left_out else ""
    print(f"{len(drawn)} {args.unit}s from {strata} strata ({args.allocation}, seed {args.seed}){copies} -> {args.out}")
    for warning in caught:
        print(f"warning: {warning.message}")
    return 0


def _run_validate_sheet(args) -> int:
    from newslens.validation import coding_sheet, combine, frame_codebook, quoted_codebook, read_sample, tone_codebook

    try:
        parts = {"frames": lambda: frame_codebook(args.scheme), "tone": tone_codebook,
                 "dominant": lambda: frame_codebook(args.scheme, coding="dominant")}  # fmt: skip
        per_actor = [tone_codebook(f"tone:{actor}", target=actor) for actor in dict.fromkeys(args.actors)]
        per_actor += [quoted_codebook(actor) for actor in dict.fromkeys(args.quoted)]
        if not args.variables and not per_actor:
            raise ValueError("nothing to code: give --variables, --actors and/or --quoted")
        book = combine(*(parts[v]() for v in dict.fromkeys(args.variables)), *per_actor)
        written = coding_sheet(read_sample(args.sample), book, coders=args.coders, path=args.out)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return _validate_error("sheet", exc)
    print(f"{args.out}: {len(args.coders)} coder sheet(s), {book['variable'].nunique()} variable(s); "
          f"CSV copies {', '.join(str(p) for p in written.csv)}; codebook {written.codebook_csv}")
    for row in written.problems.itertuples(index=False):
        print(f"note: {row.sheet} row {row.row} {row.column}: {row.reason}")
    return 0


def _read_codes(args, action: str):
    from newslens import atomic
    from newslens.validation import read_codebook, read_coding

    book = read_codebook(args.codebook)
    codes = read_coding(*args.coding, codebook=book, sample=args.sample)
    print(f"{len(codes.codes)} codes from {len(codes.coders)} coder(s) ({', '.join(codes.coders)}); "
          f"{len(codes.problems)} problem row(s)")
    for row in codes.problems.head(10).itertuples(index=False):
        print(f"  {row.file} {row.sheet} row {row.row} {row.column}: {row.reason}")
    if len(codes.problems) > 10:
        print(f"  ... {len(codes.problems) - 10} more" + ("" if args.problems else " (write them all with --problems)"))
    if args.problems:
        atomic.write_text(args.problems, codes.problems.to_csv(index=False, lineterminator="\n"))
    return book, codes


def _run_validate_agreement(args) -> int:
    from newslens import atomic
    from newslens.validation import agreement_table

    try:
        book, codes = _read_codes(args, "agreement")
        table = agreement_table(codes.codes, book, n_boot=args.n_boot, seed=args.seed, minimum=args.minimum)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return _validate_error("agreement", exc)
    for row in table.itertuples(index=False):
        print(f"{row.variable} ({row.level}, {row.coders} coders, {row.units} units): {row.verdict}; "
              f"P(alpha < {row.minimum:g}) = {row.p_below:.3f}; agreement {row.percent_agreement:.3f}")
    if args.out:
        atomic.write_text(args.out, table.to_csv(index=False, lineterminator="\n"))
    return 0


def _run_validate_frames(args) -> int:
    from newslens import load_corpus
    from newslens.framing import load_scheme
    from newslens.validation import frame_agreement, frame_coding, rule_agreement, write_scheme

    try:
        _book, codes = _read_codes(args, "frames")
        frames = [f for f in load_scheme(args.scheme).dictionary.categories if f in set(codes.codes["variable"])]
        if not frames:
            raise ValueError(f"the coding has no variable named after a frame of scheme {args.scheme}")
        wide = frame_coding(codes.codes, frames)
        corpus = load_corpus(args.corpus)
        default = rule_agreement(corpus, wide, scheme=args.scheme)
        calibrated = frame_agreement(corpus, wide, scheme=args.scheme, folds=args.folds, seed=args.seed)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return _validate_error("frames", exc)
    print(f"{len(wide)} articles with a majority code on every frame ({len(wide.attrs['ties'])} left out: ties)")
    print(f"{'frame':24} {'default P/R/F1':>20} {'calibrated P/R/F1 (' + str(args.folds) + '-fold CV)':>34}  rule")
    for d, c in zip(default.itertuples(index=False), calibrated.itertuples(index=False), strict=True):
        rule = "" if c.frame == "macro" else f"min_hits {c.min_hits}, threshold {c.threshold:g}"
        print(f"{c.frame:24} {d.precision:6.3f} {d.recall:6.3f} {d.f1:6.3f} {'':12}"
              f"{c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}  {rule}")
    if args.out:
        write_scheme(calibrated, args.out, scheme=args.scheme)
        print(f"calibrated scheme -> {args.out} (use it as scheme_file)")
    return 0


def _run_validate_tone(args) -> int:
    from newslens import atomic, load_corpus
    from newslens.validation import compare, consensus, vader_tone

    try:
        book, codes = _read_codes(args, "tone")
        human = consensus(codes.codes, args.variable)
        if human.empty:
            raise ValueError(f"no unit has a majority code for variable {args.variable!r}")
        machine = vader_tone(load_corpus(args.corpus), unit=args.unit)
        labels = book.loc[book["variable"] == args.variable, "value"].tolist() or None
        result = compare(machine, human, by="outlet" if "outlet" in machine.columns else None, labels=labels,
                         n_boot=args.n_boot, seed=args.seed)  # fmt: skip
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return _validate_error("tone", exc)
    group = result.scores.columns[0]
    shown = result.scores[result.scores[group] == "all"]
    print(f"VADER tone vs human ({args.variable}, {args.unit}s, n={int(shown['n'].iloc[0])}; "
          f"{len(result.unmatched)} unit(s) unmatched)")
    for row in shown.itertuples(index=False):
        print(f"  {row.category:9} P {row.precision:.3f} [{row.precision_low:.3f}, {row.precision_high:.3f}]  "
              f"R {row.recall:.3f} [{row.recall_low:.3f}, {row.recall_high:.3f}]  "
              f"F1 {row.f1:.3f} [{row.f1_low:.3f}, {row.f1_high:.3f}]")
    if args.out:
        atomic.write_text(args.out, result.scores.to_csv(index=False, lineterminator="\n"))
    return 0


def _add_quotes(subparsers) -> None:
    p = subparsers.add_parser(
        "quotes",
        help="extract quotes and reported speech with their speakers, actors and roles (CSV)",
        description="One row per attribution (direct, mixed or indirect quote) of every article: content and "
        "speaker offsets into the text, the speaker's actor and role (official, spokesperson, expert, citizen, "
        "journalist, unnamed), the speech verb. Rule-based and offline (newslens.quotes).",
    )
    p.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
    p.add_argument("--out", default="-", help="output CSV file, '-' for standard output (default: %(default)s)")
    p.add_argument("--actors", metavar="FILE.yml", help="actors dictionary (default: the bundled data/actors.yml)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="worker processes (default: %(default)s)")  # fmt: skip
    p.set_defaults(func=_run_quotes)


def _run_quotes(args) -> int:
    import sys

    from newslens import load_corpus
    from newslens.dictionary import DictionaryError
    from newslens.quotes import extract

    try:
        corpus = load_corpus(args.corpus)
        table = extract(corpus, actors=args.actors, jobs=args.jobs)
    except (FileNotFoundError, DictionaryError, ValueError) as exc:
        print(f"newslens quotes: error: {exc}", file=sys.stderr)
        return 2
    if args.out == "-":
        table.to_csv(sys.stdout, index=False)
    else:
        from newslens import atomic
        from newslens.report import csv_text

        atomic.write_text(args.out, csv_text(table))
    kinds = table["kind"].value_counts()
    named = table["speaker"].notna().sum()
    print(f"newslens quotes: {len(table)} attributions ({kinds.get('direct', 0)} direct, {kinds.get('mixed', 0)} "
          f"mixed, {kinds.get('indirect', 0)} indirect) in {table['id'].nunique()} of {len(corpus)} articles; "
          f"{named} with a speaker, {table['speaker_actor'].notna().sum()} with an actor, "
          f"{(table['role'] == 'unnamed').sum()} unnamed sources -> {args.out}", file=sys.stderr)  # fmt: skip
    return 0


def _add_duplicates(subparsers) -> None:
    p = subparsers.add_parser(
        "duplicates",
        help="find near-duplicate articles (syndicated copies) and their canonical copies",
        description="Cluster articles that are (edited) copies of one another: MinHash/LSH over word shingles, "
        "verified on the exact shingle sets. Writes one row per clustered article: id, cluster (the canonical "
        "copy's id), canonical, similarity, containment, cue.",
    )
    p.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
    p.add_argument("--threshold", type=float, default=0.8,
                   help="least share of a copy's shingles found in its source (default: %(default)s)")
    p.add_argument("--field", choices=["auto", "text", "title"], default="auto",
                   help="cluster bodies, titles, or bodies unless the corpus has none (default: %(default)s)")
    p.add_argument("--candidates", choices=["lsh", "all"], default="lsh",
                   help="LSH candidates, or every pair exactly (small corpora) (default: %(default)s)")
    p.add_argument("--out", default="-", help="output CSV file, '-' for standard output (default: %(default)s)")
    p.set_defaults(func=_run_duplicates)


def _run_duplicates(args) -> int:
    import sys
    import time

    from newslens import load_corpus
    from newslens.duplicates import clusters

    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        def progress(total, desc):
            return tqdm(total=total, desc=desc, file=sys.stderr, leave=False)

    started = time.perf_counter()
    try:
        corpus = load_corpus(args.corpus)
        found = clusters(corpus, threshold=args.threshold, field=args.field, candidates=args.candidates,
                         progress=progress)  # fmt: skip
    except (FileNotFoundError, ValueError) as exc:
        print(f"newslens duplicates: error: {exc}", file=sys.stderr)
        return 2
    a = found.attrs
    summary = (f"newslens duplicates: {a['articles']} articles ({a['field']}), {a['clusters']} clusters of "
               f"{len(found)} articles ({len(found) - a['clusters']} copies), skipped {a['skipped_short']} short "
               f"and {a['skipped_boilerplate']} boilerplate-only, {a['boilerplate_lines']} boilerplate lines, "
               f"threshold {a['threshold']} in {time.perf_counter() - started:.1f} s")  # fmt: skip
    if args.out == "-":
        found.to_csv(sys.stdout, index=False, lineterminator="\n")
        print(summary, file=sys.stderr)
    else:
        from newslens import atomic
        from newslens.report import csv_text

        atomic.write_text(args.out, csv_text(found))
        print(f"{summary}\n  clusters -> {args.out}")
    return 0


def _add_share(subparsers) -> None:
    p = subparsers.add_parser(
        "share",
        help="check licence-safe sharing: the longest run of article words in a reports folder",
        description="Licence-safe sharing (newslens.share). `newslens share scan CORPUS REPORTS` finds the longest "
        "run of consecutive words of any article of CORPUS in any file below REPORTS (HTML text, CSV, executed "
        "notebooks, PNG text chunks, other text files) and prints it with its file and position.",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    sc = actions.add_parser("scan", help="find the longest run of article words in a folder of outputs",
                            description="Print the longest run of consecutive article words in any file below "
                            "REPORTS, with file, position and article; exit 1 when it is longer than --max-words.")
    sc.add_argument("corpus", metavar="CORPUS", help="corpus table (.parquet), corpus folder or article file")
    sc.add_argument("reports", metavar="REPORTS", help="folder of published outputs (e.g. reports/)")
    sc.add_argument("--min-words", type=int, default=4,
                    help="shortest run looked for; shorter runs show as 0 (default: %(default)s)")
    sc.add_argument("--max-words", type=int, default=None, metavar="N",
                    help="exit 1 when a run is longer than N words (e.g. 12, the derived mode's default)")
    sc.add_argument("--files", action="store_true", help="also print the longest run of every file")
    sc.set_defaults(func=_run_share_scan)


def _run_share_scan(args) -> int:
    import sys
    from pathlib import Path

    from newslens import load_corpus
    from newslens.share import scan

    if not Path(args.reports).is_dir():
        print(f"newslens share scan: error: {args.reports} is not a folder", file=sys.stderr)
        return 2
    try:
        corpus = load_corpus(args.corpus)
        result = scan(corpus, args.reports, min_words=args.min_words)
    except (FileNotFoundError, ValueError) as exc:
        print(f"newslens share scan: error: {exc}", file=sys.stderr)
        return 2
    if args.files:
        for run in result.table().itertuples():
            print(f"  {run.words:5d}  {run.file}")
    longest = result.longest
    print(f"newslens share scan: {len(result.runs)} files ({len(result.skipped)} without text skipped), "
          f"{len(corpus)} articles, {result.seconds:.2f} s")
    if longest is None:
        print(f"longest run: none of {args.min_words} or more words")
        return 0
    where = f" {longest.where}" if longest.where else ""
    print(f"longest run: {longest.words} words in {longest.file}{where} line {longest.line} word {longest.word}, "
          f"from article {longest.article} ({longest.part}, word {longest.article_word}): {longest.text!r}")
    if args.max_words is not None and longest.words > args.max_words:
        print(f"newslens share scan: FAILED: a run of {longest.words} words is longer than {args.max_words}",
              file=sys.stderr)
        return 1
    return 0


COMMANDS = [_add_ingest, _add_report, _add_kwic, _add_frames, _add_validate, _add_quotes, _add_duplicates,
            _add_share]
