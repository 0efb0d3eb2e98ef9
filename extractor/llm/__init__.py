"""LLM-assisted extraction over any OpenAI-compatible endpoint (instructor), behind extractor.backends."""
