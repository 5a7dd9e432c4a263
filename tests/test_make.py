"""The README's commands as a new user runs them: `make test` brings in chromium or says what to
install, `make reports` prints only newslens's own lines, `make corpus` always lets the incremental
ingest decide what changed.

chromium is never removed or installed here: the missing browser is a path that does not exist
(`CHROMIUM=...`), the non-root user is `nobody` (through setpriv), and apt-get is a script early on
PATH that records how it was called. The Makefile runs in the repository with every output folder
(`BUILD`, `REPORTS`, `STAMP`) redirected to a temporary folder.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
INSTALL = "apt-get install -y --no-install-recommends chromium fonts-dejavu-core"
NOISE = re.compile(r"ERROR|Circular|Traceback")

pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def make_env(path: str | None = None) -> dict[str, str]:
    """The environment of a top-level `make`: none of the outer make's flags (`make test` runs us)."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}}
    if path is not None:
        env["PATH"] = path
    return env


def run_make(*args: str, env: dict[str, str], user: str | None = None) -> subprocess.CompletedProcess:
    command = [MAKE, "--no-print-directory", *args]
    if user is not None:
        account = pwd.getpwnam(user)
        command = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups", *command]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def shared_tmp():
    """A temporary folder that another user (nobody) can read and write, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="newslens-make-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def executable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def fake_apt(shared_tmp):
    """A folder with an `apt-get` that logs its arguments (and DEBIAN_FRONTEND) and, on `install`,
    creates the file named by $FAKE_CHROMIUM as an executable, as Debian's package would."""
    bin_dir = shared_tmp / "bin"
    bin_dir.mkdir(mode=0o755)
    calls = shared_tmp / "apt-calls.txt"
    executable(bin_dir / "apt-get", f"""#!/bin/bash
echo "DEBIAN_FRONTEND=${{DEBIAN_FRONTEND:-}} apt-get $*" >> {calls}
if [ "$1" = install ]; then mkdir -p "$(dirname "$FAKE_CHROMIUM")"; printf '#!/bin/sh\\n' > "$FAKE_CHROMIUM"; chmod +x "$FAKE_CHROMIUM"; fi
""")
    return bin_dir, calls


@pytest.fixture
def stamp(shared_tmp) -> Path:
    """An up-to-date stand-in for `.venv/.installed`, so that no test here reinstalls the environment."""
    path = shared_tmp / "installed"
    path.touch()
    return path


@pytest.fixture
def recorder(shared_tmp) -> tuple[Path, Path]:
    """A stand-in for the venv's python that logs NEWSLENS_CHROMIUM and its arguments (`make test`
    would otherwise start this very test suite again)."""
    log = shared_tmp / "python-calls.txt"
    return executable(shared_tmp / "python", f'#!/bin/bash\necho "NEWSLENS_CHROMIUM=$NEWSLENS_CHROMIUM $*" >> {log}\n'), log


def assert_one_line_saying_what_to_install(stderr: str, path: Path) -> None:
    message = (f"make test needs chromium at {path} for the browser tests: install Debian's chromium "
               f"as root ({INSTALL}) or give its path with make test CHROMIUM=/path/to/chromium")
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert re.fullmatch(r"Makefile:\d+: \*\*\* (.*)\.  Stop\.", lines[0]).group(1) == message


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None, reason="setpriv is needed to run as nobody")
def test_make_test_without_chromium_as_a_normal_user_stops_with_one_line(shared_tmp, fake_apt, stamp, recorder):
    bin_dir, calls = fake_apt
    python, log = recorder
    missing = shared_tmp / "no" / "chromium"
    result = run_make("test", f"CHROMIUM={missing}", f"STAMP={stamp}", f"PY={python}",
                      env=make_env(f"{bin_dir}:{os.environ['PATH']}") | {"FAKE_CHROMIUM": str(missing)},
                      user="nobody" if os.geteuid() == 0 else None)
    assert result.returncode != 0
    assert result.stdout == ""
    assert_one_line_saying_what_to_install(result.stderr, missing)
    assert not calls.exists(), "apt-get was run without root"
    assert not log.exists(), "the tests ran without chromium"
    assert not missing.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="the root branch needs root")
