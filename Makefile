# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PYTHONPATH := $(CURDIR)

.PHONY: run test test-calendar lint eval bench demo migrate load clean-db

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

## test-calendar: the whole suite again with the business clock moved (ORDERSIGHT_CLOCK_OFFSET, core/clock.py)
## to just before a month end, just before a year end and the morning of a DST change (New York): the demo
## data, the pages and every business timestamp follow that clock, so this is what keeps the tests date-proof.
CALENDAR ?= 2027-02-28T23:00:00-05:00 2026-12-31T23:00:00-05:00 2027-03-14T09:00:00-04:00
test-calendar: $(VENV)/.dev-installed
	@for at in $(CALENDAR); do \
	    offset=$$(( $$(date -d "$$at" +%s) - $$(date +%s) )); \
	    echo "--- the whole suite at $$at (business clock moved $$offset s)"; \
	    ORDERSIGHT_TEST_DATA_DIR="$(CURDIR)/.ordersight/calendar/$$at" ORDERSIGHT_CLOCK_OFFSET=$$offset \
	        $(PY) -m pytest -q -n 2 --dist loadgroup -p no:cacheprovider || exit 1; \
	done

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

## eval: the offline drafter's quality on the held-out evaluation set, never tuned on (tests/ai/eval/README.md),
## then the backtest: each distributor's confirmed orders replayed through it (embedded demo database by default)
eval: $(VENV)/.installed
	$(PY) -m ai.evaluation tests/ai/eval/heldout.jsonl
	$(PY) -m ai.backtest

## bench: large dataset in its own database, then query / page / RLS numbers into bench/results.md
bench: $(VENV)/.dev-installed
	$(PY) -m bench.run

## load: 30 concurrent signed-in sessions for 60 s against a copy of the demo data (bench/load.py)
load: $(VENV)/.dev-installed
	$(PY) -m bench.load

## demo: (re)load demo data into the embedded database (drops existing tenant data)
demo: $(VENV)/.installed
	$(PY) -m demo --reset

migrate: $(VENV)/.installed
	$(PY) -m core.bootstrap --migrate-only
