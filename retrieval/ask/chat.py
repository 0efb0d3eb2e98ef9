"""Multi-turn context: a follow-up (那宿州的呢？ / 预算各多少？) reuses the previous question's plan (pure)."""

from __future__ import annotations

from retrieval.ask.answers import Plan, Turn
from retrieval.ask.parse import parse
from retrieval.ask.vocabulary import Vocabulary

# What a question must state to stand on its own; without any of them it leans on the previous turn.
_OWN = ("topics", "levels", "subject", "comparison", "top_n", "filters")
# Fields a follow-up replaces when it states them; everything else carries over.
_CARRIED = {
    "departments": ("departments",),
    "fiscal_year": ("fiscal_year",),
    "levels": ("levels", "level_label"),
    "topics": ("topics",),
    "comparison": ("comparison",),
    "top_n": ("top_n", "descending"),
    "intent": ("intent", "count_of", "top_n", "descending", "measure"),
    "subject": ("subject",),
    "filters": ("direction", "qualitative", "unit", "rules"),
}


def is_follow_up(plan: Plan) -> bool:
    """True when the question is worded as a follow-up or states nothing of its own to ask about."""
    return plan.follow_up or not any(name in plan.stated for name in _OWN)


def merge(previous: Plan, own: Plan) -> Plan:
    """The previous plan with what the follow-up states put in its place."""
    updates: dict[str, object] = {}
    for stated, fields in _CARRIED.items():
        if stated in own.stated:
            updates.update({f: getattr(own, f) for f in fields})
    if own.asks_budget:
        updates["asks_budget"] = True
        if previous.subject == "indicator" and "subject" not in own.stated:
            updates["subject"] = "project"  # 预算各多少 after an indicator question asks about their projects
        if previous.measure != "count" or "intent" in own.stated:
            updates["measure"] = "budget" if updates.get("subject", previous.subject) != "indicator" else "value"
    if "departments" in own.stated and len(own.departments) == 1 and previous.group_by == "department":
        updates["group_by"] = None  # one department now: nothing to group
    if own.group_by:
        updates["group_by"] = own.group_by
    if own.overall:
        updates["overall"] = True
    updates.update(follow_up=True, unknown=own.unknown, stated=sorted(set(previous.stated) | set(own.stated)))
    return previous.model_copy(update=updates)


def resolve(question: str, history: list[Turn], vocab: Vocabulary) -> Plan:
    """The plan of a question in its chat: parsed alone, or merged into the previous turn's plan."""
    own = parse(question, vocab)
    if not history or not is_follow_up(own):
        return own
    previous = history[-1].plan or resolve(history[-1].question, history[:-1], vocab)
    return merge(previous, own)
