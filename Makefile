# Two entry points for a fresh machine: `make demo` (main job) and `make test`.
# Both create .venv with a Python >= 3.12 (see scripts/find-python; override
# with PYTHON=...) and install the package into it.
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test format bench clean

$(STAMP): pyproject.toml
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		py=$$(scripts/find-python) && echo "using $$py" && rm -rf $(VENV) && $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

# The main job: 2,000 seeded runs of the Ukraine 2022 scenario on all cores, the
# outcome table (with the probability given to what happened), and its figure.
demo: $(STAMP)
	$(BIN)/negotiation-sim run scenarios/ukraine_2022.yaml --runs 2000 --seed 2022 \
		--plot docs/outcomes.png

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
