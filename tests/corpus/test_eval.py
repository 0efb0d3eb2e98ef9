"""`jixiao eval` end to end, and the regression floor check."""

import json
from pathlib import Path

from eval.run import check_floors, corpus_pairs, run_eval
from kernel.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_corpus_pairs_cover_all_gold_and_formats(corpus: Path) -> None:
    pairs = corpus_pairs(corpus, ROOT / "eval" / "gold", ["txt", "pdf", "docx", "xlsx", "scanned"])
    ids = {p[0] for p in pairs}
    assert ids == {"000", "001", "002", "004"}
    assert {p[1] for p in pairs} == {"txt", "pdf", "docx", "xlsx", "scanned"}


def test_eval_report_and_floors(corpus: Path, tmp_path: Path) -> None:
    report = run_eval(corpus, ["txt", "docx"], ROOT / "eval" / "gold", Settings())
    assert set(report["by_format"]) == {"txt", "docx"}
    assert report["overall"]["field_f1"] > 0.9
    assert all(r["seconds_per_page"] >= 0 for r in report["files"])
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"rules": {"field_f1": {"txt": 0.5, "docx": 0.999999, "pdf": 0.99}}}))
    failures = check_floors(report, floors)
    # docx is under an impossible floor; pdf was not evaluated, so it cannot fail
    assert len(failures) == (0 if report["by_format"]["docx"]["field_f1"] >= 0.999999 else 1)
    assert not any(f.startswith("pdf") for f in failures)


def test_gold_files_are_valid_exports() -> None:
    from extractor.schema import Document

    for path in sorted((ROOT / "eval" / "gold").glob("*.json")):
        doc = Document.model_validate_json(path.read_text(encoding="utf-8"))
        assert doc.projects and all(i.origin == "human" for p in doc.projects for i in p.indicators)


def test_retrieval_floors_name_what_fell(tmp_path: Path) -> None:
    from eval.retrieval_eval import check_retrieval_floors

    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"retrieval": {"hybrid": {"recall@10": 0.9}, "bm25": {"recall@10": 0.68}}}))
    report = {"modes": {"hybrid": {"recall@10": 0.95}, "bm25": {"recall@10": 0.5}}}
    assert check_retrieval_floors(report, floors) == ["bm25 recall@10 0.5000 < 0.68"]
