#!/usr/bin/env bash
# The main job on a fresh machine: set up, ingest the sample corpus (offline), start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export JIXIAO_CORPUS_DIR=${JIXIAO_CORPUS_DIR:-$(cd .. && pwd)/shared/corpus}
export JIXIAO_DATA_DIR=${JIXIAO_DATA_DIR:-$(pwd)/data}
# Renderings of the same disclosure supersede each other (same department, year and projects), so the
# PDFs, which the review page can show as page images, are ingested last and are what the app shows.
corpus=$JIXIAO_CORPUS_DIR
.venv/bin/jixiao ingest "$corpus/seeds" "$corpus/docx" "$corpus/xlsx" "$corpus/negatives" "$corpus/scanned" "$corpus/pdf" \
  || echo "some sample files could not be ingested (see above)" >&2
exec .venv/bin/streamlit run app.py --server.address "${JIXIAO_HOST:-127.0.0.1}" --server.port "${JIXIAO_PORT:-8501}" \
  --server.headless true --browser.gatherUsageStats false
