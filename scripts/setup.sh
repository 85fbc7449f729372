#!/usr/bin/env bash
# Set up the app with the Wuxi demo on the embedded default (SQLite, eager Celery):
# .venv, requirements, migrations, demo data. `make demo` then starts the server.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv requirements.txt
ensure_pdf_libs
say "migrate"
"$PY" manage.py migrate --noinput
say "load_demo"
"$PY" manage.py load_demo
say "load_demo_roadshows"
"$PY" manage.py load_demo_roadshows
