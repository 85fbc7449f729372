#!/usr/bin/env bash
# Install what the tests need (.venv with requirements-dev.txt, Debian's chromium and a CJK
# font) and run pytest; extra arguments go to pytest. Screenshots land in test-artifacts/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv requirements-dev.txt
ensure_pdf_libs
ensure_browser
mkdir -p test-artifacts
export DJANGO_ALLOW_ASYNC_UNSAFE=true  # Playwright + live_server (PITFALLS.md)
# Two processes (pytest-xdist) by default: the machines have two cores. PYTEST_WORKERS=0 runs
# everything in one process (easier to debug).
workers="${PYTEST_WORKERS:-2}"
say "pytest -n $workers $*"
exec "$PY" -m pytest -n "$workers" "$@"
