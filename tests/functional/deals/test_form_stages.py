"""Pilot: stage control inside the deal form — the stage bar's moves under the board's rules,
refusals explained, a closed deal read-only until reopened, and the kind's change."""

from __future__ import annotations

from textual.widgets import OptionList, Select, Static, TabPane

from crm_tui.app import CrmApp
from crm_tui.screens.deals.form import DealFormScreen
from crm_tui.screens.deals.loss_reason_dialog import LossReasonDialog, StageDialog
from crm_tui.store.database import Database
from crm_tui.store.repo_deals_form import DealDetail, load_deal
from crm_tui.widgets.deal_stage_bar import DealStageBar
from tests.support.screen import wait_until


def _read(url: str, key: str) -> DealDetail:
    database = Database.open(url)
    try:
        with database.read() as s:
            return load_deal(s, key)
    finally:
        database.close()


async def _form(app: CrmApp, pilot, key: str) -> DealFormScreen:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: app.db is not None)
    form = DealFormScreen(key)
    await app.push_screen(form)
    await wait_until(pilot, lambda: form.detail is not None and form.choices is not None)
    await pilot.pause()
    return form


def _summary(form: DealFormScreen) -> str:
    return str(form.query_one("#stage-summary", Static).render())


async def _press(pilot, form: DealFormScreen, button: str) -> None:  # type: ignore[no-untyped-def]
    form.query_one(f"#{button}").press()
    await pilot.pause()


async def test_manual_kind_moves_next_previous_and_any_stage(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _form(app, pilot, "D4")  # project (manual), at Lead
        assert form.query_one(DealStageBar).has_class("-shown")
        assert "Stage: Lead (1 of 3)" in _summary(form) and "Open" in _summary(form)
        await _press(pilot, form, "stage-next")
        await wait_until(pilot, lambda: _read(deals_url, "D4").stage == "Qualification")
        await wait_until(pilot, lambda: "Qualification (2 of 3)" in _summary(form))
        await _press(pilot, form, "stage-choose")
        await wait_until(pilot, lambda: isinstance(app.screen, StageDialog))
        options = app.screen.query_one(OptionList)
        options.highlighted = 2  # Proposal
        await pilot.press("enter")
        await wait_until(pilot, lambda: _read(deals_url, "D4").stage == "Proposal")
        await wait_until(pilot, lambda: "Proposal (3 of 3)" in _summary(form))
        await _press(pilot, form, "stage-prev")
        await wait_until(pilot, lambda: _read(deals_url, "D4").stage == "Qualification")
        detail = _read(deals_url, "D4")
        assert [e.stage for e in detail.timeline] == ["Lead", "Qualification", "Proposal",
                                                     "Qualification"]
        await wait_until(pilot, lambda: form.version == detail.version)


async def test_strict_kind_refusals_are_explained(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _form(app, pilot, "D1")  # typical (strict), at Lead
        await _press(pilot, form, "stage-prev")
        await wait_until(pilot, lambda: "cannot go back" in form.last_error)
        await _press(pilot, form, "stage-win")
        await wait_until(pilot, lambda: "won only from the last stage" in form.last_error)
        await _press(pilot, form, "stage-choose")
        await wait_until(pilot, lambda: isinstance(app.screen, StageDialog))
        app.screen.query_one(OptionList).highlighted = 2  # Proposal: skips Qualification
        await pilot.press("enter")
        await wait_until(pilot, lambda: "only move to the next stage" in form.last_error)
        assert _read(deals_url, "D1").stage == "Lead"


async def test_edits_are_saved_before_a_move(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _form(app, pilot, "D4")
        form.query_one("#name").value = "Edited"  # type: ignore[attr-defined]
        await _press(pilot, form, "stage-next")
        await wait_until(pilot, lambda: "save or undo your changes" in form.last_error)
        assert _read(deals_url, "D4").stage == "Lead"


async def test_lost_deal_is_read_only_until_reopened(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _form(app, pilot, "D1")
        assert not form.query_one("#tab-main", TabPane).disabled
        await _press(pilot, form, "stage-lose")
        await wait_until(pilot, lambda: isinstance(app.screen, LossReasonDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: _read(deals_url, "D1").status == "lost")
        await wait_until(pilot, lambda: "Lost" in _summary(form))
        assert "Read-only until reopened" in _summary(form)
        assert form.query_one("#tab-main", TabPane).disabled
        assert form.query_one("#stage-reopen").display
        assert not form.query_one("#stage-win").display
        await pilot.press("ctrl+s")
        assert "reopen it to edit" in form.last_error
        await _press(pilot, form, "stage-reopen")
        await wait_until(pilot, lambda: _read(deals_url, "D1").status == "open")
        await wait_until(pilot, lambda: not form.query_one("#tab-main", TabPane).disabled)
        assert "Read-only" not in _summary(form)


async def test_kind_change_from_non_process_and_refused_with_history(deals_url: str) -> None:
    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _form(app, pilot, "D1")  # strict with a history
        form.query_one("#kind", Select).value = "project"
        await pilot.pause()
        error = str(form.query_one("#err-kind", Static).render())
        assert "stage history cannot change" in error
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "stage history cannot change" in form.last_error)
        assert _read(deals_url, "D1").draft.kind == "typical"
        app.pop_screen()
        form = await _form(app, pilot, "D5")  # non-process
        assert not form.query_one("#stage-next").display  # no stages: no moves
        form.query_one("#kind", Select).value = "typical"
        await pilot.pause()
        assert str(form.query_one("#err-kind", Static).render()) == ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _read(deals_url, "D5").draft.kind == "typical")
    detail = _read(deals_url, "D5")
    assert detail.stage == "Lead" and [e.stage for e in detail.timeline] == ["Lead"]


async def test_win_asks_once_showing_the_deal_then_wins(deals_url: str) -> None:
    """As on the board: the form's Win button asks (deal, partner, amount); Back keeps the
    deal open, the answer Win closes it as won."""
    from crm_tui.screens.deals.outcome_dialog import WinDialog

    app = CrmApp(deals_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        form = await _form(app, pilot, "D4")  # project (manual): may be won from any stage
        await _press(pilot, form, "stage-win")
        await wait_until(pilot, lambda: isinstance(app.screen, WinDialog))
        question = str(app.screen.query_one("#win-question", Static).render())
        assert "D4" in question and "Partner:" in question and "Amount:" in question
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is form)
        assert _read(deals_url, "D4").status == "open"
        await _press(pilot, form, "stage-win")
        await wait_until(pilot, lambda: isinstance(app.screen, WinDialog))
        await pilot.press("enter")
        await wait_until(pilot, lambda: _read(deals_url, "D4").status == "won")
