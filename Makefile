# newslens — `make` alone lists the targets. Paths are defined here, once.
SHELL        := /bin/bash
PYTHON       ?= python3
VENV         := .venv
PY           := $(VENV)/bin/python
STAMP        := $(VENV)/.installed

CORPUS       ?= corpus
REPORTS      ?= reports
# The bundled corpus builds into build/; any other corpus into its own folder below build/.
BUILD        := build$(if $(filter corpus corpus/,$(CORPUS)),,/$(subst /,_,$(patsubst /%,%,$(abspath $(CORPUS)))))
CORPUS_TABLE := $(BUILD)/corpus.parquet
INGEST_REPORT:= $(BUILD)/ingest-report.csv
# The browser tests drive Debian's chromium; root with apt-get installs it when it is missing.
CHROMIUM     ?= /usr/bin/chromium
CHROMIUM_APT := chromium fonts-dejavu-core
# make test runs the test files on this many processes (pytest-xdist; each file stays on one).
TEST_JOBS    ?= auto

NB           ?=
PARAMS       ?=
P            ?=
CODE         ?= 0
# FORCE=1 runs every report, also those whose inputs did not change since their last good run.
FORCE        ?= 0
# Licence-safe sharing: SHARE=derived publishes no more than SHARE_WORDS consecutive words of an article.
SHARE        ?= full
SHARE_WORDS  ?= 12
# SCHEDULER=tcp://host:8786 runs the heavy steps on that dask cluster (default: $DASK_SCHEDULER_ADDRESS, else here).
SCHEDULER    ?=
# PARTITIONED=1 writes the corpus table as a folder of part files (automatic above 1 GiB of text).
PARTITIONED  ?= 0
REPORT_OPTS  := --corpus "$(CORPUS_TABLE)" --out "$(REPORTS)" $(if $(PARAMS),--params "$(PARAMS)") \
                $(P) $(if $(filter 1 yes true,$(CODE)),--code) $(if $(filter 1 yes true,$(FORCE)),--force) $(if $(SCHEDULER),--scheduler "$(SCHEDULER)") \
                $(if $(filter-out full,$(SHARE)),--share "$(SHARE)" --share-words "$(SHARE_WORDS)")
INGEST_OPTS  := $(if $(filter 1 yes true,$(PARTITIONED)),--partitioned)

.DEFAULT_GOAL := help
.PHONY: help setup corpus reports report test chromium bench eval lab clean

help: ## List the documented targets
	@echo "newslens — media-analysis workbench"
	@echo
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: CORPUS=folder|file (default corpus/)  REPORTS=folder (default reports/)"
	@echo "           NB=00-corpus-overview  PARAMS=params.yml  P='-p period month'  CODE=1 (keep code cells)  FORCE=1 (run all)"
	@echo "           SHARE=derived SHARE_WORDS=12 (no more than 12 consecutive words of an article in any output)"
	@echo "           CHROMIUM=path (browser tests; default /usr/bin/chromium)  TEST_JOBS=1 (tests on one process)"
	@echo "           SCHEDULER=tcp://host:8786 (dask cluster for the heavy steps)  PARTITIONED=1 (corpus as part files)"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name newslens --display-name "newslens" >/dev/null
	@touch $@

setup: $(STAMP) ## Create .venv from requirements.lock (only when missing or the lock changed)

corpus: $(STAMP) ## Build build/corpus.parquet and build/ingest-report.csv from CORPUS (re-reads changed files only)
	@$(VENV)/bin/newslens ingest "$(CORPUS)" --out "$(CORPUS_TABLE)" --report "$(INGEST_REPORT)" $(INGEST_OPTS)

reports: corpus ## Run every notebooks/NN-*.ipynb and write HTML reports + index to REPORTS
	@$(VENV)/bin/newslens report $(REPORT_OPTS)

report: corpus ## Run one report: make report NB=00-corpus-overview
	@test -n "$(NB)" || { echo "usage: make report NB=00-corpus-overview"; exit 2; }
	@$(VENV)/bin/newslens report $(NB) $(REPORT_OPTS)

test: $(STAMP) chromium ## Run the test suite (unit, notebook, browser and security tests)
	NEWSLENS_CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n $(TEST_JOBS) --dist loadfile

ifeq ($(wildcard $(CHROMIUM)),)
CAN_APT       = $(and $(filter 0,$(shell echo $$EUID)),$(shell command -v apt-get))
NO_CHROMIUM   = make test needs chromium at $(CHROMIUM) for the browser tests: install Debian's chromium as root \
                (apt-get install -y --no-install-recommends $(CHROMIUM_APT)) or give its path with make test \
                CHROMIUM=/path/to/chromium
chromium: ## Install Debian's chromium for the browser tests when CHROMIUM is missing (root with apt-get)
	$(if $(CAN_APT),,$(error $(NO_CHROMIUM)))
	@echo "newslens: installing Debian's chromium for the browser tests ($(CHROMIUM_APT))"
	@log=$$(mktemp); export DEBIAN_FRONTEND=noninteractive; \
	 { apt-get update -qq && apt-get install -y -qq --no-install-recommends $(CHROMIUM_APT); } >$$log 2>&1 \
	    || { cat $$log >&2; rm -f $$log; exit 1; }; rm -f $$log
	@test -x $(CHROMIUM) || { echo "apt-get installed chromium, but $(CHROMIUM) is missing:" \
	    "give its path with make test CHROMIUM=/path/to/chromium" >&2; exit 1; }
else
chromium:
endif

bench: $(STAMP) ## Run the benchmarks in bench/ (prints times, memory and ratios)
	@set -e; for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f; done

eval: $(STAMP) ## Run the evaluations on ../shared/eval (conformance, validity, accuracy)
	@set -e; for f in bench/eval_*.py; do echo "== $$f"; $(PY) $$f; done

lab: corpus ## Start JupyterLab on notebooks/ (kernel "newslens", run from the project root)
	$(PY) -m newslens.lab

clean: ## Delete generated files (build/, generated reports, caches); keeps .venv and corpus/
	rm -rf build bench/out .pytest_cache
	find $(REPORTS) -mindepth 1 ! -name README.md -exec rm -rf {} +
	find . -name __pycache__ -type d -not -path './.venv/*' -exec rm -rf {} +
