# Khaosan — `make` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.khaosan-installed

.DEFAULT_GOAL := help
.PHONY: help setup site check test lint bench clean system node

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q workflow  # bytecode even where PYTHONDONTWRITEBYTECODE is set: faster start-up
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install Khaosan with pinned dependencies

site: setup node ## Validate the sample content, then build the site (with /admin/) into output/
	$(BIN)/khaosan check
	$(BIN)/khaosan build

check: setup ## The publish gate on the sample content
	$(BIN)/khaosan check --publish

test: setup lint node ## Lint, install missing system (as root) and npm packages, run the whole test suite
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory system; \
	else echo "not root: system packages not checked (sudo make system)"; fi
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: setup ## Ruff (lint and format), mypy (strict, on the pure core)
	$(BIN)/ruff check workflow tests bench
	$(BIN)/ruff format --check workflow tests bench pelicanconf.py publishconf.py
	$(BIN)/mypy

bench: setup ## Benchmarks on generated corpora (not part of the tests): check, metrics, site
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/metrics_bench.py
	$(BIN)/python bench/site_bench.py

# Debian packages: Chromium (browser tests), a Thai font, Pango (PDF reports), exiftool (reads the
# published files' metadata in the tests), Java (the vnu
# HTML checker), Node.js and npm if missing; the npm packages of `make node`. Installs only what is missing.
DEBS := chromium fonts-thai-tlwg libpango-1.0-0 libpangoft2-1.0-0 libimage-exiftool-perl
system: ## Install the system packages the tests need (as root; only what is missing)
	@dpkg -s $(DEBS) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null)
	@command -v java >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)
	@command -v npm >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null)
	@$(MAKE) --no-print-directory node

# npm packages, exactly as package-lock.json pins them: Decap CMS and js-yaml (copied into the site's
# /admin/ by `khaosan build`), decap-server (the editor's local backend, in the tests and for offline
# work), Pagefind 1.6 extended (the search index: PyPI ships only 1.5.2), axe-core (the accessibility
# tests). `npm ci` only when one is missing; no install scripts run. Without npm it says so in Thai:
# `khaosan build` would stop with KS920 (or build without search: --no-search).
PAGEFIND := node_modules/@pagefind/$(shell node -p 'process.platform + "-" + process.arch' 2>/dev/null || echo linux-x64)/bin/pagefind_extended
NODE_FILES := node_modules/axe-core/axe.min.js node_modules/decap-cms/dist/decap-cms.js \
	node_modules/decap-server/dist/index.js node_modules/js-yaml/dist/js-yaml.min.js $(PAGEFIND)
node: ## Install the pinned npm packages (browser editor, its local backend, Pagefind, axe-core) into node_modules/
	@ls $(NODE_FILES) >/dev/null 2>&1 || { command -v npm >/dev/null 2>&1 || { echo "ไม่พบ npm: ติดตั้ง Node.js และ npm (Debian: sudo make system) แล้วสั่งอีกครั้ง ระหว่างนี้ khaosan build จะหยุดพร้อมรหัส KS920 (หรือสั่ง khaosan build --no-search)" >&2; exit 1; }; \
	npm ci --no-audit --no-fund --ignore-scripts --silent; }

clean: ## Remove the built site and caches (never content)
	rm -rf output .khaosan-build .pytest_cache .mypy_cache .ruff_cache
