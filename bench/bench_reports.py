"""Benchmark the whole `make reports` (``newslens ingest`` + ``newslens report``) on generated corpora.

For each size, the scraped-.txt corpus of ``bench/synth.py`` is generated once into ``bench/out/``
and run through two code paths in the same session, each from a clean build folder:

* **new**: this checkout (derived tables computed once in chunks on every core and cached in
  ``build/derived/``; topics fitted on a sample);
* **old**: the commit before that work (``--old``, default 55e1122), extracted with
  ``git archive`` into ``bench/out/`` and run with ``PYTHONPATH`` pointing at its ``lib/``
  (same virtual environment, same notebooks of that commit).

Then the new path runs again with one parameter changed (``-p period month``, used by the
sentiment, framing and keyword reports), which reuses the cached derived tables.

Measured per run: wall time of ingest and of each report (as ``newslens report`` prints them), the
CPU time of all processes (how busy the cores were), the derived tables each report built and their
time, the total, and the peak resident memory of the whole process tree (the command, its papermill
kernels and their worker processes), polled every 0.2 s with psutil and summed over the tree
(shared pages are counted once per process, so this over-states the memory actually used).

Targets (issue 10, 2-core machine): 100,000 articles in <= 300 s with a peak <= 4 GB; the re-run
after one parameter change <= 60 s.

    .venv/bin/python bench/bench_reports.py                      # 10,000 and 100,000 articles
    .venv/bin/python bench/bench_reports.py --sizes 2000         # a quick run
    .venv/bin/python bench/bench_reports.py --sizes 100000 --old-max 0   # new path only
    .venv/bin/python bench/bench_reports.py --sizes 100000 --old-max 0 --lanes 1   # one report at a time
    .venv/bin/python bench/bench_reports.py --sizes 100000 --warm   # again on the derived tables of a run before
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
TARGETS = {"total_s": 300.0, "peak_gb": 4.0, "rerun_s": 60.0}
_LINE = re.compile(r"^\s+(\d\d-[\w-]+)\s+(ok|failed)\s+([\d.]+) s")


def corpus_folder(n: int, seed: int) -> Path:
    """The generated corpus of n articles (written on first use)."""
    folder = OUT / f"reports-synth-{n}-seed{seed}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        sys.path.insert(0, str(HERE))
        from synth import write_corpus

        started = time.perf_counter()
        write_corpus(folder, n, seed=seed)
        (folder / ".complete").write_text("")
        print(f"   (generated {n:,} articles in {time.perf_counter() - started:.0f} s -> {folder})", flush=True)
    return folder


def old_checkout(commit: str) -> Path:
    """The tree of `commit`, extracted once below bench/out/."""
    target = OUT / f"old-{commit}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
        tar = target / "tree.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as handle:
            handle.extractall(target, filter="data")
        tar.unlink()
        (target / ".complete").write_text("")
    return target


def _role(proc: psutil.Process) -> str:
    """What a process of the tree is: a report's kernel, a worker, or the command itself."""
    line = " ".join(proc.cmdline())
    if "ipykernel" in line:
        return "kernel"
    if "multiprocessing" in line or "spawn_main" in line:
        return "worker"
    return "newslens"


