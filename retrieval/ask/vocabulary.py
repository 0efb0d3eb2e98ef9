"""The store's own words: department names and their short forms, years, level names, units, topic text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from retrieval.store.database import Store
from retrieval.store.tables import DocumentRow, IndicatorRow, ProjectRow

PARTY_PREFIXES = ("中国共产党", "中共")
# Leading administrative units of a department name: 广州市白云区 -> 广州市, 白云区.
_PLACE = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)")
_PLACE_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)$")
# Budget tables name IT projects by their parts (平台, 信息系统, 摄像机…) rather than by the word 信息化;
# these are matched in project names only, where they are unambiguous enough.
_IT_WORDS = """信息化 信息系统 信息网 管理系统 系统建设 系统运维 平台 网络 数据 软件 信创 智慧 视频 摄像 电子政务"""
TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {"信息化": tuple(_IT_WORDS.split())}
MONEY_UNITS = {"万元": 1.0, "元": 0.0001, "亿元": 10000.0}


def longest_first(word: str) -> tuple[int, str]:
    """Sort key: longer words first, ties alphabetical (set order varies between runs; answers must not)."""
    return -len(word), word


def normalize(text: str) -> str:
    """NFKC (full-width digits, ％, ＞ become ASCII) without whitespace: questions and names compare alike."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def level_stem(level: str) -> str:
    """The level name without its 指标 suffix (满意度指标 -> 满意度)."""
    stem = level.removesuffix("指标").removesuffix("类")
    return stem or level


def department_aliases(name: str) -> set[str]:
    """What users write for a department: 遂宁 / 遂宁市 for 中国共产党遂宁市委员会政法委员会, 白云 / 广州白云…"""
    full = normalize(name)
    core = next((full[len(p):] for p in PARTY_PREFIXES if full.startswith(p)), full)
    aliases = {full, core}
    places: list[str] = []
    pos = 0
    while (m := _PLACE.match(core, pos)) is not None:
        places.append(m.group())
        pos = m.end()
    stems = [_PLACE_SUFFIX.sub("", p) for p in places]
    for place, stem in zip(places, stems, strict=True):
        aliases.add(place)
        if len(stem) >= 2:
            aliases.add(stem)
    if len(places) > 1:
        aliases.update({"".join(places), "".join(stems), "".join(stems[-2:]), "".join(places[-2:])})
    return {a for a in aliases if len(a) >= 2}


@dataclass(frozen=True)
class Vocabulary:
    """Everything the parser recognises, all taken from the store."""

    departments: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    levels: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    text: str = ""  # project names, goals and indicator names, normalised: where topic words must occur
    aliases: dict[str, frozenset[str]] = field(default_factory=dict)  # alias -> full department names

    def knows(self, word: str) -> bool:
        """True when the word occurs somewhere in the stored records."""
        return len(word) >= 2 and word in self.text


def build_vocabulary(departments: Iterable[str], years: Iterable[int], levels: Iterable[str],
                     units: Iterable[str], texts: Iterable[str]) -> Vocabulary:
    """A vocabulary from the store's values (pure)."""
    names = tuple(sorted({d for d in departments if d}))
    aliases: dict[str, set[str]] = {}
    for name in names:
        for alias in department_aliases(name):
            aliases.setdefault(alias, set()).add(name)
    text = "\n".join(normalize(t) for t in texts if t)
    return Vocabulary(departments=names, years=tuple(sorted(set(years))),
                      levels=tuple(sorted({lv for lv in levels if lv})),
                      units=tuple(sorted({normalize(u) for u in units if u}, key=longest_first)), text=text,
                      aliases={a: frozenset(n) for a, n in aliases.items()})


def load_vocabulary(store: Store) -> Vocabulary:
    """The vocabulary of the store's current (not superseded) documents."""
    live = DocumentRow.superseded_by.is_(None)
    with store.session() as s:
        docs = s.execute(select(DocumentRow.department, DocumentRow.fiscal_year).where(live)).all()
        projects = s.execute(select(ProjectRow.name, ProjectRow.goal).join(DocumentRow).where(live)).all()
        indicators = s.execute(select(IndicatorRow.level1, IndicatorRow.level2, IndicatorRow.name, IndicatorRow.unit)
                               .join(ProjectRow).join(DocumentRow).where(live)).all()
    levels = [lv for row in indicators for lv in (row.level1, row.level2) if lv]
    texts = [t for row in projects for t in row] + [row.name for row in indicators] + levels
    return build_vocabulary([d.department for d in docs], [d.fiscal_year for d in docs if d.fiscal_year],
                            levels, [*(r.unit for r in indicators if r.unit), *MONEY_UNITS], texts)
