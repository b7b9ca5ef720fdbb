"""Find strings in the code that a catalog lacks and append them to an area's .po files.

    python scripts/update_catalogs.py AREA [FILE ...]
        appends msgids missing from every catalog to <lang>/AREA.po; with FILEs, only the
        strings of those files (so areas worked on at the same time don't take each other's)

English entries get msgstr = msgid; Russian entries get an empty msgstr, which the
translation test reports until someone fills it in.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "crm_tui" / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def code_messages(only: set[str] | None = None) -> dict[str, str]:
    """Every translatable string in crm_tui (or in the `only` files), with its place."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "crm_tui"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if only is not None and f"crm_tui/{filename}" not in only:
            continue
        messages = message if isinstance(message, tuple) else (message,)
        for text in messages:
            if text:
                found.setdefault(text, f"crm_tui/{filename}:{lineno}")
    return found


def catalog_ids(language: str) -> set[str]:
    ids: set[str] = set()
    for po_path in (LOCALE_DIR / language).glob("*.po"):
        with po_path.open("rb") as handle:
            ids.update(m.id for m in read_po(handle) if m.id)  # type: ignore[misc]
    return ids


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    area = sys.argv[1]
    only = {str(Path(p).resolve().relative_to(ROOT)) for p in sys.argv[2:]} or None
    messages = code_messages(only)
    for language in ("en", "ru"):
        missing = [m for m in messages if m not in catalog_ids(language)]
        if not missing:
            continue
        target = LOCALE_DIR / language / f"{area}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        new = not target.exists()
        with target.open("a", encoding="utf-8") as handle:
            if new:
                handle.write('msgid ""\nmsgstr ""\n'
                             '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
            for message in missing:
                handle.write(f"#: {messages[message]}\nmsgid {_quote(message)}\n")
                handle.write(f"msgstr {_quote(message if language == 'en' else '')}\n\n")
        print(f"{target}: {len(missing)} added")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
