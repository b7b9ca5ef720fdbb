"""Merge the per-area .po files of each language into one .mo catalog.

Run after editing any `crm_tui/locale/<lang>/*.po`:  python scripts/compile_catalogs.py
`--check` exits 1 when a committed .mo differs from what the .po files give.
"""

from __future__ import annotations

import gettext
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "crm_tui" / "locale"


def merged_catalog(language: str) -> Catalog:
    """All the language's .po files as one catalog (a later duplicate must agree)."""
    # Fixed dates: the header would otherwise change on every run.
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    merged = Catalog(locale=language, domain="crm_tui", creation_date=fixed,
                     revision_date=fixed)
    for po_path in sorted((LOCALE_DIR / language).glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id:
                continue
            existing = merged.get(message.id)
            if existing is not None and existing.string != message.string:
                raise SystemExit(f"{po_path}: {message.id!r} translated differently elsewhere")
            merged.add(message.id, message.string)
    return merged


def compiled(language: str) -> bytes:
    """The .mo bytes. A translation that is its own source (every English one today) is
    left out: gettext gives the source for it anyway, and the app reads a smaller catalog at
    every start (the English one held 1,300 such entries, ~2 ms of each start)."""
    merged = merged_catalog(language)
    kept = Catalog(locale=language, domain="crm_tui", creation_date=merged.creation_date,
                   revision_date=merged.revision_date)
    for message in merged:
        if message.id and message.string != message.id:
            kept.add(message.id, message.string)
    buffer = io.BytesIO()
    write_mo(buffer, kept, use_fuzzy=False)
    return buffer.getvalue()


def _messages(data: bytes) -> dict[object, object]:
    """The translations in .mo bytes, without the header entry (it names the Babel version,
    which differs between machines while the translations are the same)."""
    catalog = gettext.GNUTranslations(io.BytesIO(data))
    messages = dict(catalog._catalog)  # type: ignore[attr-defined]
    messages.pop("", None)
    return messages


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for language_dir in sorted(p for p in LOCALE_DIR.iterdir() if p.is_dir()):
        target = language_dir / "LC_MESSAGES" / "crm_tui.mo"
        data = compiled(language_dir.name)
        if check:
            if not target.exists() or _messages(target.read_bytes()) != _messages(data):
                stale.append(str(target))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    if stale:
        print("stale catalogs (run python scripts/compile_catalogs.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
