# Two commands matter: `make site` builds _site/, `make test` runs every test.
# Both set up what they need first (a .venv and node_modules), once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
LINKCHECK_STAMP := $(VENV)/.installed-linkcheck
NPM_STAMP := node_modules/.installed
BUILD_ARGS := $(if $(BASE_URL),--base-url $(BASE_URL))

.PHONY: site test lint serve check linkcheck bench golden screenshots clean

site: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python build.py $(BUILD_ARGS)

# The tests run on every core (pytest-xdist; TEST_WORKERS=0 runs them in this one process); tests that share
# a costly module fixture keep to one worker (their xdist_group).
TEST_WORKERS ?= auto
test: lint $(NPM_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# ruff (style and common bugs) and mypy (types) over the build, its stages and the tests; ESLint
# (eslint.config.mjs) and TypeScript's checker over the page's scripts (tsconfig.json: their JSDoc types
# and page-globals.d.ts, nothing emitted).
lint: $(TEST_STAMP) $(NPM_STAMP)
	$(BIN)/ruff check build.py reader bench tests
	$(BIN)/mypy
	node_modules/.bin/eslint --max-warnings 0 .
	node_modules/.bin/tsc -p tsconfig.json

# The views a person should look at after a change to the page: tests/artifacts/screens/*.png
# (every width, phones to the end, landscape, 24 px text, dark, forced colours, print).
screenshots: $(TEST_STAMP) $(NPM_STAMP)
	$(BIN)/python tests/screenshots.py

serve: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python build.py --serve $(BUILD_ARGS)

check: $(SITE_STAMP)
	$(BIN)/python build.py --check

# An editor's tool, online: does every source address in annotations.yaml still answer?
# Not part of `make test`. Options: make linkcheck LINKCHECK_ARGS="--timeout 20".
linkcheck: $(LINKCHECK_STAMP)
	$(BIN)/python -m reader.linkcheck $(LINKCHECK_ARGS)

bench: $(TEST_STAMP) $(NPM_STAMP)
	$(BIN)/python bench/bench.py

# Rebuild the golden example site's expected output after an intended change.
golden: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python tests/refresh_golden.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Install only the dependencies listed in pyproject.toml: build.py runs from the checkout, and
# an editable install of the project would add its import hook to every start-up.
REQUIREMENTS = $(BIN)/python -c 'import sys, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	print("\n".join(p["dependencies"] + [d for x in sys.argv[1:] for d in p["optional-dependencies"][x]]))'
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check

$(SITE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(REQUIREMENTS) > $(VENV)/requirements-site.txt
	$(PIP_INSTALL) -r $(VENV)/requirements-site.txt
	touch $@

$(TEST_STAMP): pyproject.toml $(SITE_STAMP)
	$(REQUIREMENTS) test > $(VENV)/requirements-test.txt
	$(PIP_INSTALL) -r $(VENV)/requirements-test.txt
	touch $@

$(LINKCHECK_STAMP): pyproject.toml $(SITE_STAMP)
	$(REQUIREMENTS) linkcheck > $(VENV)/requirements-linkcheck.txt
	$(PIP_INSTALL) -r $(VENV)/requirements-linkcheck.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

clean:
	rm -rf _site _site.tmp-* .pytest_cache .cache
