# Two commands matter: `make site` builds _site/, `make test` runs every test.
# Both set up what they need first (a .venv and node_modules), once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
NPM_STAMP := node_modules/.installed
BUILD_ARGS := $(if $(BASE_URL),--base-url $(BASE_URL))

.PHONY: site test serve check bench golden clean

site: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python build.py $(BUILD_ARGS)

test: $(TEST_STAMP) $(NPM_STAMP)
	$(BIN)/python -m pytest

serve: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python build.py --serve $(BUILD_ARGS)

check: $(SITE_STAMP)
	$(BIN)/python build.py --check

bench: $(TEST_STAMP) $(NPM_STAMP)
	$(BIN)/python bench/bench.py

# Rebuild the golden example site's expected output after an intended change.
golden: $(SITE_STAMP) $(NPM_STAMP)
	$(BIN)/python tests/refresh_golden.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(SITE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(SITE_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

clean:
	rm -rf _site _site.tmp-* .pytest_cache
