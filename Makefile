# Two entry points: `make app` serves the Streamlit app, `make test` runs the whole suite.
# Each creates or refreshes the local virtualenv .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: app test lint bench browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,dask]"
	touch $(STAMP)

app: $(STAMP)
	$(BIN)/streamlit run app.py

# Headless Chromium for the end-to-end browser test (Debian packages; needs root or sudo).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "chromium/chromium-driver not installed: the browser test will be skipped"

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check analyzer tests eval corpus app.py app_pages

bench: $(STAMP)
	$(BIN)/python -m eval.bench
