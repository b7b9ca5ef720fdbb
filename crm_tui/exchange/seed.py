"""The classifiers a new database starts with (crm_tui/data/seed.LANG.jsonl)."""

from __future__ import annotations

from pathlib import Path

from crm_tui.exchange.importer import import_file
from crm_tui.store.database import Database

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def seed_path(language: str) -> Path:
    """The seed file of `language` ("ru" or "en"), English when there is none."""
    path = DATA_DIR / f"seed.{language}.jsonl"
    return path if path.exists() else DATA_DIR / "seed.en.jsonl"


def seed_classifiers(db: Database, language: str) -> None:
    """Import the standard classifiers and deal kinds in `language` into `db`."""
    import_file(db, seed_path(language))
