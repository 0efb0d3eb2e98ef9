"""Semantic neighbours never answer a count: words no record uses leave the count to what the records hold."""

from __future__ import annotations

from pathlib import Path

from retrieval.ask import answer
from tests.corpus.test_ask import corpus_services


def test_a_count_with_words_no_record_uses_counts_no_neighbours(corpus: Path) -> None:
    services = corpus_services(corpus)
    listed = answer("监控探头月租", services)  # a list: the neighbours follow, labelled as search results
    assert "按语义检索补充" in listed.answer
    assert any(r.get("项目") == "白云区2082支高清摄像机租赁项目" for r in listed.table)
    counted = answer("有多少个监控探头月租项目？", services)
    assert "按语义检索补充" not in counted.answer
    assert not any(r.get("项目") == "白云区2082支高清摄像机租赁项目" for r in counted.table)
