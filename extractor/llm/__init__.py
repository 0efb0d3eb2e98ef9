"""The LLM stage behind extractor.api.extract (instructor, any OpenAI-compatible endpoint).

Its client (Asker) and prompt loader are generic: ask uses them too; the reply cache is typed for any reply model.
"""
