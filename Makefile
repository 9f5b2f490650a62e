# The two commands: `make site` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := site

VENV      := .venv
BIN       := $(VENV)/bin
PY_STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

# Python 3.12 or newer (the stack's floor); .python-version selects pyenv's 3.13 here.
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.14; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: site publish serve test bench bench-record stdlib-list clean python node chromium nginx

$(PY_STAMP): pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Error: this project needs Python 3.12 or newer, and none was found."; \
	  echo "Install one (for example 'pyenv install 3.13', or your system's python3.12 package) and run make again."; \
	  exit 1; fi
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

python: $(PY_STAMP)
node: $(NODE_STAMP)

# Build into a fresh folder and swap it in only when the build succeeded:
# a failed build leaves the last good site/ as it was.
# `make publish` is the same build, refused (with each value's file:line) while any example value remains:
# the plugin's `publish` option, which mkdocs.yml reads from POLICY_SITE_PUBLISH.
site publish: $(PY_STAMP) $(NODE_STAMP)
	@rm -rf build/site.new
	POLICY_SITE_PUBLISH=$(if $(filter publish,$@),true,false) $(BIN)/mkdocs build --strict --quiet --site-dir build/site.new
	@rm -rf build/site.old; [ ! -d site ] || mv site build/site.old; mv build/site.new site
	@echo "Built site/$(if $(filter publish,$@), to publish,) (open site/index.html, or run 'make serve')"

serve: $(PY_STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs serve --livereload

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium from Debian's packages"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# nginx-light, and its brotli module so that the tests also measure the .br files the build writes.
NGINX_BROTLI := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
nginx:
	@{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && [ -f $(NGINX_BROTLI) ] || { \
	  echo "Installing nginx and its brotli module from Debian's packages"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    nginx-light libnginx-mod-http-brotli-static >/dev/null; }

# Three pytest processes (pytest-xdist), each given whole test files: a file's tests share its fixtures (one live
# checker page, say) as they do in one process. Three, not one a core: on two cores the suite spends some 40% of
# its time waiting on Chromium, Node and the builds' child processes, which a third process fills (measured on
# the 2-core machine: 224 s against 254 s wall, the same CPU).
# The site is built once for all of them (tests/harness.py, built_once). The project's own modules are compiled
# once and kept in __pycache__/ (ignored by git) even where the machine sets PYTHONDONTWRITEBYTECODE: each of the
# suite's `policy-site` and `mkdocs` processes would otherwise compile them again from source.
# --no-loadscope-reorder: files are handed out in the order tests/conftest.py collects them, the longest first;
# pytest-xdist otherwise hands out the files with the most tests first, and the installed generator's (three tests,
# 50 s) began two thirds of the way through and ran on alone at the end.
test: $(PY_STAMP) $(NODE_STAMP) chromium nginx
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder

# Lighthouse is pinned for the bench alone, in bench/tools: `make site` never installs it.
BENCH_TOOLS_STAMP := bench/tools/node_modules/.installed
$(BENCH_TOOLS_STAMP): bench/tools/package.json bench/tools/package-lock.json
	npm ci --prefix bench/tools --no-audit --no-fund --loglevel=error
	@touch $@

# `make bench` writes its figures under bench/tmp/ only; `make bench-record` runs it and records the run in
# bench/results.json and BENCHMARKS.md's tables.
bench: site chromium nginx $(BENCH_TOOLS_STAMP)
	$(BIN)/python -m bench

bench-record: site chromium nginx $(BENCH_TOOLS_STAMP)
	$(BIN)/python -m bench --record

# The standard-library files the checker's Pyodide needs, recorded by running every case and answer set
# through the engine inside Pyodide (generator/live_checker/pyodide-stdlib.txt; the tests fail when it lacks one).
stdlib-list: $(PY_STAMP) $(NODE_STAMP)
	$(BIN)/python tests/pyodide/node_runner.py

clean:
	rm -rf site build dist .pytest_cache .hypothesis bench/tmp .cache/policy-site
