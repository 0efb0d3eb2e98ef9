#!/usr/bin/env bash
# The main job on a fresh machine: set up, ingest the sample corpus (offline), start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export JIXIAO_CORPUS_DIR=${JIXIAO_CORPUS_DIR:-$(cd .. && pwd)/shared/corpus}
export JIXIAO_DATA_DIR=${JIXIAO_DATA_DIR:-$(pwd)/data}
.venv/bin/jixiao ingest "$JIXIAO_CORPUS_DIR" || echo "some sample files could not be ingested (see above)" >&2
exec .venv/bin/streamlit run app.py --server.address "${JIXIAO_HOST:-127.0.0.1}" --server.port "${JIXIAO_PORT:-8501}" \
  --server.headless true --browser.gatherUsageStats false
