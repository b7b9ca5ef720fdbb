"""The partner picker's source (widgets.partner_picker.PartnerSource) over the database.

Each call opens its own read session and blocks: the picker runs them in thread workers.
The database is looked up at each call because it opens after the first frame, later than
the screens that show a picker are composed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm_tui.store.database import Database
    from crm_tui.store.search_partners import PartnerHit


class PartnerLookup:
    """Partner search and names for the picker; `owner` holds the open database as `.db`
    (the app does), None until it is open."""

    def __init__(self, owner: object) -> None:
        self._owner = owner

    def _database(self) -> Database | None:
        database: Database | None = getattr(self._owner, "db", None)
        return database

    def search(self, text: str, limit: int) -> list[PartnerHit]:
        database = self._database()
        if database is None:
            return []
        from crm_tui.store.search_partners import search_partners

        with database.read() as session:
            return search_partners(session, text, limit)

    def name(self, key: str) -> str | None:
        database = self._database()
        if database is None:
            return None
        from crm_tui.store.repo_partners_read import partner_name

        with database.read() as session:
            return partner_name(session, key)
