# Parents as Partners: `make app` starts the apps, `make test` runs every test.
# Both do their own set-up on a fresh Debian machine with Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8866
SLIDES_PORT ?= 8867
HOST   ?= 127.0.0.1
export PAP_DATA_DIR ?= $(CURDIR)/data
# Voila finds the kit's page template (share/jupyter/voila/templates/pap, named in voila.json) here.
export JUPYTER_PATH := $(CURDIR)/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH))

.PHONY: app slides test unit notebooks browser lint check-clean bench setup system-deps clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/.installed

system-deps:
	bash tools/system-deps.sh

## Start Voila on modules/ and print the landing page's address. PAP_SERVER_HOST tells the kit
## where the server listens: only a loopback address lets a visitor without a link use the one
## record of this computer; on a network (HOST=0.0.0.0) each visitor starts their own record.
app: setup
	@echo ""
	@echo "  Parents as Partners is starting. Open:  http://$(if $(filter 0.0.0.0,$(HOST)),$$(hostname),localhost):$(PORT)/voila/render/index.ipynb"
	@echo "  (answers are saved in $(PAP_DATA_DIR); Ctrl+C stops the server)"
	@echo ""
	PAP_SERVER_HOST=$(HOST) $(BIN)/voila modules --Voila.ip=$(HOST) --port=$(PORT) --no-browser

## The modules as slides (Voila's reveal template) for a projector; works with no internet.
slides: setup
	bash tools/fetch-reveal.sh
	@echo ""
	@echo "  Slides: open  http://localhost:$(SLIDES_PORT)/voila/render/01_why_partnership.ipynb  (arrow keys move)"
	@echo ""
	cd tools/slides && PAP_SERVER_HOST=$(HOST) ../../$(BIN)/voila ../../modules --Voila.ip=$(HOST) --port=$(SLIDES_PORT) --no-browser

## Every test: lint, clean notebooks, unit (SQLite + PostgreSQL), notebooks (nbval), browser, hub.
test: setup system-deps lint check-clean
	bash tools/fetch-reveal.sh
	bash tools/hub-proxy.sh >/dev/null
	bash tools/fetch-axe.sh
	@url=$$(bash tools/pg-test-server.sh start) && \
	  PAP_DATA_DIR=$$(mktemp -d) PAP_TEST_PG_URL=$${PAP_TEST_PG_URL:-$$url} PAP_STRICT_ERRORS=1 \
	  $(BIN)/python -m pytest tests modules --nbval-lax --nbval-current-env \
	    --timeout=600 -p no:cacheprovider; \
	  rc=$$?; bash tools/pg-test-server.sh stop; exit $$rc

unit: setup
	$(BIN)/python -m pytest tests --ignore=tests/browser --ignore=tests/hub -q

browser: setup system-deps
	bash tools/fetch-axe.sh
	$(BIN)/python -m pytest tests/browser -q

lint: setup
	$(BIN)/ruff check widgets tests tools

check-clean: setup
	$(BIN)/python tools/check_notebooks_clean.py

bench: setup system-deps
	$(BIN)/python tests/bench/bench_open.py
	$(BIN)/python tests/bench/bench_evening.py
	$(BIN)/python tests/bench/bench_audit.py
	$(BIN)/python tests/bench/bench_room.py
	$(BIN)/python tests/bench/bench_readability.py

clean:
	rm -rf $(VENV) data
