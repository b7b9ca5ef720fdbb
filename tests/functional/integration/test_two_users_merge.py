"""Two app instances on one SQLite file: a save that meets someone else's save merges field by
field (issue 20 §1), for each of the five forms. Every check reads the database.

A edits one field and saves; B, who opened the same record before, edits another field (or
the same one) and saves: disjoint edits merge with no loss, a field both changed is asked
about, and a record deleted meanwhile can be saved as a new one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlmodel import SQLModel
from textual.screen import Screen
from textual.widgets import Input, TextArea

from crm_tui.app import CrmApp
from crm_tui.exchange.importer import import_lines
from crm_tui.store.database import Database
from crm_tui.widgets.conflict_dialog import ConflictDialog
from tests.conftest import small_jsonl_path
from tests.support.login import set_login_for_tests
from tests.support.screen import settle, wait_for_database, wait_until

SIZE = (120, 40)


@dataclass(frozen=True)
class Form:
    """How to open one kind of record, type into two of its fields and read them back."""

    table: str
    key: str
    make: Callable[[str], Screen[Any]]
    ready: Callable[[Any], bool]
    fields: tuple[str, str]  # widget ids; the database columns are `columns`
    columns: tuple[str, str]


def _partner(key: str) -> Screen[Any]:
    from crm_tui.screens.partners.card import PartnerCardScreen

    return PartnerCardScreen(key)


def _deal(key: str) -> Screen[Any]:
    from crm_tui.screens.deals.form import DealFormScreen

    return DealFormScreen(deal_key=key)


def _claim(key: str) -> Screen[Any]:
    from crm_tui.screens.claims.form import ClaimFormScreen

    return ClaimFormScreen(claim_key=key)


def _agreement(key: str) -> Screen[Any]:
    from crm_tui.screens.agreements.form import AgreementFormScreen

    return AgreementFormScreen(agreement_key=key)


def _interaction(key: str) -> Screen[Any]:
    from crm_tui.screens.interactions.form import InteractionFormScreen

    return InteractionFormScreen(interaction_key=key)


FORMS = {
    "partner": Form("partner", "P00001", _partner, lambda s: s.opened is not None,
                    ("details-name", "details-comment"), ("name", "comment")),
    "deal": Form("deal", "D000001", _deal, lambda s: s.base is not None,
                 ("name", "notes"), ("name", "notes")),
    "claim": Form("claim", "CL00001", _claim,
                  lambda s: s.base is not None and not s._loading,
                  ("claim-description", "claim-resolution"), ("description", "resolution")),
    "agreement": Form("agreement", "A0001", _agreement, lambda s: s.loaded is not None,
                      ("name", "valid_to"), ("name", "valid_to")),
    "interaction": Form("interaction", "I000001", _interaction,
                        lambda s: s._opened is not None, ("if-topic", "if-text"),
                        ("topic", "text")),
}
# What each side types into the form's first and second field.
TYPED = {"valid_to": ("2027-06-30", "2028-12-31")}


def _value(widget_id: str, side: int) -> str:
    return TYPED.get(widget_id, ("A's edit", "B's edit"))[side]


@pytest.fixture
def shared_url(db_url: str) -> str:
    """The spec's small data set; the current user is an administrator (edits everything)."""
    database = Database.open(db_url)
    lines = small_jsonl_path().read_text(encoding="utf-8").splitlines()
    import_lines(database, lines)
    from crm_tui.store.repo_users import set_role

    with database.write() as session:
        set_role(session, "kuznetsova", "admin")
    database.close()
    set_login_for_tests("kuznetsova")
    return db_url


def _row(url: str, form: Form) -> dict[str, Any]:
    database = Database.open(url)
    table = SQLModel.metadata.tables[form.table]
    try:
        with database.read() as session:
            row = session.execute(select(table).where(table.c.key == form.key)).mappings().one()
            return {name: row[name] for name in form.columns} | {"version": row["version"]}
    finally:
        database.close()


def _delete(url: str, form: Form) -> None:
    """Delete the record and the rows that belong to it (as another user's delete would)."""
    database = Database.open(url)
    table = SQLModel.metadata.tables[form.table]
    try:
        with database.write() as session:
            record_id = session.execute(select(table.c.id).where(
                table.c.key == form.key)).scalar_one()
            for other in SQLModel.metadata.sorted_tables:
                for fk in other.foreign_keys:
                    if fk.column.table is table:
                        if fk.parent.nullable:  # a reference: cleared
                            session.execute(other.update().where(fk.parent == record_id)
                                            .values({fk.parent.name: None}))
                        else:  # a row of the record: deleted with it
                            session.execute(delete(other).where(fk.parent == record_id))
            session.execute(delete(table).where(table.c.id == record_id))
    finally:
        database.close()


def _count(url: str, form: Form, column: str, value: str) -> int:
    database = Database.open(url)
    table = SQLModel.metadata.tables[form.table]
    try:
        with database.read() as session:
            return int(session.execute(select(func.count()).select_from(table).where(
                table.c[column] == value)).scalar_one())
    finally:
        database.close()


async def _open(pilot: Any, form: Form) -> Any:
    await wait_for_database(pilot)
    await settle(pilot)
    screen = form.make(form.key)
    pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: form.ready(screen), what="the form loaded")
    await settle(pilot)
    return screen


