# Two commands do all the setup: `make lab` opens the notebooks, `make test` runs every test.
# Both create the local environment in .venv first if it is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The offline Voila template lives in share/jupyter (a wheel installs it into the environment;
# an editable install does not, so point Jupyter at the checkout's copy).
export JUPYTER_PATH := $(CURDIR)/share/jupyter
# JupyterLab without its news feed and update check: nothing is fetched from off the machine.
LAB_OFFLINE := --LabApp.news_url= --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

.PHONY: lab lab-lecturer test app class-load bench bench-browser html strip student browser-deps clean

# Students' JupyterLab without nbgrader's menus and without the Jupyter news toast
# (jupyter_config/README.md); the lecturer's keeps nbgrader.
lab: $(STAMP)
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter_config/student \
		$(BIN)/jupyter lab $(LAB_OFFLINE) notebooks/00_start_here.ipynb

lab-lecturer: $(STAMP)
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter_config/lecturer \
		$(BIN)/jupyter lab $(LAB_OFFLINE) notebooks/00_start_here.ipynb

test: $(STAMP) browser-deps
	$(BIN)/ruff check kneesci kneesci_testing tests benchmarks tools
	$(BIN)/ruff format --check kneesci kneesci_testing tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/pytest

# voila.json (read from this folder): the offline template, a preheated kernel pool, idle culling.
# For a class, set the pool to the class size: make app POOL=30
# To serve a room, listen on the room's network too: make app HOST=0.0.0.0 POOL=30
# (no login: read docs/classroom.md first for what that exposes and how to limit it).
POOL ?= 2
HOST ?= 127.0.0.1
PORT ?= 8866
# The kernels talk to Voila over Unix sockets, not TCP ports on this machine: thirty kernels starting
# at once cannot race for the same port (one did, and died, in a class-load run), and no other local
# user can connect to a student's kernel. Linux only: Windows has no Unix sockets for this, and on
# macOS the socket paths under its long temporary folder pass the 104-character limit.
KERNEL_TRANSPORT ?= $(if $(filter Linux,$(shell uname -s)),--KernelManager.transport=ipc)
app: $(STAMP)
	@if [ "$(HOST)" != "127.0.0.1" ] && [ "$(HOST)" != "localhost" ]; then \
		echo "Serving the explorer WITHOUT A LOGIN to every device that can reach this machine"; \
		echo "on port $(PORT). Students open: http://$$(hostname -I 2>/dev/null | cut -d' ' -f1):$(PORT)/"; \
		echo "Stop it with Ctrl+C after the class. See docs/classroom.md."; \
	fi
	$(BIN)/voila notebooks/explorer_app.ipynb --no-browser --Voila.ip=$(HOST) --port=$(PORT) \
		--VoilaConfiguration.default_pool_size=$(POOL) $(KERNEL_TRANSPORT)

# A class opening the app: K students, arriving all at once and spread over ARRIVAL seconds.
# For a class of 30 on a preheated pool: make class-load K=30 ARRIVAL=0 CLASS_POOL=30
K ?= 5 10
ARRIVAL ?= 0 30
CLASS_POOL ?= 0
class-load: $(STAMP) browser-deps
	$(BIN)/python benchmarks/class_load.py --students $(K) --arrival $(ARRIVAL) --pool $(CLASS_POOL)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-browser: $(STAMP) browser-deps
	$(BIN)/python benchmarks/browser.py

html: $(STAMP)
	$(BIN)/python tools/build_html.py

strip: $(STAMP)
	$(BIN)/python tools/notebooks.py strip

# What students pull (the nbgitpuller link, the Binder badge): build/student/, the course without the
# assignments' solutions or the answer tools. docs/deploy.md has the git commands for the student branch.
student: $(STAMP)
	$(BIN)/python tools/student_tree.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -e '.[lab,app,hub,test]'
	touch $(STAMP)

# The browser tests need Chromium (Debian package) and axe-core (npm). Installed when possible;
# otherwise tools/browser_deps.sh explains what to do.
browser-deps:
	bash tools/browser_deps.sh

clean:
	rm -rf $(VENV) node_modules build