def test_make_test_without_chromium_or_apt_as_root_stops_with_one_line(shared_tmp, stamp, recorder):
    python, log = recorder
    missing = shared_tmp / "no" / "chromium"
    empty = shared_tmp / "empty-path"
    empty.mkdir()
    result = run_make("test", f"CHROMIUM={missing}", f"STAMP={stamp}", f"PY={python}", env=make_env(str(empty)))
    assert result.returncode != 0
    assert_one_line_saying_what_to_install(result.stderr, missing)
    assert not log.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="the root branch needs root")
def test_make_test_as_root_with_apt_installs_chromium_then_runs_the_tests(shared_tmp, fake_apt, stamp, recorder):
    bin_dir, calls = fake_apt
    python, log = recorder
    target = shared_tmp / "installed-here" / "chromium"
    env = make_env(f"{bin_dir}:{os.environ['PATH']}") | {"FAKE_CHROMIUM": str(target)}
    result = run_make("test", f"CHROMIUM={target}", f"STAMP={stamp}", f"PY={python}", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls.read_text().splitlines() == [
        "DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core",
    ]
    assert log.read_text().splitlines() == [f"NEWSLENS_CHROMIUM={target} -m pytest -n auto --dist loadfile"]
    # Now that it is there, nothing is installed again.
    calls.unlink()
    result = run_make("test", f"CHROMIUM={target}", f"STAMP={stamp}", f"PY={python}", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not calls.exists()
    assert result.stderr == ""


def test_ci_runs_only_the_readme_commands():
    """`.ci/run` installs nothing itself: it runs `make reports` then `make test`, as the README says."""
    commands = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    two = re.search(r"## Two commands\s+```sh\n(.*?)```", readme, re.S).group(1)
    readme_commands = [line.split("#")[0].strip() for line in two.splitlines() if line.strip()]
    assert readme_commands == ["make reports", "make test"]
    assert [c for c in commands if not c.startswith(("set ", "cd "))] == readme_commands


@pytest.mark.slow
def test_make_report_prints_only_newslens_lines(tmp_path):
    """A fresh `make report` on the bundled corpus: no make warnings, no kernel log lines (and
    folders with spaces in their names work)."""
    result = run_make("report", "NB=00-corpus-overview", f"BUILD={tmp_path / 'my build'}",
                      f"REPORTS={tmp_path / 'my reports'}", env=make_env())
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert [line for line in lines if NOISE.search(line)] == []
    assert [line for line in lines if not line.startswith(("newslens ", "  "))] == []
    assert any(line.startswith("newslens ingest: ") for line in lines)
    assert re.search(r"^  00-corpus-overview\s+ok\s", result.stdout, re.M)
    assert (tmp_path / "my reports" / "00-corpus-overview.html").is_file()
    assert (tmp_path / "my build" / "corpus.parquet").is_file()


def test_make_corpus_always_lets_ingest_decide(tmp_path):
    """File names make cannot hold in a rule (`:`, `%`, `#`, `$`, spaces) are read; a second run
    goes through the incremental ingest again, which reuses every unchanged file."""
    corpus = tmp_path / "my corpus"
    corpus.mkdir()
    names = ["a:b.txt", "50% off.txt", "#1.txt", "cost $5.txt"]
    for number, name in enumerate(names):
        (corpus / name).write_text(f"Headline {number}\n- Alpha Post\n- Sep {number + 2}, 2024\nBody {number}.\n",
                                   encoding="utf-8")
    args = ("corpus", f"CORPUS={corpus}", f"BUILD={tmp_path / 'build'}")
    first = run_make(*args, env=make_env())
    assert first.returncode == 0, first.stdout + first.stderr
    assert "newslens ingest: 4 files (4 parsed, 0 reused), 4 articles" in first.stdout
    second = run_make(*args, env=make_env())
    assert second.returncode == 0, second.stdout + second.stderr
    assert "newslens ingest: 4 files (0 parsed, 4 reused), 4 articles" in second.stdout
    (corpus / "a:b.txt").write_text("Changed headline\n- Alpha Post\n- Sep 9, 2024\nNew body.\n", encoding="utf-8")
    third = run_make(*args, env=make_env())
    assert "newslens ingest: 4 files (1 parsed, 3 reused), 4 articles" in third.stdout
