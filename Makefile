# Two entry points for a fresh machine: `make demo` (main job) and `make test`.
# Both create .venv with a Python >= 3.12 (see scripts/find-python; override
# with PYTHON=...) and install the package into it: `make demo` with its runtime
# dependencies only, `make test` with the test, docs and dashboard extras too, and the
# dashboard's front-end files (scripts/fetch-dashboard-assets, from the npm registry).
VENV    ?= .venv
BIN     := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-stamp
DEV     := $(VENV)/.dev-stamp

# A .venv made with Python < 3.12 (or none) is replaced by one made with scripts/find-python.
define make_venv
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		py=$$(scripts/find-python) && echo "using $$py" && rm -rf $(VENV) && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
endef

MKDOCS := NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

.PHONY: demo test docs format bench clean

$(RUNTIME): pyproject.toml
	$(make_venv)
	$(BIN)/python -m pip install --quiet -e .
	@touch $(RUNTIME)

$(DEV): pyproject.toml
	$(make_venv)
	$(BIN)/python -m pip install --quiet -e ".[test,docs,dashboard]"
	PYTHON=$(BIN)/python scripts/fetch-dashboard-assets
	@touch $(DEV)

# The main job: 2,000 seeded runs of the Ukraine 2022 scenario on all cores, the
# outcome table (with the probability given to what happened), and its figure.
demo: $(RUNTIME)
	$(BIN)/negotiation-sim run ukraine_2022 --runs 2000 --seed 2022 --plot docs/outcomes.png

test: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto
	$(MKDOCS) --quiet

# The documentation site (mkdocs.yml) in site/; --strict: a broken reference fails it.
docs: $(DEV)
	$(MKDOCS)

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(RUNTIME)
	$(BIN)/python benchmarks/bench_core.py

clean:
	rm -rf $(VENV) build site *.egg-info .pytest_cache .ruff_cache .mypy_cache
