"""Each section's warm-up (its opening reads, made by the app in the background) runs on a
real database and writes nothing: the app swallows its errors, so only this test sees one."""

from __future__ import annotations

import importlib

from sqlalchemy import text

from crm_tui.sections import SECTIONS
from crm_tui.store.database import Database


def test_every_section_warms_without_writing(small_db: Database) -> None:
    with small_db.read() as session:
        before = session.execute(text("SELECT count(*) FROM change_log")).scalar()
    with small_db.engine.connect() as connection:
        version = connection.exec_driver_sql("PRAGMA data_version").scalar()
        for section in SECTIONS:
            module = importlib.import_module(f"crm_tui.screens.{section.module}")
            getattr(module, section.screen_class).warm(small_db)
        assert connection.exec_driver_sql("PRAGMA data_version").scalar() == version
    with small_db.read() as session:
        assert session.execute(text("SELECT count(*) FROM change_log")).scalar() == before
