"""The LLM stage behind extractor.api.extract (instructor, any OpenAI-compatible endpoint).

Its client, reply cache and prompt loader are generic: ask uses them too.
"""
