# The verbs of the course. Quick start (README): `make book`, then `make test`.
# Every target sets up what it needs, so each works on a fresh clone.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Stamp files record that a set-up step finished for the current inputs.
VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
MATHJAX := _vendor/_static/mathjax/tex-chtml.js

ASSIGNMENT ?=
NBGRADER := $(BIN)/nbgrader

.PHONY: help setup book test release autograde feedback grades report bench lock clean system-deps

help:
	@echo "make book        build the HTML book (sets everything up first)"
	@echo "make test        run the whole test suite (sets everything up first)"
	@echo "make release     regenerate every student version in assignments/"
	@echo "make autograde ASSIGNMENT=<id>   grade everything in submitted/*/<id>/"
	@echo "make feedback ASSIGNMENT=<id>    HTML feedback for the graded submissions"
	@echo "make grades      export all grades to grades.csv"
	@echo "make report      report/grades.csv and report/report.html (plots, most frequent hints)"
	@echo "make bench [BENCH=name]   speed and memory benchmarks (all, or the named ones)"
	@echo "make lock        re-resolve requirements.in into requirements.txt + environment.yml"

# ---------------------------------------------------------------- set-up
$(VENV_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# The shared package (mml) and the grader, importable by pages and assignments.
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# MathJax from the npm package, served by the book itself (see _config.yml).
$(MATHJAX): $(NODE_STAMP)
	rm -rf _vendor/_static/mathjax
	mkdir -p _vendor/_static/mathjax/output
	cp node_modules/mathjax/es5/tex-chtml.js _vendor/_static/mathjax/
	cp -r node_modules/mathjax/es5/input node_modules/mathjax/es5/ui \
	      node_modules/mathjax/es5/a11y node_modules/mathjax/es5/sre _vendor/_static/mathjax/
	cp -r node_modules/mathjax/es5/output/chtml node_modules/mathjax/es5/output/chtml.js \
	      _vendor/_static/mathjax/output/
	touch $@

setup: $(VENV_STAMP) $(MATHJAX)

# Debian packages the browser tests and class-scale tests need; installed only
# when missing, and only where we may (root).
system-deps:
	bash tools/install-system-deps.sh

# ---------------------------------------------------------------- the book
book: setup
	# The pages execute in parallel into the build's execution cache first (see the script).
	$(BIN)/python tools/execute_book_pages.py
	$(BIN)/jupyter-book build --all -W -n --keep-going .
	@echo
	@echo "The book is at: file://$(CURDIR)/_build/html/index.html"

# ---------------------------------------------------------------- tests
test: book system-deps
	$(BIN)/python -m pytest

# ---------------------------------------------------------------- nbgrader
# nbgrader's course directory is this folder (nbgrader_config.py), so the plain
# nbgrader commands work too; these targets are batch conveniences.
release: setup
	$(BIN)/python -m grader release

autograde: setup
	@test -n "$(ASSIGNMENT)" || { echo "usage: make autograde ASSIGNMENT=<id>"; exit 2; }
	$(BIN)/python -m grader autograde $(ASSIGNMENT)

feedback: setup
	@test -n "$(ASSIGNMENT)" || { echo "usage: make feedback ASSIGNMENT=<id>"; exit 2; }
	$(BIN)/python -m grader feedback $(ASSIGNMENT)

grades: setup
	$(BIN)/python -m grader grades --output grades.csv

report: setup
	$(BIN)/python -m grader report

# ---------------------------------------------------------------- benchmarks
bench: setup
	$(BIN)/python -m bench $(BENCH)

# ---------------------------------------------------------------- maintenance
lock:
	bash tools/lock.sh

clean:
	rm -rf _build _vendor .pytest_cache test-artifacts bench-results
