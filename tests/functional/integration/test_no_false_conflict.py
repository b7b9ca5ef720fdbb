"""Issue 20 §2: an action that writes before or after a save (send, post, attach) never
leaves the form with a stale version, so the next Ctrl+S does not conflict with itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text
from textual.widgets import Input, Select, TextArea

from crm_tui.app import CrmApp
from crm_tui.screens.claims.form import ClaimFormScreen
from crm_tui.screens.claims.form_files import ClaimFiles
from crm_tui.screens.interactions.form import InteractionFormScreen
from crm_tui.widgets.conflict_dialog import ConflictDialog
from tests.functional.integration.test_two_users_merge import SIZE, shared_url  # noqa: F401
from tests.support.screen import settle, wait_for_database, wait_until


def _rows(app: Any, sql: str) -> list[Any]:
    with app.db.read() as session:
        return list(session.execute(text(sql)).all())


async def test_a_failed_send_then_save_is_no_conflict(shared_url: str) -> None:  # noqa: F811
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await settle(pilot)
        form = InteractionFormScreen(partner_key="P00004", subject=("deal", "D000001"))
        app.push_screen(form)
        await wait_until(pilot, lambda: form._opened is not None)
        form.query_one("#if-kind", Select).value = "email"
        form.query_one("#if-direction", Select).value = "outgoing"
        form.query_one("#if-topic", Input).value = "Offer"
        form.query_one("#if-to", Input).value = "buyer@example.ru"
        await pilot.pause()
        await pilot.press("ctrl+t")  # saved, then the send fails: no SMTP server set
        await wait_until(pilot, lambda: "SMTP" in str(form.query_one("#if-error").render()))
        assert app.screen is form and form.interaction_key is not None
        assert not form.has_unsaved_changes()
        form.query_one("#if-text", TextArea).text = "Our offer is attached."
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not form
                         or isinstance(app.screen, ConflictDialog))
        assert not isinstance(app.screen, ConflictDialog)
        saved = _rows(app, "SELECT key, text, version FROM interaction WHERE topic = 'Offer'")
    # saved once by Ctrl+T (the Message-ID may be recorded before the send fails), then
    # updated by Ctrl+S: one interaction, with the text typed after the failed send
    assert [row[1] for row in saved] == ["Our offer is attached."] and saved[0][2] >= 2


async def test_a_refused_post_then_save_is_no_conflict(shared_url: str) -> None:  # noqa: F811
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await settle(pilot)
        form = ClaimFormScreen(claim_key="CL00001")
        app.push_screen(form)
        await wait_until(pilot, lambda: form.base is not None and not form._loading)
        form.query_one("#claim-description", TextArea).text = "Changed before posting"
        await pilot.press("f9")  # an open claim cannot be posted: nothing is written
        await wait_until(pilot, lambda: str(form.query_one("#claim-error").render()) != "")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _rows(app, "SELECT description FROM claim WHERE key = "
                                              "'CL00001'")[0][0] == "Changed before posting"
                         or isinstance(app.screen, ConflictDialog))
        assert not isinstance(app.screen, ConflictDialog)


async def test_attaching_then_saving_is_no_conflict(shared_url: str,  # noqa: F811
                                                    tmp_path: Path) -> None:
    attachment = tmp_path / "act.txt"
    attachment.write_text("акт", encoding="utf-8")
    app = CrmApp(shared_url, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_database(pilot)
        await settle(pilot)
        form = ClaimFormScreen(claim_key="CL00001")
        app.push_screen(form)
        await wait_until(pilot, lambda: form.base is not None and not form._loading)
        form.query_one("#claim-description", TextArea).text = "Changed with a file"
        form.query_one(ClaimFiles).attach("CL00001", str(attachment))
        await wait_until(pilot, lambda: len(_rows(
            app, "SELECT a.id FROM attachment a JOIN claim c ON c.id = a.claim_id "
                 "WHERE c.key = 'CL00001'")) == 2)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: _rows(app, "SELECT description FROM claim WHERE key = "
                                              "'CL00001'")[0][0] == "Changed with a file"
                         or isinstance(app.screen, ConflictDialog))
        assert not isinstance(app.screen, ConflictDialog)
