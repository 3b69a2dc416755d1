# The two commands: `make run` and `make test`. Everything they need is installed by them.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: Pango and HarfBuzz's subsetter for WeasyPrint (without libharfbuzz-subset0 a
# Chinese page takes 15 s instead of 0.15 s), the CJK font, poppler (pdftotext) and gettext.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core poppler-utils gettext
TEST_PACKAGES := $(RUN_PACKAGES) chromium
SIZE ?= 10000

.PHONY: run test install lock sysdeps sysdeps-test messages migrate seed worker bench lint format clean

# The web server and a real Celery worker (with beat, which runs the job sweep) as one command;
# Ctrl-C stops both. Without CELERY_BROKER_URL they meet through kombu's filesystem transport.
run: install sysdeps messages migrate seed
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --beat --concurrency=1 --loglevel=WARNING & \
	$(PY) manage.py runserver 127.0.0.1:8000

test: install sysdeps-test messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest --durations=20

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

# requirements.txt pins every package, indirect ones too, with hashes; it is compiled from requirements.in.
lock: install
	$(PY) -m pip install --quiet --disable-pip-version-check pip-tools
	$(VENV)/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  --quiet -o requirements.txt requirements.in

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
	$(PY) manage.py createcachetable

seed: install
	$(PY) manage.py seed_demo

worker: install
	$(VENV)/bin/celery -A config worker --beat --loglevel=INFO --concurrency=2

bench: install sysdeps messages
	$(PY) -m bench --size $(SIZE)

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
