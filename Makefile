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
	@echo "make test   - set up .venv (first time) and run unit, notebook and browser tests"
	@echo "make bench  - run every benchmark in bench/ and print the figures"
	@echo "make strip  - strip notebook outputs (keeps NBVAL_CHECK_OUTPUT cells)"
	@echo "make screenshots - every panel as rendered in JupyterLab (needs chromium)"
	@echo "make site   - execute every notebook and write the offline static site to site/"
	@echo "make handouts - the site, then one PDF per notebook in handouts/ (needs chromium)"
	@echo "make lock   - regenerate requirements.lock from pyproject.toml"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
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

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -e '.[test,course]'
	( echo "# Exact versions installed by 'make' (Python 3.11+, Linux x86_64)."; \
	  echo "# Regenerate with 'make lock' after changing dependencies in pyproject.toml."; \
	  .lockvenv/bin/pip freeze --exclude-editable ) > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info deploy/node_modules
