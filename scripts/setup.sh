#!/usr/bin/env bash
# Set up jixiao on a fresh machine: system packages, .venv/ in the repo root, the package itself.
# Idempotent: a second run only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  # Chinese fonts for page images, Debian's Chromium for the browser test (never a downloaded browser), and a
  # PostgreSQL server the store tests start their own throwaway cluster from.
  APT_PACKAGES="fonts-noto-cjk chromium postgresql"
  # shellcheck disable=SC2086
  if ! dpkg -s $APT_PACKAGES >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null) \
      || echo "warning: could not install $APT_PACKAGES (browser and PostgreSQL tests need them)" >&2
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
# [ray]: the test command runs the distributed-ingest system test on a local Ray cluster.
.venv/bin/python -m pip install -q -e ".[dev,ray]" 2>&1 | grep -v "is ignored" || true
.venv/bin/python -c "import kernel, extractor, retrieval, usecases, cli, eval, api" || { echo "setup failed: package not importable" >&2; exit 1; }
echo "jixiao is set up: .venv/bin/jixiao" >&2
