"""Among the recogniser's own readings of doubtful Chinese characters, the one that makes words.

The recogniser reads each character on its own; under shadow, blur and JPEG a photographed 调查 comes out 请责
(调 0.37 beside 请 0.44). A doubtful character that makes no word with its neighbours is replaced by one of the
recogniser's next readings when that reading makes a word there. Only Chinese characters are changed, never a
digit, mark or unit; a character that already makes a word (数 in 数量, however doubtful) is left alone, unless the
word is one the page never prints and a next reading makes one it prints everywhere (效法 on a page of 政法); and
the chosen reading keeps its own (low) probability, so the cell stays flagged for a reviewer.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from extractor.textnorm import is_cjk

Readings = tuple[tuple[str, float], ...]  # one character's readings, the one read first, then the next best
WordCount = Callable[[str], int]  # how often a word occurs in a general corpus (0: not a word)
Simplify = Callable[[str], str]  # a text in simplified characters, one for one (系統 -> 系统)

DOUBTFUL = 0.9  # a character read with less probability than this may be read again
_NEXT_MIN = 0.04  # a next reading below this probability is noise, not a candidate
_NEXT_SHARE = 0.1  # nor is one more than ten times less probable than what was read
_MAX_DOUBTFUL = 4  # per line: the most doubtful ones are tried, 4^4 combinations at most
_MAX_WORD = 6
_NOT_A_WORD = 1.0  # count given to a single character the dictionary lacks
_PAGE_SURE = DOUBTFUL  # a page's own words are taken from characters read surely (not doubtful)
_PAGE_REPEATS = 3  # ... that it prints at least this often (遂宁, 来穗: names no general dictionary has)
PAGE_WORD_COUNT = 2000  # what such a word counts for: a common word
_SEEN_MIN = 0.01  # a next reading this improbable is still tried when it makes a word the page reads elsewhere
_SEEN_REPEATS = 2  # ... in this many places, as first readings
_RUN = re.compile(r"[\u3400-\u9fff]+")  # the characters is_cjk accepts


def _segment(text: str, count: WordCount, log_total: float) -> tuple[float, list[tuple[int, int]]]:
    """Most probable split of a run of Chinese characters into words (unigram), and the spans of its words."""
    n = len(text)
    best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for end in range(1, n + 1):
        options = []
        for start in range(max(0, end - _MAX_WORD), end):
            word = text[start:end]
            freq = count(word) if end - start > 1 else max(count(word), _NOT_A_WORD)
            if freq > 0:
                options.append((best[start][0] + math.log(freq) - log_total, start))
        best[end] = max(options)
    spans, end = [], n
    while end > 0:
        start = best[end][1]
        spans.append((start, end))
        end = start
    return best[n][0], spans[::-1]


def _in_word(spans: list[tuple[int, int]], i: int) -> bool:
    return any(s <= i < e and e - s > 1 for s, e in spans)


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans of consecutive Chinese characters."""
    return [m.span() for m in _RUN.finditer(text)]


def next_floor(read: float) -> float:
    """The least probability a next reading needs to be tried beside what was read with probability `read`."""
    return max(_NEXT_MIN, read * _NEXT_SHARE)


def offered(readings: Readings, marks: str) -> tuple[str, float] | None:
    """The first of a doubtful character's next readings that is one of `marks` and worth trying (`next_floor`), with
    its probability; None when the character was read surely or no such reading was offered."""
    if not readings or readings[0][1] >= DOUBTFUL:
        return None
    floor = next_floor(readings[0][1])
    return next(((c, p) for c, p in readings[1:] if c and c in marks and p >= floor), None)


def _options(readings: Readings, simplify: Simplify) -> list[tuple[str, float]]:
    """What was read, then the next readings worth trying (Chinese, not much less probable), four in all."""
    read = readings[0]
    floor = next_floor(read[1])
    # the same character in the other script is what was printed, not a misreading of it
    return [read, *[(c, p) for c, p in readings[1:]
                    if is_cjk(c) and p >= floor and simplify(c) != simplify(read[0])]][:4]


def _plain(text: str, simplify: Simplify) -> str:
    """The text in simplified characters when that keeps every position, else as it is."""
    plain = simplify(text)
    return plain if len(plain) == len(text) else text


def _page_words_instead(run: str, i: int, options: list[tuple[str, float]],
                        own: frozenset[str]) -> list[tuple[str, float]]:
    """For character i inside a word the page does not print: what was read and the next readings making one it does."""
    def words_at(text: str) -> set[str]:
        return {text[max(0, i - 1):i + 1], text[i:i + 2]} & own

    if words_at(run):
        return options[:1]
    return options[:1] + [(c, p) for c, p in options[1:] if words_at(run[:i] + c + run[i + 1:])]


def _seen_instead(run: str, i: int, readings: Readings, options_at: dict[int, list[tuple[str, float]]],
                  seen: frozenset[str]) -> list[tuple[str, float]]:
    """Next readings of character i too improbable to try alone that make, with a reading of a neighbour, a word the
    page reads elsewhere (劳务派道 beside two lines reading 派遣: 遣 at 0.02)."""
    left = [c for c, _ in options_at.get(i - 1, [(run[i - 1], 1.0)])] if i > 0 else []
    right = [c for c, _ in options_at.get(i + 1, [(run[i + 1], 1.0)])] if i + 1 < len(run) else []
    tried = {c for c, _ in options_at[i]}
    return [(c, p) for c, p in readings[1:] if p >= _SEEN_MIN and is_cjk(c) and c not in tried
            and (any(a + c in seen for a in left) or any(c + b in seen for b in right))]


