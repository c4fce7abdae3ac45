#!/usr/bin/env bash
# Set up this checkout: Python venv and packages, front-end bundles; with --dev also the test tools
# (Debian chromium for browser tests, installed with apt when missing and running as root).
# Idempotent: steps whose inputs did not change are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
DEV=0
[ "${1:-}" = "--dev" ] && DEV=1
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3

step() { printf '\n==> %s\n' "$*"; }

if [ ! -x .venv/bin/python ]; then
  step "creating .venv with $PY"
  "$PY" -m venv .venv
fi
extras=""; [ "$DEV" = 1 ] && extras="[dev]"
stamp=".venv/.installed$extras-$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  step "installing Python packages ($extras)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$extras"
  touch "$stamp"
fi

if [ -f frontend/package.json ]; then
  lock_stamp="frontend/node_modules/.installed-$(sha256sum frontend/package-lock.json | cut -c1-16)"
  if [ ! -f "$lock_stamp" ]; then
    step "installing front-end packages (npm ci)"
    (cd frontend && npm ci --no-audit --no-fund)
    touch "$lock_stamp"
  fi
  step "building front-end bundles"
  (cd frontend && npm run --silent build)
fi

if [ "$DEV" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    step "installing Debian chromium for browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium' for the browser tests" >&2
    exit 1
  fi
fi
