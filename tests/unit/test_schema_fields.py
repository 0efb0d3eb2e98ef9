"""The schema is the one source of the indicator fields: the store, the exports and the review grid follow it."""

from __future__ import annotations

from extractor.export import FLAT_COLUMNS, FLAT_LABELS
from extractor.schema import (
    EDITABLE_INDICATOR_FIELDS,
    FLAT_INDICATOR_FIELDS,
    INDICATOR_FIELDS,
    INDICATOR_LABELS,
    Indicator,
)
from retrieval.store.corrections import EDITABLE
from retrieval.store.queries import INDICATOR_COLUMNS
from retrieval.store.tables import IndicatorRow


def test_every_indicator_field_has_a_column_of_the_store() -> None:
    columns = IndicatorRow.__table__.columns
    for name, info in Indicator.model_fields.items():
        assert name in columns, f"IndicatorRow lacks {name}: add the column and a migration"
        optional = not info.is_required() and info.default is None
        assert columns[name].nullable or not optional, name


def test_labels_exports_and_editable_columns_are_derived_from_the_schema() -> None:
    assert set(INDICATOR_LABELS) == set(INDICATOR_FIELDS) and all(INDICATOR_LABELS.values())
    assert all("\u4e00" <= INDICATOR_LABELS[f][0] <= "\u9fff" for f in INDICATOR_FIELDS)  # Chinese, for people
    assert FLAT_COLUMNS[-len(FLAT_INDICATOR_FIELDS):] == list(FLAT_INDICATOR_FIELDS)
    assert all(FLAT_LABELS[f] == INDICATOR_LABELS[f] for f in FLAT_INDICATOR_FIELDS)
    assert EDITABLE == EDITABLE_INDICATOR_FIELDS and set(EDITABLE) <= set(INDICATOR_FIELDS)
    assert set(INDICATOR_COLUMNS) >= set(EDITABLE)
