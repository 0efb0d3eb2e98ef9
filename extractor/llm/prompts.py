"""The one prompt loader: versioned Jinja files in prompts/ ("<name>.<version>.jinja") with system/user blocks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import prompts

PROMPTS_DIR = Path(prompts.__file__).resolve().parent  # package data: an installed wheel carries it
EXTRACT = ("extract_indicators", "v1")  # the prompt the llm and hybrid backends use
Messages = list[dict[str, str]]


@lru_cache(maxsize=4)
def _env(folder: Path) -> Environment:
    # Document text is passed in as values, which Jinja never evaluates: a cell that reads "{{ x }}"
    # stays text. autoescape is off because the output is a chat message, not HTML.
    return Environment(loader=FileSystemLoader(str(folder)), undefined=StrictUndefined, autoescape=False,
                       keep_trailing_newline=False)


@dataclass(frozen=True)
class Prompt:
    """One versioned prompt template."""

    name: str
    version: str
    folder: Path = PROMPTS_DIR

    @property
    def id(self) -> str:
        """What records remember and the cache is keyed by, e.g. "extract_indicators.v1"."""
        return f"{self.name}.{self.version}"

    def messages(self, **values: Any) -> Messages:
        """The system and user messages rendered with these values."""
        template = _env(self.folder).get_template(f"{self.id}.jinja")
        out: Messages = []
        for role in ("system", "user"):
            block = template.blocks[role]
            text = "".join(block(template.new_context(values))).strip()
            out.append({"role": role, "content": text})
        return out


def load(name: str, version: str, folder: Path = PROMPTS_DIR) -> Prompt:
    """A prompt by name and version; raises FileNotFoundError when that version does not exist."""
    if not (folder / f"{name}.{version}.jinja").is_file():
        raise FileNotFoundError(f"提示词模板不存在：{folder / f'{name}.{version}.jinja'}")
    return Prompt(name, version, folder)