def _type(screen: Any, widget_id: str, value: str) -> None:
    widget = screen.query_one(f"#{widget_id}")
    if isinstance(widget, TextArea):
        widget.text = value
    else:
        assert isinstance(widget, Input)
        widget.value = value


async def _save_and_wait_dialog(pilot: Any) -> ConflictDialog:
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConflictDialog)
                     and bool(pilot.app.screen.query("#cancel")), what="the conflict dialog")
    dialog = pilot.app.screen
    assert isinstance(dialog, ConflictDialog)
    return dialog


def _stored(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_disjoint_edits_merge_with_no_loss(shared_url: str, kind: str) -> None:
    form = FORMS[kind]
    first, second = form.fields
    before = _row(shared_url, form)
    app_a, app_b = CrmApp(shared_url, language="en"), CrmApp(shared_url, language="en")
    async with app_a.run_test(size=SIZE) as pa, app_b.run_test(size=SIZE) as pb:
        screen_a = await _open(pa, form)
        screen_b = await _open(pb, form)
        _type(screen_a, first, _value(first, 0))
        await pa.press("ctrl+s")
        await wait_until(pa, lambda: _row(shared_url, form)["version"] > before["version"],
                         what="A's save")
        _type(screen_b, second, _value(second, 1))
        dialog = await _save_and_wait_dialog(pb)
        assert dialog.shown.clashes == []
        labels = [label for label, _value_shown in dialog.shown.mine_applied]
        assert len(labels) == 1, dialog.shown
        assert labels[0] != form.columns[1]  # a label, not a column name
        await pb.click("#merge")
        await wait_until(pb, lambda: _row(shared_url, form)["version"] > before["version"] + 1,
                         what="B's merged save")
    after = _row(shared_url, form)
    assert _stored(after[form.columns[0]]) == _value(first, 0)  # A's change kept
    assert _stored(after[form.columns[1]]) == _value(second, 1)  # B's change applied


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_same_field_edit_asks(shared_url: str, kind: str) -> None:
    form = FORMS[kind]
    first, second = form.fields
    before = _row(shared_url, form)
    app_a, app_b = CrmApp(shared_url, language="en"), CrmApp(shared_url, language="en")
    async with app_a.run_test(size=SIZE) as pa, app_b.run_test(size=SIZE) as pb:
        screen_a = await _open(pa, form)
        screen_b = await _open(pb, form)
        _type(screen_a, first, _value(first, 0))
        _type(screen_a, second, _value(second, 0))
        await pa.press("ctrl+s")
        await wait_until(pa, lambda: _row(shared_url, form)["version"] > before["version"],
                         what="A's save")
        _type(screen_b, first, _value(first, 1))
        dialog = await _save_and_wait_dialog(pb)
        assert len(dialog.shown.clashes) == 1
        await pb.click("#merge")  # refused until the clash is decided
        assert pb.app.screen is dialog
        assert _row(shared_url, form)["version"] == before["version"] + 1
        await pb.click("#clash-0-mine")
        await pb.click("#merge")
        await wait_until(pb, lambda: _row(shared_url, form)["version"] > before["version"] + 1,
                         what="B's merged save")
    after = _row(shared_url, form)
    assert _stored(after[form.columns[0]]) == _value(first, 1)  # B chose their own
    assert _stored(after[form.columns[1]]) == _value(second, 0)  # A's other change kept


@pytest.mark.parametrize("kind", sorted(FORMS))
async def test_deleted_while_editing_saves_mine_as_new(shared_url: str, kind: str) -> None:
    form = FORMS[kind]
    first = form.fields[0]
    app_b = CrmApp(shared_url, language="en")
    async with app_b.run_test(size=SIZE) as pb:
        screen_b = await _open(pb, form)
        _delete(shared_url, form)
        _type(screen_b, first, _value(first, 1))
        dialog = await _save_and_wait_dialog(pb)
        assert dialog.deleted
        await pb.click("#new")
        await wait_until(pb, lambda: _count(shared_url, form, form.columns[0],
                                            _value(first, 1)) == 1, what="saved as new")
    assert _count(shared_url, form, "key", form.key) == 0  # the deleted one stays deleted



async def test_coming_back_to_the_card_keeps_the_details_version(shared_url: str) -> None:
    """Coming back to the card reloads its lists, not the details typed into: a save must
    still be based on the version the details came from, or it would overwrite theirs."""
    form = FORMS["partner"]
    before = _row(shared_url, form)
    app_a, app_b = CrmApp(shared_url, language="en"), CrmApp(shared_url, language="en")
    async with app_a.run_test(size=SIZE) as pa, app_b.run_test(size=SIZE) as pb:
        screen_a = await _open(pa, form)
        screen_b = await _open(pb, form)
        _type(screen_a, "details-name", "A's name")
        await pa.press("ctrl+s")
        await wait_until(pa, lambda: _row(shared_url, form)["version"] > before["version"],
                         what="A's save")
        screen_b.on_screen_resume()  # as when a contact form over it closes
        await wait_until(pb, lambda: screen_b.view.version > before["version"],
                         what="the lists reloaded")
        _type(screen_b, "details-comment", "B's comment")
        dialog = await _save_and_wait_dialog(pb)
        assert dialog.shown.clashes == []
        await pb.click("#merge")
        await wait_until(pb, lambda: _row(shared_url, form)["version"] > before["version"] + 1,
                         what="B's merged save")
    after = _row(shared_url, form)
    assert (after["name"], after["comment"]) == ("A's name", "B's comment")
