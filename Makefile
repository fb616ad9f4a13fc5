# nnbook: two commands do everything on a fresh clone.
#   make book   set up .venv and build the website into _build/html
#   make test   set up .venv and run every check (unit tests, strict nbval,
#               notebook invariants, lint, strict book build)
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Quiet, reproducible TensorFlow in every process and kernel we start.
export TF_CPP_MIN_LOG_LEVEL := 2
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0
# Kernels resolve to this environment's ipykernel, not a stale user kernelspec.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_PLATFORM_DIRS := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# tests/nbval_eval.py: each markdown cell's {eval} values, re-evaluated in
# nbval's kernel at the cell's place and compared with the stored text.
# NBVAL_JOBS: pytest-xdist workers of one nbval pass. `make test` runs the
# plain and the portable pass side by side, NBVAL_SIDE_JOBS workers each
# (measured on 2 shared cores: 2 each was the fastest, 1 each used 8 % less
# CPU).
NBVAL_JOBS      ?= 2
NBVAL_SIDE_JOBS ?= $(NBVAL_JOBS)
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg \
               -p tests.nbval_eval -p no:cacheprovider -n $(NBVAL_JOBS) --dist loadfile
JB_FLAGS    := -W -n --keep-going

.PHONY: help venv book test unit nbval nbval-portable lint imports build-strict \
        notebooks lab clean browser browser-deps screenshots lab-deps lab-setup \
        lab-server lab-dev lab-reset lab-test

help:
	@echo "make book       build the website into _build/html (sets up .venv)"
	@echo "make test       run every check (sets up .venv)"
	@echo "make notebooks  re-execute every chapter in a fresh kernel, in place"
	@echo "make nbval-portable  strict nbval on another floating-point path (README, Portability)"
	@echo "make lab        open copies of the chapters (in lab/) in JupyterLab"
	@echo "make lab-server the same, headless (no browser; prints the URL)"
	@echo "make lab-reset  put the originals back in lab/ (NB=05_project: one)"
	@echo "make lab-dev    open chapters/ itself, to edit the book"
	@echo "make browser    check every page of _build/html in headless Chromium, offline"
	@echo "make screenshots  regenerate docs/screenshots/*.png from _build/html"
	@echo "make clean      remove _build"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "nnbook needs Python 3.11 or newer, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

venv: $(STAMP)

book: $(STAMP)
	rm -rf _build
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo
	@echo "The book is at: $(CURDIR)/_build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check .

# The package's layers, as pyproject.toml's [tool.importlinter] contract says.
imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/python -m pytest tests -q -n 2

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL_FLAGS) -q chapters

# Strict nbval once more on another floating-point path, every change at once
# (README, "Portability"; `scripts/portability_report.py --list` shows them):
# oneDNN limited to AVX, another TensorFlow thread count, NumPy's baseline
# kernels (x86-64 only) and the one-ulp NumPy shim of tests/portability/shim.
nbval-portable: $(STAMP)
	$(BIN)/python scripts/portability_report.py portable -n $(NBVAL_JOBS) -- -q

build-strict: $(STAMP)
	rm -rf _build && mkdir -p _build
	$(BIN)/jupyter-book build . $(JB_FLAGS) 2>&1 | tee _build/build.log
	if grep -E "WARNING:|ERROR:" _build/build.log; then \
	  echo "the strict build printed warnings"; exit 1; fi