def run_tree(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Run `cmd`; return its wall time, the peak summed RSS of its process tree, and its output."""
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    tops: dict[int, tuple[int, str]] = {}  # pid -> (its peak RSS, what it is)
    done = threading.Event()

    def poll() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                members = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for p in members:
                try:
                    rss = p.memory_info().rss
                    if rss > tops.get(p.pid, (0, ""))[0]:
                        tops[p.pid] = (rss, tops.get(p.pid, (0, ""))[1] or _role(p))
                except psutil.Error:
                    continue
                total += rss
            peak[0] = max(peak[0], total)
            done.wait(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    output, _ = proc.communicate()
    done.set()
    watcher.join()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"      ({cmd[3]}: {seconds:.1f} s wall, {cpu:.1f} s CPU of its processes: "
          f"{cpu / seconds / (os.cpu_count() or 1):.0%} of {os.cpu_count()} cores; largest processes: "
          + ", ".join(f"{role} {rss / 1e9:.2f} GB" for rss, role in sorted(tops.values(), reverse=True)[:4]) + ")",
          flush=True)  # fmt: skip
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return seconds, peak[0], output


def run_path(label: str, tree: Path, corpus: Path, work: Path, extra: list[str] = (), clean: bool = True) -> dict:
    """ingest + report of `corpus` with the code of `tree`, outputs in `work`."""
    if clean:
        shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(tree / "lib"))
    py = [sys.executable, "-m", "newslens"]
    table = work / "build" / "corpus.parquet"
    steps = {}
    peak = 0
    if clean:
        seconds, rss, _ = run_tree([*py, "ingest", str(corpus), "--out", str(table), "--report",
                                    str(work / "build" / "ingest-report.csv")], cwd=tree, env=env)  # fmt: skip
        steps["ingest"] = seconds
        peak = rss
    seconds, rss, output = run_tree([*py, "report", "--corpus", str(table), "--out", str(work / "reports"), *extra],
                                    cwd=tree, env=env)  # fmt: skip
    for line in output.splitlines():
        found = _LINE.match(line)
        if found:
            if found.group(2) != "ok":
                raise SystemExit(f"{label}: {found.group(1)} failed:\n{output[-3000:]}")
            steps[found.group(1)] = float(found.group(3))
    steps["report"] = seconds
    show_builds(work / "reports", [line.split()[0] for line in output.splitlines()
                                   if _LINE.match(line) and "up to date" not in line])
    return {"label": label, "steps": steps, "total": sum(v for k, v in steps.items() if k in ("ingest", "report")),
            "peak": max(peak, rss)}  # fmt: skip


def show_builds(reports: Path, ran: list[str]) -> None:
    """The derived tables each report that ran computed, with their time (from the reports' manifest)."""
    manifest = json.loads((reports / "_manifest.json").read_text(encoding="utf-8"))
    for name in sorted(ran):
        for event in manifest.get(name, {}).get("derived") or []:
            if "seconds" in event:
                print(f"      {name:<20} built {event['table'][:60]:<60} {event['seconds']:>7.1f} s", flush=True)


def show(runs: list[dict]) -> None:
    names = list(dict.fromkeys(k for r in runs for k in r["steps"] if k != "report"))
    print(f"   {'step':<22}" + "".join(f"{r['label']:>14}" for r in runs))
    for name in names:
        print(f"   {name:<22}" + "".join(f"{r['steps'].get(name, float('nan')):>12.1f} s" for r in runs))
    print(f"   {'total (wall)':<22}" + "".join(f"{r['total']:>12.1f} s" for r in runs))
    print(f"   {'peak RSS (tree)':<22}" + "".join(f"{r['peak'] / 1e9:>11.2f} GB" for r in runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="corpus sizes (articles)")
    parser.add_argument("--old", default="55e1122", help="commit of today's path (default: %(default)s)")
    parser.add_argument("--old-max", type=int, default=100_000,
                        help="run the old path only up to this size (0: never; default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--warm", action="store_true",
                        help="keep the new path's build folder of an earlier run (its derived tables): run the reports "
                        "once with this code, then the re-run; no cold run, no old path")
    parser.add_argument("--lanes", type=int, default=None,
                        help="notebooks side by side in the new path (newslens report --lanes; default: its own)")
    args = parser.parse_args()

    print(f"bench_reports: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    for n in args.sizes:
        corpus = corpus_folder(n, args.seed)
        print(f"== {n:,} articles ({sum(f.stat().st_size for f in corpus.rglob('*.txt')) / 1e6:.0f} MB of .txt)",
              flush=True)  # fmt: skip
        lanes = [] if args.lanes is None else ["--lanes", str(args.lanes)]
        work = OUT / f"reports-new-{n}"
        if args.warm and not (work / "build" / "derived").is_dir():
            raise SystemExit(f"--warm: no derived tables in {work / 'build'}; run without --warm first")
        runs = [run_path("new, warm" if args.warm else "new", ROOT, corpus, work, lanes, clean=not args.warm)]
        print(f"   new path{' (derived tables of an earlier run)' if args.warm else ''}: {runs[-1]['total']:.1f} s",
              flush=True)  # fmt: skip
        rerun = run_path("new, -p period month", ROOT, corpus, OUT / f"reports-new-{n}",
                         [*lanes, "-p", "period", "month"], clean=False)  # fmt: skip
        rerun["label"] = "new re-run"
        runs.append(rerun)
        print(f"   re-run after one parameter change: {rerun['total']:.1f} s", flush=True)
        if n <= args.old_max and not args.warm:
            runs.append(run_path("old", old_checkout(args.old), corpus, OUT / f"reports-old-{n}"))
        show(runs)
        new = runs[0]
        print(f"   targets: total {new['total']:.1f} s (<= {TARGETS['total_s']:.0f}), peak {new['peak'] / 1e9:.2f} GB "
              f"(<= {TARGETS['peak_gb']:.0f}), re-run {rerun['total']:.1f} s (<= {TARGETS['rerun_s']:.0f})")
        if len(runs) == 3:
            old = runs[2]
            print(f"   old / new: time {old['total'] / new['total']:.2f}x, peak RSS {old['peak'] / new['peak']:.2f}x; "
                  f"old / re-run {old['total'] / rerun['total']:.1f}x", flush=True)


if __name__ == "__main__":
    main()
