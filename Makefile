PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck layers pytest bench cold-start dist screenshot clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The library check first: it names the missing system packages (fast, Qt is not loaded).
run: $(STAMP)
	$(BIN)/python -m app.cli.qt_libraries
	$(BIN)/python main.py

test: lint typecheck layers pytest

lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks main.py
	$(BIN)/ruff format --check app tests benchmarks main.py

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/open_and_tag.py

# Cold start to the window's first paint: baseline Qt, python main.py, the bundle if built.
cold-start: $(STAMP)
	$(BIN)/python benchmarks/cold_start.py

# The self-contained Linux bundle: dist/glossa/glossa runs without Python or a network.
dist: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build \
		packaging/glossa.spec

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