test: $(STAMP)
	@start=$$(date +%s)  # '@': the recipe itself is not echoed (ONESHELL)
	summary=(); failed=0
	record() { if [ "$$2" = 0 ]; then summary+=("$$1: ok ($$3 s)")
	  else summary+=("$$1: FAIL ($$3 s)"); failed=1; fi; }
	step() { local name=$$1 t0 rc=0; shift; t0=$$(date +%s)
	  echo; echo "==> $$name"
	  "$$@" || rc=$$?
	  record "$$name" "$$rc" "$$(( $$(date +%s) - t0 ))"; }
	# side_by_side NAME 'TARGET VAR=...' NAME 'TARGET ...': make targets at once,
	# each one's output printed whole when all are done.
	side_by_side() { local dir names=() pids=() i=0 t0 rc secs; t0=$$(date +%s)
	  dir=$$(mktemp -d)
	  while [ $$# -gt 0 ]; do
	    names+=("$$1"); echo; echo "==> $$1 (started)"
	    ( s0=$$(date +%s); rc=0
	      $(MAKE) --no-print-directory $$2 > "$$dir/$$i.log" 2>&1 || rc=$$?
	      echo "$$rc $$(( $$(date +%s) - s0 ))" > "$$dir/$$i.status" ) &
	    pids+=($$!); i=$$((i + 1)); shift 2
	  done
	  wait "$${pids[@]}"
	  for i in "$${!names[@]}"; do
	    echo; echo "==> $${names[$$i]}: output"; cat "$$dir/$$i.log"
	    read -r rc secs < "$$dir/$$i.status"; record "$${names[$$i]}" "$$rc" "$$secs"
	  done
	  summary+=("(the last $${#names[@]} side by side: $$(( $$(date +%s) - t0 )) s)")
	  rm -rf "$$dir"; }
	step "lint (ruff)"                        $(MAKE) --no-print-directory lint
	step "layers (lint-imports)"              $(MAKE) --no-print-directory imports
	step "unit tests (pytest tests/)"         $(MAKE) --no-print-directory unit
	side_by_side \
	  "notebooks, strict (nbval chapters/)" "nbval NBVAL_JOBS=$(NBVAL_SIDE_JOBS)" \
	  "notebooks, portable (make nbval-portable)" \
	  "nbval-portable NBVAL_JOBS=$(NBVAL_SIDE_JOBS)"
	step "book, strict (jupyter-book -W -n)"  $(MAKE) --no-print-directory build-strict
	step "website in a browser (tests/browser)" $(MAKE) --no-print-directory browser
	step "notebooks in JupyterLab (tests/lab)" $(MAKE) --no-print-directory lab-test
	echo; echo "==> summary"
	printf '  %s\n' "$${summary[@]}"
	if [ "$$failed" = 0 ]; then
	  echo "  all checks passed in $$(( $$(date +%s) - start )) s"
	else
	  echo "  FAILED (see above) after $$(( $$(date +%s) - start )) s"; exit 1
	fi

# The website in headless Chromium with the network off (tests/browser): Debian's
# chromium driven by Playwright; nothing downloads a browser. SITE is the build
# to check; when it is missing, build-strict makes _build/html first.
SITE     ?= _build/html
CHROMIUM ?= /usr/bin/chromium

browser-deps:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	  echo "==> installing Debian's chromium for the browser test"
	  apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	  exit 0
	fi
	echo "!!! The browser test needs Chromium at $(CHROMIUM), and cannot install it"
	echo "!!! here (not root, or no apt-get). Install Debian's package: sudo apt-get"
	echo "!!! install chromium (or set CHROMIUM=/path/to/chromium). It will be SKIPPED."
	case "$${CI:-}" in true|1|yes) echo "!!! CI=$${CI}: failing instead."; exit 1;; esac

browser: $(STAMP) browser-deps
	test -f $(SITE)/index.html || $(MAKE) --no-print-directory build-strict
	NNBOOK_BROWSER=1 NNBOOK_SITE=$(SITE) NNBOOK_CHROMIUM=$(CHROMIUM) \
	  $(BIN)/python -m pytest tests/browser -q -rs -n 2 --dist load

screenshots: $(STAMP) browser-deps
	test -f $(SITE)/index.html || $(MAKE) --no-print-directory build-strict
	NNBOOK_SITE=$(SITE) NNBOOK_CHROMIUM=$(CHROMIUM) \
	  $(BIN)/python tests/browser/screenshots.py docs/screenshots

# JOBS=N: notebooks executed at once (default: one per core).
notebooks: $(STAMP)
	$(BIN)/python scripts/regenerate.py $(if $(JOBS),-j $(JOBS)) $(NB)

# JupyterLab on copies of the chapters (LAB_DIR, ignored by git), so Run All
# and autosave never touch chapters/. LAB_ARGS: more `jupyter lab` options
# (LAB_ARGS=--port=9999). --allow-root only when running as root.
LAB_DIR    ?= lab
LAB_FROM   ?= chapters
LAB_ARGS   ?=
LAB_STAMP  := $(VENV)/.installed-lab
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_CMD     = $(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.ip=127.0.0.1

$(LAB_STAMP): requirements-lab.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-lab.txt
	touch $@

lab-deps: $(LAB_STAMP)

lab-setup: $(LAB_STAMP)
	$(BIN)/python scripts/lab_setup.py --from $(LAB_FROM) --dest $(LAB_DIR)

lab: lab-setup
	$(LAB_CMD) --notebook-dir=$(abspath $(LAB_DIR)) $(LAB_ARGS)

lab-server: lab-setup
	$(LAB_CMD) --no-browser --notebook-dir=$(abspath $(LAB_DIR)) $(LAB_ARGS)

# NB=05_project (or 05): that copy only; otherwise every copy.
lab-reset: $(LAB_STAMP)
	$(BIN)/python scripts/lab_setup.py --from $(LAB_FROM) --dest $(LAB_DIR) --reset $(NB)

# For contributors: the real chapters. Edit, then `make notebooks` (never
# commit a notebook saved by JupyterLab).
lab-dev: $(LAB_STAMP)
	$(BIN)/python scripts/lab_setup.py --in-place
	$(LAB_CMD) --notebook-dir=$(CURDIR) $(LAB_ARGS)

# The chapters in JupyterLab (tests/lab): every chapter rendered, one run.
lab-test: $(LAB_STAMP) browser-deps
	NNBOOK_LAB=1 NNBOOK_CHROMIUM=$(CHROMIUM) \
	  $(BIN)/python -m pytest tests/lab -q -rs -p no:xdist

clean:
	rm -rf _build .jupyter_cache
