# Set-up and the two jobs. `make demo` and `make test` each create .venv when it
# is missing, install the project with its extras, install the Debian packages
# they need when missing, and run.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

# $(call apt_install,COMMAND,PACKAGES): apt-get install, with sudo when not root,
# or a clear message where there is no apt-get.
apt_install = if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "error: '$(1)' is missing and there is no apt-get here: install the Debian/Ubuntu package(s) '$(2)' by hand" >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	echo "installing $(2) with apt-get"; \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null

.PHONY: demo test test-fast fuzz bench lint lab exercises score notebooks system-dot system-browser clean

demo: $(VENV)/.demo-installed system-dot
	$(VENV)/bin/chainrule train --data moons --samples 300 --hidden 16,16 --activation relu --loss hinge --optimizer sgd --lr 0.05 --momentum 0.9 --epochs 40 --batch-size 32 --seed 0 --out runs/demo --force

test: $(VENV)/.test-installed system-dot system-browser
	$(PY) -m pytest -q

# Everything but the tests marked slow (notebooks, browsers, the wheel, the
# deepest graphs): under a minute, for working on the engine and the library.
test-fast: $(VENV)/.test-installed system-dot
	$(PY) -m pytest -q -m "not slow"

# The teaching notebooks: JupyterLab on notebooks/ (LAB_ARGS for more options, e.g.
# LAB_ARGS='--no-browser --port=8890'); student copies without the solutions; the
# notebooks executed to HTML for reading.
LAB_ARGS ?=

lab: $(VENV)/.notebooks-installed system-dot
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

exercises: $(VENV)/.notebooks-installed
	$(PY) notebooks/make_exercises.py --out build/exercises notebooks/*.ipynb

# A student's score card: runs the copies in build/exercises (or SCORE=folder-or-notebooks)
# and prints, per notebook, which exercises pass.
SCORE ?= build/exercises

score: $(VENV)/.notebooks-installed
	$(PY) notebooks/score_card.py $(SCORE)

notebooks: $(VENV)/.notebooks-installed system-dot
	$(PY) notebooks/export_html.py --out build/notebooks notebooks/*.ipynb

# 100,000 random graphs against PyTorch float64, inputs from the extremes (2 to 4 minutes);
# it exits 1 and prints each disagreement it cannot name (see tests/fuzz_graphs.py).
fuzz: $(VENV)/.test-installed
	$(PY) tests/fuzz_graphs.py --graphs 100000

bench: $(VENV)/.test-installed
	$(PY) benchmarks/bench.py

lint: $(VENV)/.test-installed
	$(PY) -m ruff check autograd nn chainrule tests benchmarks notebooks
	$(PY) -m mypy autograd nn chainrule

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.demo-installed: pyproject.toml | $(PY)
	$(PIP) install -e '.[train,data]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PIP) install -e '.[test,torch,train,data,notebooks]'
	touch $@ $(VENV)/.demo-installed $(VENV)/.notebooks-installed

$(VENV)/.notebooks-installed: pyproject.toml | $(PY)
	$(PIP) install -e '.[torch,train,data,notebooks]'
	touch $@ $(VENV)/.demo-installed

system-dot:
	@command -v dot >/dev/null 2>&1 || { $(call apt_install,dot,graphviz); }

system-browser:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { $(call apt_install,chromium,chromium chromium-driver); }

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
