"""Three-way merge of a form's values after a version conflict (pure Python).

`base` is what the form was opened with, `theirs` what is saved now, `mine` what the form
holds. A field only I changed takes my value, a field only they changed keeps theirs, a
field both changed to different values is a clash the user decides. List fields (child rows:
participants, contacts, tasks, payment lines, ...) are merged row by row: a row is keyed by
`row_keys[field](row)` (its id, or the row itself when it has none, so that an edit of such a
row is a removal plus an addition)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Side = Literal["theirs", "mine"]
RowKey = Callable[[Any], Hashable]


@dataclass(frozen=True)
class Clash:
    """One field (or one row of a list field, `row` set) that both sides changed to
    different values. A row absent on one side (deleted, or not added) is None there."""

    field: str
    theirs: Any
    mine: Any
    base: Any = None
    row: Hashable | None = None


@dataclass(frozen=True)
class Merge:
    """The merge before the clashes are decided, and which fields each side changed."""

    merged: dict[str, Any]
    clashes: tuple[Clash, ...] = ()
    mine_changed: tuple[str, ...] = ()
    theirs_changed: tuple[str, ...] = ()
    rows: Mapping[str, tuple[tuple[Hashable, Any], ...]] = field(default_factory=dict)

    def resolve(self, picks: Iterable[Side]) -> dict[str, Any]:
        """The values to save, with one pick per clash in the order of `clashes`."""
        chosen = list(picks)
        if len(chosen) != len(self.clashes):
            raise ValueError("one pick per clash is needed")
        values = dict(self.merged)
        rows = {name: dict(pairs) for name, pairs in self.rows.items()}
        for clash, side in zip(self.clashes, chosen, strict=True):
            value = clash.mine if side == "mine" else clash.theirs
            if clash.row is None:
                values[clash.field] = value
            else:
                rows[clash.field][clash.row] = value
        for name, by_key in rows.items():
            kept = [row for row in by_key.values() if row is not None]
            values[name] = tuple(kept) if isinstance(self.merged[name], tuple) else kept
        return values


def _keyed(rows: Iterable[Any], key: RowKey) -> dict[Hashable, Any]:
    """Rows by key; equal keys (rows without an id) are told apart by their occurrence."""
    out: dict[Hashable, Any] = {}
    seen: dict[Hashable, int] = {}
    for row in rows:
        k = key(row)
        n = seen.get(k, 0)
        seen[k] = n + 1
        out[(k, n)] = row
    return out


def _merge_rows(name: str, key: RowKey, base: Iterable[Any], theirs: Iterable[Any],
                mine: Iterable[Any]) -> tuple[list[tuple[Hashable, Any]], list[Clash], bool,
                                              bool]:
    """One list field row by row: (key, row or None) in theirs' order then my new rows,
    the clashes (their row kept until decided), whether I and they changed any row."""
    b, t, m = _keyed(base, key), _keyed(theirs, key), _keyed(mine, key)
    clashes: list[Clash] = []
    merged: list[tuple[Hashable, Any]] = []
    for k in list(t) + [k for k in m if k not in t]:
        bv, tv, mv = b.get(k), t.get(k), m.get(k)
        if mv in (bv, tv):
            value = tv
        elif tv == bv:
            value = mv
        else:
            clashes.append(Clash(name, tv, mv, bv, row=k))
            value = tv
        merged.append((k, value))
    return merged, clashes, m != b, t != b


def merge(base: Mapping[str, Any], theirs: Mapping[str, Any], mine: Mapping[str, Any],
          row_keys: Mapping[str, RowKey] | None = None) -> Merge:
    """Three-way merge of the fields of `mine`; `row_keys` names the list fields (child
    rows) and how a row is keyed. Fields not in `mine` keep their value from `theirs`."""
    keys = dict(row_keys or {})
    merged: dict[str, Any] = dict(theirs)
    rows: dict[str, tuple[tuple[Hashable, Any], ...]] = {}
    clashes: list[Clash] = []
    mine_changed: list[str] = []
    theirs_changed: list[str] = []
    for name in mine:
        b, t, m = base.get(name), theirs.get(name), mine[name]
        if name in keys:
            pairs, row_clashes, by_me, by_them = _merge_rows(name, keys[name], b or (),
                                                             t or (), m or ())
            rows[name] = tuple(pairs)
            kept = [row for _k, row in pairs if row is not None]
            merged[name] = tuple(kept) if isinstance(m, tuple) else kept
            clashes.extend(row_clashes)
        else:
            by_me, by_them = m != b, t != b
            if by_me and m != t:
                if by_them:
                    clashes.append(Clash(name, t, m, b))
                else:
                    merged[name] = m
        if by_me:
            mine_changed.append(name)
        if by_them:
            theirs_changed.append(name)
    return Merge(merged, tuple(clashes), tuple(mine_changed), tuple(theirs_changed), rows)


def fields_of(record: Any, names: Iterable[str] | None = None) -> dict[str, Any]:
    """A dataclass record's fields (or the `names` among them) as a dict to merge."""
    wanted = set(names) if names is not None else None
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)
            if wanted is None or f.name in wanted}
