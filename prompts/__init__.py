"""Versioned prompt templates ("<name>.<version>.jinja"), shipped as package data; loaded by extractor.llm.prompts."""
