"""The checks, one module per theme; importing this package registers them all."""

from audit.checks import completeness, consistency, copypaste, measurability, money

__all__ = ["completeness", "consistency", "copypaste", "measurability", "money"]
