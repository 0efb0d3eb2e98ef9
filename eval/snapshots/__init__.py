"""Snapshots of the rules backend's reading of every sample corpus file, so no regression goes unseen."""

from pathlib import Path

SNAPSHOT_DIR = Path(__file__).resolve().parent
FOLDERS = ("seeds", "pdf", "docx", "xlsx", "negatives", "scanned")  # the corpus folders that are snapshotted
SLOW_FOLDERS = ("scanned",)  # OCR: about a minute a file, so the test runs as a system test
STRUCTURAL_FOLDERS: tuple[str, ...] = ()  # folders whose readings vary between runs: only structure is compared
