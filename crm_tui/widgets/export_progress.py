"""A line above the key bar while an export is written in a worker: what is being written,
and a bar of the rows written so far (pulsing when the total is not known). The screen
mounts it when the export starts and removes it when the export ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

if TYPE_CHECKING:
    from textual.screen import Screen


class ExportProgress(Horizontal):
    """`advance_to(rows)` moves the bar; call it on the event loop (call_from_thread)."""

    DEFAULT_CSS = """
    ExportProgress {
        dock: bottom; height: 1; width: 1fr; margin-bottom: 1; padding: 0 1;
        background: $panel;
    }
    ExportProgress > Label { width: auto; margin-right: 2; }
    """

    def __init__(self, description: str, total: int | None = None) -> None:
        super().__init__()
        self.description = description
        self.bar = ProgressBar(total=total, show_eta=False)

    def compose(self) -> ComposeResult:
        yield Label(Text(self.description))
        yield self.bar

    def advance_to(self, rows: int) -> None:
        self.bar.update(progress=rows)


@contextmanager
def export_progress(screen: Screen[Any], description: str,
                    total: int | None = None) -> Iterator[Callable[[int], None]]:
    """For a worker thread writing an export: an ExportProgress shows on `screen` while the
    block runs; the function given moves its bar to the rows written (from the worker)."""
    app = screen.app
    bar = ExportProgress(description, total)

    def show() -> None:
        screen.mount(bar)

    def hide() -> None:
        bar.remove()

    app.call_from_thread(show)
    try:
        yield lambda rows: app.call_from_thread(bar.advance_to, rows)
    finally:
        app.call_from_thread(hide)
