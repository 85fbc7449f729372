# The two commands of the README, and a few helpers. Everything runs in .venv (made if missing).
.PHONY: demo setup test ci worker beat run help
PORT ?= 8000
# The demo prints its login address with this port (projects/management/commands/load_demo.py).
export PORT

help:
	@echo "make demo    set up .venv, migrate, load the Wuxi demo, serve http://127.0.0.1:$(PORT)/"
	@echo "make test    install test needs (chromium, CJK font) and run pytest (ARGS=... for pytest)"
	@echo "make ci      the CI run: PostgreSQL + Redis + a real Celery worker, then the embedded default"
	@echo "make worker  a Celery worker for the configured broker (CELERY_BROKER_URL)"
	@echo "make beat    the Celery beat scheduler (one per deployment)"

demo: setup
	.venv/bin/python manage.py runserver 0.0.0.0:$(PORT)

setup:
	scripts/setup.sh

run:
	.venv/bin/python manage.py runserver 0.0.0.0:$(PORT)

test:
	scripts/test.sh $(ARGS)

ci:
	.ci/run

worker:
	.venv/bin/celery -A unionproj worker -l info

beat:
	.venv/bin/celery -A unionproj beat -l info
