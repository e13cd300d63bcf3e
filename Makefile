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

## test-calendar: the whole suite again with the clock moved (libfaketime: Python, PostgreSQL, the app server and
## the browser all see it) to just before a month end, just before a year end and the morning of a DST change
## (New York); the demo data is generated relative to "now", so this is what keeps the tests date-proof.
## Only the wall clock moves: with a faked monotonic clock, timed waits (threading.Timer, lock timeouts) hang
## under a forward offset; tests/calendar/sitecustomize.py makes Python's sleep live with the real one.
CALENDAR ?= 2027-02-28T23:40:00-05:00 2026-12-31T23:40:00-05:00 2027-03-14T09:00:00-04:00
test-calendar: $(VENV)/.dev-installed
	@command -v faketime >/dev/null || { echo "test-calendar needs libfaketime: apt-get install faketime"; exit 1; }
	@for at in $(CALENDAR); do \
	    offset=$$(( $$(date -d "$$at" +%s) - $$(date +%s) )); \
	    case $$offset in -*) ;; *) offset="+$$offset";; esac; \
	    echo "--- the whole suite at $$at (faketime $$offset s)"; \
	    ORDERSIGHT_TEST_DATA_DIR="$(CURDIR)/.ordersight/calendar/$$at" PYTHONPATH="$(CURDIR)/tests/calendar:$(CURDIR)" \
	        FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$$offset" \
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
