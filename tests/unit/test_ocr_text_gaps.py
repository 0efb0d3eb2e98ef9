"""A merged cell is cut where its text stops and starts again as two cells' text does, and only there."""

from __future__ import annotations

from extractor.ocr.text_gaps import split_where_text_restarts

XS = [0, 200, 400]
YS = [0, 300, 600]


def _lines(top: float, n: int, x0: float = 210, height: float = 30, step: float = 32) -> list[tuple[float, ...]]:
    return [(x0, top + k * step, x0 + 170, top + k * step + height) for k in range(n)]


def test_a_cell_whose_text_restarts_under_a_lost_ruling_is_two_cells() -> None:
    # goal column: a continuation's two lines at the top, then the next project's goal from its row's top
    boxes = _lines(8, 2) + _lines(310, 6) + _lines(8, 1, x0=10) + _lines(310, 1, x0=10)
    cells = [(0, 0, 1, 1), (1, 0, 2, 1), (0, 1, 2, 2)]
    assert split_where_text_restarts(cells, XS, YS, boxes) == [(0, 0, 1, 1), (1, 0, 2, 1), (0, 1, 1, 2), (1, 1, 2, 2)]


def test_the_first_line_under_the_ruling_may_be_missed() -> None:
    boxes = _lines(8, 2) + _lines(372, 4)  # the row's first line (at 310) not detected: text from two lines down
    assert split_where_text_restarts([(0, 1, 2, 2)], XS, YS, boxes) == [(0, 1, 1, 2), (1, 1, 2, 2)]


def test_one_block_of_text_in_a_merged_cell_stays_one_cell() -> None:
    centred = _lines(200, 6)  # crosses the other columns' ruling at 300 line by line
    top_aligned = _lines(8, 4)
    for boxes in (centred, top_aligned, _lines(250, 2)):
        assert split_where_text_restarts([(0, 1, 2, 2)], XS, YS, boxes) == [(0, 1, 2, 2)]


def test_text_far_below_the_ruling_is_a_centred_block_not_a_new_cell() -> None:
    boxes = _lines(8, 1) + _lines(450, 2)
    assert split_where_text_restarts([(0, 1, 2, 2)], XS, YS, boxes) == [(0, 1, 2, 2)]


def test_a_vertical_label_s_characters_are_not_lines_of_text() -> None:
    chars = [(250, y, 280, y + 30) for y in (20, 120, 320, 420)]  # 产 / 出 / 指 / 标 spread down a tall cell
    assert split_where_text_restarts([(0, 1, 2, 2)], XS, YS, chars) == [(0, 1, 2, 2)]


def test_a_label_over_its_text_whose_ruling_faded_is_two_cells() -> None:
    label = [(210.0, 262.0, 290.0, 292.0)]  # 年度目标, one line above the ruling at 300
    text = _lines(308, 4, step=28)  # its text a padding below, lines set close (touching)
    assert split_where_text_restarts([(0, 1, 2, 2)], XS, YS, label + text) == [(0, 1, 1, 2), (1, 1, 2, 2)]
    # the same blank between lines that are everywhere as far apart is one paragraph's spacing
    spaced = [(210.0, 262.0 - k * 46, 380.0, 292.0 - k * 46) for k in range(3)] + _lines(308, 3, step=46)
    assert split_where_text_restarts([(0, 1, 2, 2)], XS, YS, spaced) == [(0, 1, 2, 2)]
