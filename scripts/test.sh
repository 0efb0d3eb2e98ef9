#!/usr/bin/env bash
# The test command: set up if needed, then lint, type-check, unit/integration tests, offline eval floors.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The servers of the system tests (PostgreSQL, chroma run, Ray) are installed by setup.sh: a missing one fails, never skips.
export JIXIAO_REQUIRE_SERVICES=1
export JIXIAO_CORPUS_DIR=${JIXIAO_CORPUS_DIR:-$(cd .. && pwd)/shared/corpus}
.venv/bin/ruff check .
.venv/bin/mypy kernel extractor audit retrieval usecases eval cli webui api app.py
.venv/bin/lint-imports --no-cache >/dev/null  # layers point down, no package cycles (pyproject: tool.importlinter)
echo "import contracts: ok"
.venv/bin/pytest
# Regression floor: the offline eval must not fall below eval/floors.json.
.venv/bin/jixiao eval --formats txt,pdf,docx,xlsx,scanned --backend rules --report-dir "${TMPDIR:-/tmp}/jixiao-eval" --check-floors >/dev/null
echo "eval floors: ok"
# Layout floor: seeded layout variants of the gold with held-out header names (eval/layouts) must not fall below eval/floors.json.
.venv/bin/jixiao eval --layouts --pool heldout --report-dir "${TMPDIR:-/tmp}/jixiao-eval-layouts" --check-floors >/dev/null
echo "layout floors: ok"
# Photo floor: seeded phone photos of the sample scans (eval/photos), held-out seeds, per distortion kind against the
# same pages flat, must not fall below eval/photos/floors.json (a few minutes: three pages of each scan).
.venv/bin/python -m eval.photos --split heldout --report-dir "${TMPDIR:-/tmp}/jixiao-eval-photos" --check-floors >/dev/null
echo "photo floors: ok"
# Published-template floor: the gold printed in official blank templates (eval/templates; a held-out third) must not
# fall below eval/floors.json; and the verifier must catch damaged readings of those renders and of the sample.
.venv/bin/jixiao eval --templates --split both --report-dir "${TMPDIR:-/tmp}/jixiao-eval-templates" --check-floors >/dev/null
echo "template floors: ok"
.venv/bin/jixiao eval --breakit --formats xlsx,pdf --report-dir "${TMPDIR:-/tmp}/jixiao-eval-breakit" --check-floors >/dev/null
echo "break-it floors: ok"
# Retrieval floor: recall@10 / MRR of search over the ingested corpus must not fall below eval/floors.json.
.venv/bin/jixiao eval-search --report-dir "${TMPDIR:-/tmp}/jixiao-eval-search" --check-floors >/dev/null
echo "retrieval floors: ok"
# QA floor: offline answers to eval/qa/questions.jsonl must not fall below eval/qa/floors.json.
.venv/bin/jixiao eval-qa --report-dir "${TMPDIR:-/tmp}/jixiao-eval-qa" --check-floors >/dev/null
echo "qa floors: ok"
# Audit floor: the audit rules against the hand-labelled findings (eval/audit/labels) must not fall below eval/floors.json.
.venv/bin/jixiao eval-audit --check-floors >/dev/null
echo "audit floors: ok"
