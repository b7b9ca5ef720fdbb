"""Named column mappings for `crm import-table --mapping NAME` and the import screen.

Kept per user in `import-mappings.json` in the config folder (XDG: ~/.config/crm-tui/), not
in the database: a mapping describes the files a person receives (their 1C's headers), it
is needed before any database is chosen, works with a read-only database, and needs no
schema change. A mapping is `{header: field or ""}` (an empty field: the column is ignored
on purpose), so it fits the same export with its columns in another order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.table_mapping import auto_map, field_names
from crm_tui.i18n import _

FILE_NAME = "import-mappings.json"


def mappings_path() -> Path:
    from platformdirs import user_config_path

    from crm_tui.config import APP_NAME

    return user_config_path(APP_NAME) / FILE_NAME


def _load_all() -> dict[str, dict[str, dict[str, str]]]:
    path = mappings_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(_("cannot read {path}: {error}").format(
            path=path, error=error)) from error
    return data if isinstance(data, dict) else {}


def saved_names(target: str) -> list[str]:
    return sorted(_load_all().get(target, {}))


def load_mapping(target: str, name: str, headers: Sequence[str]) -> list[str | None]:
    """The saved mapping `name` applied to `headers` (headers it does not know are matched
    automatically)."""
    saved = _load_all().get(target, {}).get(name)
    if saved is None:
        raise ValidationError(_("no saved mapping {name} for {target}").format(
            name=name, target=target))
    automatic = auto_map(target, headers)
    known = set(field_names(target))
    result: list[str | None] = []
    for header, guess in zip(headers, automatic, strict=True):
        if header in saved:
            chosen = saved[header]
            result.append(chosen if chosen in known else None)
        else:
            result.append(guess)
    return result


def save_mapping(target: str, name: str, headers: Sequence[str],
                 mapping: Sequence[str | None]) -> Path:
    """Save (or replace) the mapping `name`; the file is replaced whole."""
    from crm_tui.atomic import text_writer

    if not name.strip() or not name.isprintable():
        raise ValidationError(_("a mapping's name must be printable and not empty"))
    data = _load_all()
    data.setdefault(target, {})[name.strip()] = {
        header: field or "" for header, field in zip(headers, mapping, strict=True) if header}
    path = mappings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with text_writer(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
    return path
