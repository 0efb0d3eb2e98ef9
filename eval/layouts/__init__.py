"""Seeded layout variants of the gold documents and the generalisation eval over them (`jixiao eval --layouts`)."""
