# Two commands do all the setup: `make lab` opens the notebooks, `make test` runs every test.
# Both create the local environment in .venv first if it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: lab test app bench bench-browser html strip browser-deps clean

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

test: $(STAMP) browser-deps
	$(BIN)/ruff check kneesci tests benchmarks tools
	$(BIN)/pytest

app: $(STAMP)
	$(BIN)/voila notebooks/03_symptom_explorer.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-browser: $(STAMP) browser-deps
	$(BIN)/python benchmarks/browser.py

html: $(STAMP)
	$(BIN)/python tools/build_html.py

strip: $(STAMP)
	$(BIN)/python tools/notebooks.py strip

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[test]'
	touch $(STAMP)

# The browser tests need Chromium (Debian package) and axe-core (npm). Installed when possible;
# otherwise tools/browser_deps.sh explains what to do.
browser-deps:
	bash tools/browser_deps.sh

clean:
	rm -rf $(VENV) node_modules build
