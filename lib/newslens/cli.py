"""The `newslens` command line (also `python -m newslens`).

Each sub-command is a small `_add_<name>(subparsers)` function that declares its arguments and
sets `func`, the handler returning an exit code; `COMMANDS` (at the end) lists them in help order.

>>> main(["--version"])  # doctest: +SKIP
newslens 0.1.0
"""

from __future__ import annotations

import argparse

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
    parser.set_defaults(func=_run_report)


def _run_report(args) -> int:
    import sys

    from newslens import params, pipeline

    try:
        available = pipeline.discover(args.notebooks_dir)
        chosen = pipeline.select(available, args.notebooks)
        if args.list:
            for nb in chosen:
                print(f"{nb.name}: {nb.description}\n{params.help_text(nb.parameters)}")
            return 0
        print(f"newslens report: {len(chosen)} notebook(s), corpus {args.corpus} -> {args.out}")
        results = pipeline.run_reports(
            chosen,
            available=available,
            corpus=args.corpus,
            out=args.out,
            params_file=args.params,
            cli_params=[tuple(pair) for pair in args.parameter],
            code=args.code,
        )
    except pipeline.ReportError as exc:
        print(f"newslens report: error: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in results if r.status == "failed"]
    for result in failed:
        kept = f"; executed notebook kept in {result.failed_notebook}" if result.failed_notebook else ""
        print(f"newslens report: FAILED {result.message}{kept}", file=sys.stderr)
    return 1 if failed else 0


def _add_ingest(subparsers) -> None:
    import os

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
    p.set_defaults(func=_run_ingest)


def _run_ingest(args) -> int:
    import sys
    import time
    from pathlib import Path

    from newslens import ingest

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
    ingest.write_outputs(run, out, args.report)
    errors = sum(p.severity == "error" for p in run.problems)
    warnings = len(run.problems) - errors
    print(f"newslens ingest: {run.files} files ({run.parsed} parsed, {run.reused} reused), "
          f"{run.table.num_rows} articles, {warnings} warnings, {errors} errors "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"  corpus -> {out}\n  report -> {args.report}")
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


COMMANDS = [_add_ingest, _add_report, _add_kwic, _add_frames, _add_duplicates]