def mend_line(text: str, readings: Sequence[Readings], count: WordCount, total: float,
              simplify: Simplify = str, own: frozenset[str] = frozenset(),
              seen: frozenset[str] = frozenset()) -> tuple[str, list[float]] | None:
    """The line with its doubtful wordless characters read as words, and each character's score; None if unchanged.

    A doubtful character inside a general word may also be read again when a next reading makes a word of `own`
    (the page's surely read repeated words) and the reading makes none: 效法 on a page that prints 政法 everywhere.
    A wordless doubtful character may also take a next reading ten or more times less probable when it makes a word
    of `seen` (general words the page reads in two places or more).
    """
    if len(readings) != len(text):
        return None
    log_total = math.log(total)
    changed = False
    chars = list(text)
    scores = [r[0][1] if r else 1.0 for r in readings]
    for start, end in _runs(text):
        run = text[start:end]
        _, spans = _segment(_plain(run, simplify), count, log_total)  # the dictionary is in simplified characters
        options_at = {i: _options(readings[start + i], simplify)
                      for i in range(len(run)) if scores[start + i] < DOUBTFUL}
        base = dict(options_at)
        for i in options_at:
            if _in_word(spans, i):
                options_at[i] = _page_words_instead(run, i, options_at[i], own)
            elif seen:
                options_at[i] = options_at[i] + _seen_instead(run, i, readings[start + i], base, seen)
        doubtful = sorted(sorted((i for i, o in options_at.items() if len(o) > 1),
                                 key=lambda i: scores[start + i])[:_MAX_DOUBTFUL])
        if not doubtful:
            continue
        options = [options_at[i] for i in doubtful]
        best_score, best_pick = -math.inf, None
        for pick in itertools.product(*options):
            trial = list(run)
            for i, (c, _) in zip(doubtful, pick, strict=True):
                trial[i] = c
            lm, trial_spans = _segment(_plain("".join(trial), simplify), count, log_total)
            # a changed character must join a word: a next reading is never taken for its own sake
            if any(c != run[i] and not _in_word(trial_spans, i) for i, (c, _) in zip(doubtful, pick, strict=True)):
                continue
            score = lm + sum(math.log(max(p, 1e-6)) for _, p in pick)
            if score > best_score:
                best_score, best_pick = score, pick
        if best_pick is None:
            continue
        for i, (c, p) in zip(doubtful, best_pick, strict=True):
            if c != run[i]:
                chars[start + i], scores[start + i] = c, p
                changed = True
    return ("".join(chars), scores) if changed else None


def _first_pairs(lines: Iterable[Sequence[Readings]], at_least: float) -> Counter[str]:
    """How often two Chinese characters stand side by side as first readings, both read with at least `at_least`."""
    pairs: Counter[str] = Counter()
    for readings in lines:
        firsts = [r[0] if r else ("", 0.0) for r in readings]
        pairs.update(a + b for (a, pa), (b, pb) in itertools.pairwise(firsts)
                     if is_cjk(a) and is_cjk(b) and min(pa, pb) >= at_least)
    return pairs


def seen_words(lines: Iterable[Sequence[Readings]], count: WordCount) -> frozenset[str]:
    """Two-character general words the page's first readings hold in two places or more, however doubtfully."""
    return frozenset(w for w, n in _first_pairs(lines, 0.0).items() if n >= _SEEN_REPEATS and count(w) > 0)


def sure_pairs(lines: Iterable[Sequence[Readings]]) -> Counter[str]:
    """How often each two Chinese characters stand side by side, both read surely (a page's or a document's)."""
    return _first_pairs(lines, _PAGE_SURE)


def repeated(pairs: Counter[str]) -> frozenset[str]:
    """The pairs printed at least three times: the page's (or document's) own words."""
    return frozenset(w for w, n in pairs.items() if n >= _PAGE_REPEATS)


def page_words(lines: Iterable[Sequence[Readings]]) -> frozenset[str]:
    """Two-character words a page prints at least three times, both characters read surely each time."""
    return repeated(sure_pairs(lines))


def wanted_pairs(lines: Iterable[Sequence[Readings]]) -> frozenset[str]:
    """Two-character words that a doubtful character's readings could make with a neighbour's: what a word known
    from elsewhere (another page) could mend here."""
    out: set[str] = set()
    for readings in lines:
        for i, r in enumerate(readings):
            if not r or r[0][1] >= DOUBTFUL:
                continue
            mine = [c for c, p in r if is_cjk(c) and p >= _SEEN_MIN]
            for j in (i - 1, i + 1):
                if 0 <= j < len(readings) and readings[j]:
                    theirs = [c for c, p in readings[j] if is_cjk(c) and p >= _SEEN_MIN]
                    out.update(a + b if j > i else b + a for a in mine for b in theirs)
    return frozenset(out)
