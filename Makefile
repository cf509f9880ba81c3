# 法治政府建设工作台: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=1 DEMO_MODE=1

.PHONY: run test lint venv clean backup restore

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更高版本"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python requirements.txt
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

run: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "打开 http://127.0.0.1:8000/ ，用上面的演示账号登录。按 Ctrl+C 停止。"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The end-to-end flows (e2e/) run in Chromium when it is installed; E2E=0 leaves them out.
CHROMIUM ?= /usr/bin/chromium
test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest
	@if [ "$(E2E)" = 0 ]; then echo "E2E=0：跳过端到端测试"; \
	elif [ -x "$(CHROMIUM)" ]; then echo "== 端到端测试（Chromium）"; CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest e2e; \
	else echo "未找到 Chromium（$(CHROMIUM)），跳过端到端测试。安装：apt-get install chromium"; fi

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Back up the database (by DATABASE_URL: SQLite online backup or pg_dump) and MEDIA_ROOT into
# backups/<timestamp>/; restore the newest one, or BACKUP=backups/<timestamp> (asks first).
backup: $(VENV)/.installed
	$(PY) manage.py backup

restore: $(VENV)/.installed
	$(PY) manage.py restore $(BACKUP)

# The county-scale benchmark on PostgreSQL (about 11 minutes; never part of `make test`):
# creates and drops its own database (BENCH_DATABASE_URL, default .../miaoba_bench). See README.
.PHONY: bench
bench: $(VENV)/.installed
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
