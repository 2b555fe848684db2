# cxlab — every target builds its own environment first (.venv, pinned by requirements-lock.txt).
#   make demo   run every notebook on the demo company and write the HTML reports to reports/
#   make test   run the whole test suite (includes executing every notebook)
#   make lab    open JupyterLab on notebooks/
#   make present  serve notebooks/03_nps.ipynb as a live dashboard (Voilà) on 127.0.0.1:8866
#   make bench  run every benchmark in benchmarks/ (times, peak memory, ratios); SHORT=1 for a quick run
#   make lock   re-pin requirements-lock.txt (core + notebook + dev + spark extras) after changing pyproject.toml

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cxlab-installed
UV     := $(BIN)/uv
JOBS   ?= 2

.PHONY: demo test lab present bench lock clean help
.DEFAULT_GOAL := help

help:
	@sed -n '1,7p' Makefile | sed 's/^# \{0,1\}//'

$(STAMP): requirements-lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cxlab needs Python 3.11 or newer (found %s)" % sys.version.split()[0]'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements-lock.txt
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/cxlab report --output reports
	@echo "Reports written to reports/ (open them in a browser)."

test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

NB ?= notebooks/03_nps.ipynb
present: $(STAMP)
	$(BIN)/cxlab present $(NB)

# SHORT=1 sets CXLAB_BENCH_SHORT=1: each benchmark runs on a smaller data set (1M instead of 10M rows)
SHORT ?=
bench: $(STAMP)
	@echo "load average: $$(cat /proc/loadavg 2>/dev/null)"
	@for f in benchmarks/bench_*.py; do echo "== $$f"; CXLAB_BENCH_SHORT=$(SHORT) $(BIN)/python $$f || exit 1; done

lock:
	@test -x $(UV) || $(PYTHON) -m pip install --quiet uv
	$(UV) pip compile pyproject.toml --extra notebook --extra dev --extra spark --python-version 3.11 -o requirements-lock.txt

clean:
	rm -rf $(VENV) reports/*.html reports/executed .pytest_cache
