# Two commands: `make lab` (set up, then open JupyterLab) and `make test` (set up, then test).
# The set-up creates .venv with python3 -m venv and installs requirements.lock; it reruns only
# when requirements.lock or pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888
PYTEST_ARGS ?=

.PHONY: lab update hub test setup unit notebooks browser bench screenshots lock strip clean help

help:
	@echo "make lab    - set up .venv (first time) and start JupyterLab on your own copy of the"
	@echo "              notebooks (my-course/notebooks, made on the first run)"
	@echo "make update - bring new course material into your copy (after git pull); keeps your edits"
	@echo "make hub    - run the course's JupyterHub on this machine (deploy/, docs/deployment.md)"
	@echo "make present - how to start the slide deck, then make lab"
	@echo "make notes  - speaker notes of every notebook -> build/speaker_notes/"
	@echo "make test   - set up .venv (first time) and run unit, notebook and browser tests"
	@echo "make bench  - run every benchmark in bench/ and print the figures"
	@echo "make strip  - strip notebook outputs (keeps NBVAL_CHECK_OUTPUT cells)"
	@echo "make screenshots - every panel as rendered in JupyterLab (needs chromium)"
	@echo "make site   - execute every notebook and write the offline static site to site/"
	@echo "make handouts - the site, then one PDF per notebook in handouts/ (needs chromium)"
	@echo "make lock   - regenerate requirements.lock from pyproject.toml"

setup: $(STAMP)

# the course's Jupyter settings (jupyter-config/: save hook, no news, no update checks)
JUPYTER_CONFIG := $(wildcard jupyter-config/pyproject.toml jupyter-config/*/*.json jupyter-config/*/*/*.json)

$(STAMP): requirements.lock pyproject.toml $(JUPYTER_CONFIG)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps ./jupyter-config
	@touch $(STAMP)

# The student works in a git-ignored copy (tools/student_copy.py: nbgitpuller, as on the hub);
# the tracked notebooks/ stay as the course ships them, so `git pull` never conflicts.
lab: $(STAMP)
	@$(PY) tools/lab.py --port=$(PORT)

update: $(STAMP)
	@$(PY) tools/student_copy.py update

# configurable-http-proxy for the hub, pinned by deploy/package-lock.json; reinstalled only when
# the lock changes. Without npm the hub tests are skipped with the reason (failed in CI).
PROXY_STAMP := deploy/node_modules/.installed
$(PROXY_STAMP): deploy/package.json deploy/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		( cd deploy && npm ci --no-audit --no-fund --loglevel=error ) && touch $@; \
	else echo "npm not found: the hub (make hub, tests/hub) needs Node.js 20+ with npm"; fi

hub: $(STAMP) $(PROXY_STAMP)
	@test -x deploy/node_modules/.bin/configurable-http-proxy || { echo "install Node.js 20+ with npm, then make hub"; exit 1; }
	$(VENV)/bin/jupyterhub -f deploy/jupyterhub_config.py

# Presenting: how to start the deck, then the same JupyterLab as `make lab`.
.PHONY: present notes
present: $(STAMP)
	@echo ""
	@echo "  To present a notebook as live slides:"
	@echo "    1. open it and choose  Run > Run All Cells"
	@echo "    2. click its first cell (the title), then the deck button at the right of the"
	@echo "       notebook toolbar (or Ctrl+Shift+C, then 'Start Deck'); F11: full screen"
	@echo "    3. Space / Shift+Space: next / back;  arrow keys: slides and sub-slides;  Esc: end"
	@echo "  Speaker notes for the lectern:  make notes  (one Markdown file per notebook)"
	@echo ""
	@$(MAKE) --no-print-directory lab

notes: $(STAMP)
	@mkdir -p build/speaker_notes
	@for nb in notebooks/*.ipynb; do \
		out=build/speaker_notes/$$(basename $$nb .ipynb).md; \
		$(PY) tools/slides.py --notes $$nb > $$out && echo "wrote $$out"; done

# One pytest run: unit tests, docstring examples, every notebook under nbval, then the browser tests.
# pytest exits 5 when it collected nothing: that is a broken harness, not a pass.
test: $(STAMP) $(PROXY_STAMP)
	@$(PY) -m pytest tests notebooks lecture_utils --doctest-modules --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(PYTEST_ARGS); \
	rc=$$?; [ $$rc -ne 5 ] || echo "pytest collected no tests (exit 5): treating as a failure"; exit $$rc

unit: $(STAMP) $(PROXY_STAMP)
	$(PY) -m pytest tests lecture_utils --doctest-modules --ignore=tests/browser -m "not browser" -p no:cacheprovider $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(PY) -m pytest notebooks --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(PYTEST_ARGS)

# every test that drives Chromium: the notebooks in JupyterLab, then the class on the hub
browser: $(STAMP) $(PROXY_STAMP)
	$(PY) -m pytest tests/browser tests/hub -m browser -p no:cacheprovider $(PYTEST_ARGS)

screenshots: $(STAMP)
	$(PY) tools/screenshots.py

# Read without a kernel: every notebook executed (fresh kernel each) into an offline static site,
# and one PDF per notebook printed by Chromium (tools/make_site.py).
.PHONY: site handouts
site: $(STAMP)
	$(PY) tools/make_site.py --out site

handouts: $(STAMP)
	$(PY) tools/make_site.py --out site --handouts handouts

bench: $(STAMP) $(PROXY_STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

strip: $(STAMP)
	$(PY) tools/strip_notebooks.py notebooks/*.ipynb

# Graded homework: the notebooks as an nbgrader source course in $(COURSE) (docs/grading.md).
# make assignment COURSE=~/nn2-course ASSIGNMENT_ARGS="--per-notebook"
.PHONY: assignment
COURSE ?= course
ASSIGNMENT_ARGS ?=
assignment: $(STAMP)
	$(PY) tools/make_assignment.py --course $(COURSE) $(ASSIGNMENT_ARGS)

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[test,course]'
	( echo "# Exact versions installed by 'make' (Python 3.11+, Linux x86_64)."; \
	  echo "# Regenerate with 'make lock' after changing dependencies in pyproject.toml."; \
	  .lockvenv/bin/pip freeze --exclude-editable ) > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info deploy/node_modules
