"""Streamlit pages of the jixiao app; each page is a thin view over extractor/ and retrieval/."""
