"""Resolving references of one field to the id of an earlier (or existing) record."""

from __future__ import annotations

from crm_tui.exchange.context import Context
from crm_tui.exchange.values import MAX_TEXT, Fields


def ref(f: Fields, ctx: Context, name: str, kind: str) -> int | None:
    """The id named by field `name` (a key of a `kind` record); None if absent or unknown."""
    value = f.obj.get(name)
    if value is None:
        return None
    if type(value) is str:
        if (f.controls or len(value) > MAX_TEXT) and f.check_string(name, value) is None:
            return None
        # Found: returned at once (Context.reference below words what is not found).
        found = ctx.new_ids[kind].get(value)
        if found is None:
            found = ctx.db_ids[kind].get(value)
        if found is not None:
            return found
    return ctx.reference(ctx.problems, f.line, f.prefix + name, kind, value)


def key_of(f: Fields, ctx: Context, kind: str, name: str = "id") -> tuple[str, int, bool] | None:
    """Read and claim the record's own key: (key, id, is_update), or None."""
    key = f.text(name, nonempty=True)
    if key is None:
        return None
    claimed = ctx.register(kind, key, f.line)
    if claimed is None:
        return None
    return key, claimed[0], claimed[1]


def save(ctx: Context, table: str, row: dict[str, object], is_update: bool,
         children: tuple[str, ...] = ()) -> None:
    """Queue `row` as an insert or an update (replacing the listed child lists)."""
    if is_update:
        ctx.batch.update(table, row)
        ctx.batch.replace_children(row["id"], *children)  # type: ignore[arg-type]
    else:
        row["version"] = 1
        ctx.batch.insert(table, row)
