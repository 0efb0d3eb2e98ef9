"""answer(): one question (with its chat history) -> an Answer, offline or through the LLM tool loop."""

from __future__ import annotations

import logging
import threading

from kernel.errors import AskError
from retrieval.ask.answers import Answer, AskMode, Turn
from retrieval.ask.chat import resolve
from retrieval.ask.offline import answer_offline
from retrieval.ask.vocabulary import Vocabulary, load_vocabulary
from retrieval.search.searcher import check_query
from retrieval.services import Services

log = logging.getLogger(__name__)


class _VocabularyCache:
    """The vocabulary is rebuilt only when the store has changed (its write generation moved)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: dict[int, tuple[int, Vocabulary]] = {}

    def get(self, services: Services) -> Vocabulary:
        gen = services.store.generation()
        key = id(services.store)
        with self._lock:
            hit = self._cached.get(key)
            if hit is None or hit[0] != gen:
                hit = (gen, load_vocabulary(services.store))
                self._cached = {**{k: v for k, v in list(self._cached.items())[-3:]}, key: hit}
            return hit[1]


_VOCABULARY = _VocabularyCache()


def answer(question: str, services: Services, history: list[Turn] | None = None,
           mode: AskMode = "auto") -> Answer:
    """Answer a natural-language question over the stored disclosures, with a table and citations."""
    question = check_query(question, services.settings.max_query_chars, "问题")  # QueryError when too long
    if not question:
        raise AskError("问题为空：请输入一个问题")
    history = history or []
    vocab = _VOCABULARY.get(services)
    plan = resolve(question, history, vocab)
    use_llm = mode == "llm" or (mode == "auto" and services.settings.llm_configured)
    if use_llm:
        if not services.settings.llm_configured:
            raise AskError("LLM 模式需要先设置 JIXIAO_LLM_BASE_URL 和 JIXIAO_LLM_MODEL")
        from kernel.errors import LLMAnswerError
        from retrieval.ask.llm import answer_llm

        try:
            result = answer_llm(question, history, services, vocab.departments)
            return result.model_copy(update={"plan": plan})
        except LLMAnswerError as exc:
            if mode == "llm":
                return Answer(answer=f"没有得到有依据的回答：{exc}", mode="llm", plan=plan)
            log.warning("LLM answer failed (%s); answering offline", exc)
    return answer_offline(plan, services, vocab)
