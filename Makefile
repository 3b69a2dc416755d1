# The two commands: `make run` and `make test`. Everything they need is installed by them.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: Pango and HarfBuzz's subsetter for WeasyPrint (without libharfbuzz-subset0 a
# Chinese page takes 15 s instead of 0.15 s), the CJK font, poppler (pdftotext) and gettext.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core poppler-utils gettext
TEST_PACKAGES := $(RUN_PACKAGES) chromium
SIZE ?= 10000

.PHONY: run test install sysdeps sysdeps-test messages migrate seed worker bench lint format clean

run: install sysdeps messages migrate seed
	$(PY) manage.py runserver 127.0.0.1:8000

test: install sysdeps-test messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest --durations=20

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

sysdeps:
	@$(MAKE) --no-print-directory _apt PACKAGES="$(RUN_PACKAGES)"

sysdeps-test:
	@$(MAKE) --no-print-directory _apt PACKAGES="$(TEST_PACKAGES)"

_apt:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v0

migrate: install
	$(PY) manage.py migrate --noinput -v0

seed: install
	$(PY) manage.py seed_demo

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

bench: install sysdeps messages
	$(PY) -m bench --size $(SIZE)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
