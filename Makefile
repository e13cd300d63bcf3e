# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PYTHONPATH := $(CURDIR)

.PHONY: run test lint bench demo migrate load clean-db

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

## run: embedded PostgreSQL + demo data on first start, then the app on http://localhost:8501
run: $(VENV)/.installed
	$(PY) -m core.bootstrap
	$(VENV)/bin/streamlit run app.py

## test: every test (database, pages, AI, browser); browser tests skip without Chromium unless REQUIRE_BROWSER=1
test: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -n 2 --dist loadgroup

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

## bench: large dataset in its own database, then query / page / RLS numbers into bench/results.md
bench: $(VENV)/.dev-installed
	$(PY) -m bench.run

## load: 30 concurrent signed-in sessions for 60 s against a copy of the demo data (bench/load.py)
load: $(VENV)/.dev-installed
	$(PY) -m bench.load

## demo: (re)load demo data into the embedded database (drops existing tenant data)
demo: $(VENV)/.installed
	$(PY) -m core.demo --reset

migrate: $(VENV)/.installed
	$(PY) -m core.bootstrap --migrate-only
