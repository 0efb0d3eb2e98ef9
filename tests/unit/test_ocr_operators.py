"""A comparison sign read as a letter before a number is read as the sign the recogniser also offered."""

from __future__ import annotations

from extractor.ocr.lexicon import Readings
from extractor.ocr.operators import mend_signs


def _readings(text: str, at: int, *marks: tuple[str, float]) -> list[Readings]:
    return [marks if i == at else ((c, 0.99),) for i, c in enumerate(text)]


def test_a_letter_before_a_number_is_the_sign_the_recogniser_offered() -> None:
    assert mend_signs("s6人", _readings("s6人", 0, ("s", 0.49), ("≤", 0.27), ("5", 0.18))) == {0: ("≤", 0.27)}
    assert mend_signs("$6人", _readings("$6人", 0, ("$", 0.5), ("≥", 0.2))) == {0: ("≥", 0.2)}
    assert mend_signs("目标s95%", _readings("目标s95%", 2, ("s", 0.6), ("≥", 0.3))) == {2: ("≥", 0.3)}


def test_letters_in_words_sure_letters_and_signs_not_offered_stay() -> None:
    assert mend_signs("A4纸", _readings("A4纸", 0, ("A", 0.99), ("≥", 0.01))) == {}  # read surely
    assert mend_signs("V2.0", _readings("V2.0", 0, ("V", 0.6), ("Y", 0.3))) == {}  # no sign among its readings
    assert mend_signs("Ms6", _readings("Ms6", 1, ("s", 0.5), ("≤", 0.4))) == {}  # inside a word
    assert mend_signs("s6", _readings("s6", 0, ("s", 0.8), ("≤", 0.03))) == {}  # far less probable
    assert mend_signs("s6", [(("s", 0.5), ("≤", 0.4))]) == {}  # readings that do not spell the line
