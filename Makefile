# 法治政府建设工作台: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=1 DEMO_MODE=1

.PHONY: run test lint venv clean backup restore

# The virtual environment, made whole. A .venv left half-made (python3-venv missing when it was
# created, an interrupted run, the system Python removed) has no working pip: it is said so,
# removed and made again instead of blocking every later `make run`.
$(VENV)/.created:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更高版本"'
	@if [ -e $(VENV) ] && ! $(VENV)/bin/python -m pip --version >/dev/null 2>&1; then \
	  echo "发现不完整的虚拟环境 $(VENV)（缺少 pip，多为上次创建中断或未安装 python3-venv），删除后重新创建。"; \
	  rm -rf $(VENV); fi
	@if [ ! -e $(VENV) ]; then \
	  $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "创建虚拟环境失败：请先安装 python3-venv（sudo apt-get install python3-venv），再运行 make。"; exit 1; }; \
	  $(PIP) install -q --upgrade pip; fi
	@touch $@

$(VENV)/.installed: $(VENV)/.created requirements.txt
	$(PIP) install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# `make run HOST=0.0.0.0 PORT=8080` serves on another address; the host is allowed too.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	@echo "打开 http://$(HOST):$(PORT)/ ，用上面的演示账号登录。按 Ctrl+C 停止。"
	$(DEV_ENV) ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost,$(HOST)}" $(PY) manage.py runserver $(HOST):$(PORT)

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

# The county-scale benchmark on PostgreSQL (about 8 minutes on 2 cores; never part of `make test`):
# creates and drops its own database (BENCH_DATABASE_URL, default .../miaoba_bench). See README.
.PHONY: bench
bench: $(VENV)/.installed
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
