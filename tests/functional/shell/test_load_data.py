"""CrmScreen.load_data: a read in a thread, the newest result shown, domain errors reported."""

from __future__ import annotations

import threading
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import WorkerState

from crm_tui.app import CrmApp
from crm_tui.domain.errors import NotFoundError
from crm_tui.screens.shell.base import CrmScreen
from tests.support.screen import wait_for_database, wait_until


class Probe(CrmScreen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.threads: list[threading.Thread] = []

    def compose(self) -> ComposeResult:
        yield Static("")

    def show(self, value: str) -> None:
        self.shown.append(value)


async def test_only_the_newest_load_is_shown_and_errors_are_plain_notices(db_url: str) -> None:
    app = CrmApp(db_url, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for_database(pilot)
        probe = Probe()
        await app.push_screen(probe)
        release = threading.Event()

        def slow(session: Any) -> str:
            probe.threads.append(threading.current_thread())
            assert session.connection() is not None  # a real read session
            assert release.wait(30)
            return "old"

        first = probe.load_data(slow, probe.show)
        first_worker = next(w for w in app.workers if w.description == f"load show #{first}")
        probe.load_data(lambda _session: "new", probe.show)
        await wait_until(pilot, lambda: probe.shown == ["new"], what="the newer result")
        # A third load, still running when the first comes back at last: the first must not
        # pass for it (generations are never given twice).
        third = threading.Event()

        def later(_session: Any) -> str:
            assert third.wait(30)
            return "third"

        probe.load_data(later, probe.show)
        release.set()
        await wait_until(pilot, lambda: first_worker.state == WorkerState.SUCCESS,
                         what="the first load finished")  # its message is posted by then
        await pilot.pause()
        await pilot.pause()
        assert probe.shown == ["new"]
        third.set()
        await wait_until(pilot, lambda: probe.shown == ["new", "third"], what="the third")
        assert threading.main_thread() not in probe.threads
        plain = probe.load_plain(lambda connection: connection.exec_driver_sql(
            "select 40 + 2").scalar(), lambda answer: probe.show(str(answer)))
        assert plain > 3
        await wait_until(pilot, lambda: probe.shown[-1] == "42", what="a plain read")

        def missing(_session: Any) -> str:
            raise NotFoundError("[b]no such record[/b]")

        probe.load_data(missing, probe.show)
        await wait_until(pilot, lambda: any(
            str(n.message) == "[b]no such record[/b]" and not n.markup
            for n in app._notifications), what="the error shown as plain text")
        assert probe.shown == ["new", "third", "42"]
