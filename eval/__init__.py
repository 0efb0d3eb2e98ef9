"""Scoring against hand-labelled gold files; the data (gold, floors, questions) ships inside this package."""

from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
