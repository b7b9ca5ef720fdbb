"""The claim form: every entry point, the plan editor keys, outcome and posting."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from textual.widgets import DataTable, Input, Select, TextArea

from crm_tui.app import CrmApp
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.claims.plan import ClaimPlan
from crm_tui.store import repo_claims as repo
from crm_tui.store.audit import history
from crm_tui.widgets.conflict_dialog import ConflictDialog
from crm_tui.widgets.partner_picker import PartnerPicker
from crm_tui.widgets.unsaved import SaveChangesDialog
from tests.functional.claims.helpers import SIZE, prepare, wait_text, wait_until
from tests.support.screen import wait_for_database
from tests.unit.claims.helpers import HOSTILE, claim_record

INTERACTION = {"type": "interaction", "id": "I1", "kind": "call", "topic": "Angry call",
               "at": "2026-01-14T10:00", "status": "done", "partner": "P1"}


def form(app: Any) -> ClaimFormScreen:
    assert isinstance(app.screen, ClaimFormScreen), type(app.screen)
    return app.screen


async def open_form(pilot: Any, screen: ClaimFormScreen) -> ClaimFormScreen:
    pilot.app.push_screen(screen)
    await wait_until(pilot, lambda: screen.data is not None and not screen._loading)
    return screen


def claims(app: Any) -> list[Any]:
    with app.db.read() as session:
        return session.execute(text(
            "SELECT key, source, source_document, status, posted, description FROM claim "
            "ORDER BY id")).all()


async def fill(pilot: Any, screen: ClaimFormScreen, description: str = "Box broken") -> None:
    screen.query_one("#claim-reason", Select).value = "defect"
    area = screen.query_one("#claim-description", TextArea)
    area.focus()
    await pilot.press(*description)
    await pilot.pause()


async def test_new_claim_from_list_with_plan_editor_keys(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, partner_name=HOSTILE)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("5")
        await wait_text(pilot, "No claims")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ClaimFormScreen)
                         and app.screen.data is not None)
        screen = form(app)
        screen.query_one(PartnerPicker).choose("P1", HOSTILE)
        await fill(pilot, screen)
        plan = screen.query_one(ClaimPlan)
        plan.query_one(DataTable).focus()
        await pilot.press("n")  # add: nothing copied from the claim, which would go stale
        await pilot.pause()
        assert plan.query_one("#plan-description", Input).value == ""
        await pilot.press(*"Replace goods")
        plan.query_one("#plan-due", Input).value = "2026-01-10"
        plan.query_one("#plan-description", Input).value = "Send new boxes"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n", *"Call client", "enter")
        await pilot.pause()
        # What and when are mandatory: the message under the editor, the cursor in the field.
        await wait_text(pilot, "a task needs a description")
        assert plan.editing and plan.query_one("#plan-description", Input).has_focus
        await pilot.press(*"Tell the outcome", "enter")
        await wait_text(pilot, "a task needs a due date")
        assert plan.editing and plan.query_one("#plan-due", Input).has_focus
        await pilot.press(*"2026-01-20", "enter")
        await pilot.pause()
        assert [t.name for t in plan.tasks] == ["Replace goods", "Call client"]
        assert plan.tasks[1].assignee == "ivanov"  # the claim's manager by default
        assert plan.tasks[0].due == date(2026, 1, 10)
        assert "0 of 2" in str(plan.border_title)
        await pilot.press("ctrl+up")  # move "Call client" up
        assert [t.name for t in plan.tasks] == ["Call client", "Replace goods"]
        await pilot.press("space")  # done
        assert plan.tasks[0].done and "1 of 2" in str(plan.border_title)
        await pilot.press("down", "e")  # edit in place
        await pilot.pause()
        assert plan.query_one("#plan-name", Input).value == "Replace goods"
        await pilot.press("end", *" fast", "enter")
        await pilot.pause()
        assert plan.tasks[1].name == "Replace goods fast"
        overdue = plan.query_one(DataTable).get_row_at(1)[2]
        assert "!" in str(overdue) and "red" in str(overdue.style)
        await pilot.press("n", *"Throwaway")
        plan.query_one("#plan-due", Input).value = "2026-01-21"
        plan.query_one("#plan-description", Input).value = "x"
        await pilot.press("enter", "delete")
        await pilot.pause()
        assert len(plan.tasks) == 2
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.claim_key is not None and not screen.dirty)
        await wait_text(pilot, screen.claim_key or "?")
        rows = claims(app)
        assert rows[0][1] == "list" and rows[0][5] == "Box broken"
        with app.db.read() as session:
            view = repo.get_claim(session, rows[0][0])
        assert [(t.name, t.done) for t in view.tasks] == [("Call client", True),
                                                          ("Replace goods fast", False)]
        assert app.is_running
        await pilot.press("escape")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ClaimsScreen")
        await wait_text(pilot, "1 of 2")


async def test_outcome_and_posting(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, claim_record("CL-1"))
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = await open_form(pilot, ClaimFormScreen(claim_key="CL-1"))
        await pilot.press("f9")  # open: refused
        await wait_text(pilot, "open claim cannot be posted")
        screen.query_one("#claim-status", Select).value = "satisfied"
        screen.query_one("#claim-resolved", Input).value = "2026-01-15 10:00"
        await pilot.pause()
        await pilot.press("f9")
        await wait_text(pilot, "needs the resolution details")
        screen.query_one("#claim-resolution", TextArea).text = "Goods replaced"
        await pilot.pause()
        await pilot.press("f9")
        await wait_until(pilot, lambda: screen.posted)
        await wait_text(pilot, "POSTED")
        assert screen.query_one("#claim-description", TextArea).disabled
        assert claims(app)[0][3:5] == ("satisfied", 1)
        await pilot.press("ctrl+s")
        await wait_text(pilot, "read-only")
        plan = screen.query_one(ClaimPlan)
        plan.query_one(DataTable).focus()
        await pilot.press("n")
        assert not plan.editing
        await pilot.press("f9")  # un-post
        await wait_until(pilot, lambda: not screen.posted and not screen._loading)
        assert not screen.query_one("#claim-description", TextArea).disabled
        with app.db.read() as session:
            actions = [e.action for e in history(session, "claim", "CL-1")]
        assert actions[:2] == ["unpost", "post"] and "update" in actions


async def test_from_discrepancy_act(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await pilot.press("5")
        await wait_text(pilot, "No claims")
        await pilot.press("a")
        await wait_text(pilot, "Act number")
        await pilot.press(*"17", "enter")
        app.screen.query_one("#act-date", Input).value = "09.01.2026"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ClaimFormScreen)
                         and app.screen.data is not None)
        screen = form(app)
        await wait_text(pilot, "№ 17 of 09.01.2026")
        screen.query_one(PartnerPicker).choose("P2", "Beta")
        await fill(pilot, screen, "Short delivery")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(claims(app)))
        assert claims(app)[0][1:3] == ("discrepancy_act", "№ 17 of 09.01.2026")


async def test_from_partner_card(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = await open_form(pilot, ClaimFormScreen(partner_key="P1", source="partner"))
        await wait_until(pilot, lambda: screen.query_one(PartnerPicker).partner_name == "Acme")
        await fill(pilot, screen)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(claims(app)))
        assert claims(app)[0][1] == "partner"


async def test_from_interaction_joins_chain(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, INTERACTION)
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = await open_form(pilot, ClaimFormScreen(source="interaction",
                                                        interaction_key="I1"))
        assert screen.query_one(PartnerPicker).partner_key == "P1"
        assert "Angry call" in screen.query_one("#claim-description", TextArea).text
        screen.query_one("#claim-reason", Select).value = "late"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(claims(app)))
        await wait_text(pilot, "interactions: 1")
        with app.db.read() as session:
            subject = session.execute(text(
                "SELECT c.key FROM interaction i JOIN claim c ON c.id = i.subject_claim_id "
                "WHERE i.key = 'I1'")).scalar()
        assert claims(app)[0][1] == "interaction" and subject == claims(app)[0][0]


async def test_conflict_dialog_and_unsaved_question(db_url: str, fixed_now: datetime) -> None:
    prepare(db_url, claim_record("CL-1"))
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        screen = await open_form(pilot, ClaimFormScreen(claim_key="CL-1"))
        with app.db.write() as session:  # someone else saves first
            view = repo.get_claim(session, "CL-1")
            repo.update_claim(session, "CL-1", view.version, repo.ClaimDraft(
                "P1", "late", view.registered_at, "Their text", manager="ivanov",
                tasks=view.tasks))
        screen.query_one("#claim-description", TextArea).text = "My text"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        assert ("Description", "Their text", "My text") in app.screen.changes
        await pilot.press("escape")  # back to my edit
        await pilot.pause()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveChangesDialog))
        await pilot.press("escape")  # cancel: stay
        await wait_until(pilot, lambda: isinstance(app.screen, ClaimFormScreen))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictDialog))
        await pilot.click("#clash-0-mine")
        await pilot.click("#merge")
        await wait_until(pilot, lambda: claims(app)[0][5] == "My text")
