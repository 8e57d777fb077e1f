# Khaosan — `make` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.khaosan-installed

.DEFAULT_GOAL := help
.PHONY: help setup site check test lint bench clean browser

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q workflow  # bytecode even where PYTHONDONTWRITEBYTECODE is set: faster start-up
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install Khaosan with pinned dependencies

site: setup ## Validate the sample content, then build the site into output/
	$(BIN)/khaosan check
	$(BIN)/khaosan build

check: setup ## The publish gate on the sample content
	$(BIN)/khaosan check --publish

test: setup lint ## Lint, then run the whole test suite (browser tests need /usr/bin/chromium: `make browser`)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: setup ## Ruff (lint) and mypy (strict, on the pure core)
	$(BIN)/ruff check workflow tests bench
	$(BIN)/mypy

bench: setup ## Benchmark khaosan check on generated corpora (not part of the tests)
	$(BIN)/python bench/run.py

browser: ## Install Debian's chromium for the browser tests (as root)
	dpkg -s chromium fonts-thai-tlwg >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg)

clean: ## Remove the built site and caches (never content)
	rm -rf output .khaosan-build .pytest_cache .mypy_cache .ruff_cache
