#!/usr/bin/env bash
# What the system tests' servers need (tests/system/servers/): Debian's PostgreSQL server, the project's [ray]
# extra in .venv (Ray and psycopg), and the chroma CLI (from chromadb, already a dependency).
# Idempotent: a second run installs nothing.
# Usage: bash scripts/services/install.sh        (as root for apt; from any folder)
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
RAY_SPEC=${RAY_SPEC:-"ray>=2.60,<3"}   # only if this checkout's pyproject has no [ray] extra yet

# 1. PostgreSQL server binaries (initdb, postgres, pg_isready, createdb under /usr/lib/postgresql/*/bin).
#    The package also creates the unprivileged 'postgres' user the helper runs the server as when we are root.
#    The helper starts its own throwaway cluster; Debian's default cluster service is not used.
APT_PACKAGES="postgresql"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
  else
    echo "PostgreSQL server missing: run as root: apt-get install -y $APT_PACKAGES" >&2
    exit 1
  fi
fi

# 2. The project's [ray] extra in its venv: ray (plain 'ray': the CLI's 'ray start' / 'ray status' need no
#    [default] extra) and psycopg for PostgreSQL. Installed editable, as scripts/setup.sh installs the project.
if [ ! -x "$PY" ]; then
  echo "no $PY: run scripts/setup.sh first" >&2
  exit 1
fi
if ! "$PY" -c "import ray, psycopg" >/dev/null 2>&1; then
  "$PY" -m pip install -q -e ".[ray]"
  if ! "$PY" -c "import ray" >/dev/null 2>&1; then  # an older pyproject without the extra: pip only warns
    "$PY" -m pip install -q "$RAY_SPEC"
  fi
fi

# 3. Check: every binary the helpers look for is there.
"$PY" - <<'PY'
import sys
sys.path.insert(0, ".")
from tests.system.servers import chroma_exe, postgres_bindir, ray_exe
import ray
missing = [name for name, found in (("postgres", postgres_bindir()), ("chroma", chroma_exe()), ("ray", ray_exe()))
           if found is None]
if missing:
    sys.exit(f"still missing: {', '.join(missing)}")
print(f"services ready: postgres in {postgres_bindir()}, chroma {chroma_exe()}, ray {ray.__version__}")
PY

# Ray's object store lives in /dev/shm; below ~300 MB Ray falls back to /tmp (slower, with a warning).
shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR==2 {print $2}')
if [ -n "${shm_kb:-}" ] && [ "$shm_kb" -lt 307200 ]; then
  echo "warning: /dev/shm is only $((shm_kb / 1024)) MB (docker: --shm-size=1g)" >&2
fi
