# Khaosan — `make` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.khaosan-installed

.DEFAULT_GOAL := help
.PHONY: help setup site check test lint bench clean system

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q workflow  # bytecode even where PYTHONDONTWRITEBYTECODE is set: faster start-up
	@touch $(STAMP)

# npm's packages (package-lock.json pins them): Pagefind 1.6 extended, which PyPI does not ship, and
# axe-core for the tests. Without npm the rest still installs; `khaosan build` then stops with KS920.
NPM_STAMP := node_modules/.package-lock.json
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "ไม่พบ npm: ติดตั้ง Node.js และ npm (Debian: sudo make system) แล้วสั่ง make setup อีกครั้ง จนกว่าจะติดตั้ง khaosan build จะหยุดพร้อมรหัส KS920 (หรือสั่ง khaosan build --no-search)" >&2; fi

setup: $(STAMP) $(NPM_STAMP) ## Create .venv and install Khaosan with pinned dependencies (pip, and npm for Pagefind)

site: setup ## Validate the sample content, then build the site into output/
	$(BIN)/khaosan check
	$(BIN)/khaosan build

check: setup ## The publish gate on the sample content
	$(BIN)/khaosan check --publish

test: setup lint ## Lint, install missing system packages (as root), run the whole test suite
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
# HTML checker), Node.js and npm (Pagefind; npm's axe-core for the accessibility tests). Installs only what is missing.
DEBS := chromium fonts-thai-tlwg libpango-1.0-0 libpangoft2-1.0-0 libimage-exiftool-perl
system: ## Install the system packages the tests need (as root; only what is missing)
	@dpkg -s $(DEBS) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS) >/dev/null)
	@command -v java >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)
	@command -v npm >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null)
	@test -f node_modules/axe-core/axe.min.js -a -f $(NPM_STAMP) || npm ci --no-audit --no-fund --silent

clean: ## Remove the built site and caches (never content)
	rm -rf output .khaosan-build .pytest_cache .mypy_cache .ruff_cache
