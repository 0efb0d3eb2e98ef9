"""Ask across departments: natural-language questions answered with a table and citations."""

from kernel.errors import AskError
from retrieval.ask.answers import Answer, Citation, Plan, Turn
from retrieval.ask.api import answer
from retrieval.ask.markdown import as_text

__all__ = ["Answer", "AskError", "Citation", "Plan", "Turn", "answer", "as_text"]
