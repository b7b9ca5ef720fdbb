"""Where data lives and how a --db value becomes a database URL."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

APP_NAME = "crm-tui"


def data_dir() -> Path:
    """The per-user data folder (created on demand)."""
    # Imported here: a command given --db never needs it (platformdirs and what it imports
    # were ~5 % of a small `crm report`'s run).
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def default_db_path() -> Path:
    return data_dir() / "crm.sqlite3"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite3"


def to_url(value: str | os.PathLike[str]) -> str:
    """A database URL from a --db value: a URL stays as it is, a path becomes SQLite."""
    text = str(value)
    if "://" in text:
        return text
    # Quoted as SQLAlchemy's URL.create renders it (and make_url reads it back): a "?" or
    # "#" in the path is part of the file name, never a query string or fragment. Done by
    # hand so that the app's start does not import SQLAlchemy for it.
    return f"sqlite:///{_quote_path(str(Path(text).expanduser().resolve()))}"


def _quote_path(path: str) -> str:
    return path.replace("%", "%25").replace("?", "%3F").replace("#", "%23")


def resolve_db(value: str | None) -> str:
    """--db, else $CRM_DB, else the default database in the user data folder."""
    chosen = value or os.environ.get("CRM_DB") or str(default_db_path())
    return to_url(chosen)


def describe_url(url: str) -> str:
    """The database as the header shows it: a file path, or the URL without its password."""
    if url.startswith("sqlite:///"):
        return unquote(url[len("sqlite:///"):].split("?", 1)[0])
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url
