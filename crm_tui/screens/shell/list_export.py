"""Any list of the app out to a spreadsheet (Ctrl+X or the palette): the focused list, or
the one the screen shows, with its columns and every row of its source — the filter,
search and sort on screen, all pages, not only those read so far. Written in a worker by
`reports.list_export`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crm_tui.domain import clock
from crm_tui.domain.errors import DomainError
from crm_tui.i18n import _, current_language
from crm_tui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from textual.screen import Screen


def shown_list(screen: Screen[object]) -> VirtualList | None:
    """The focused list, else the first list on screen that has rows to give."""
    if isinstance(screen.focused, VirtualList) and screen.focused.source is not None:
        return screen.focused
    for candidate in screen.query(VirtualList):
        if candidate.display and candidate.source is not None:
            return candidate
    return None


def export_list(screen: Screen[object]) -> None:
    """Ask where, then write the list in a worker and say how many rows went out."""
    from crm_tui.reports.list_export import all_rows, check_path
    from crm_tui.screens.shell.export_dialog import ExportDialog, ExportError, check_destination

    # A screen whose list is not a VirtualList (the deals board) gives its rows itself.
    provider = getattr(screen, "export_rows", None)
    given = provider() if provider is not None else None
    count_rows: Callable[[], int | None] = lambda: None  # noqa: E731 - unknown by default
    if given is not None:
        headers, make_rows = given
    else:
        listing = shown_list(screen)
        if listing is None or listing.source is None:
            screen.notify(_("No list to export here"), severity="warning", markup=False)
            return
        source, headers = listing.source, [c.title for c in listing.columns]

        def make_rows() -> Iterable[Sequence[str]]:
            return all_rows(lambda offset, limit: [r.cells for r in source.fetch(offset, limit)])

        count_rows = source.count
    name = str(getattr(screen, "SECTION", "") or "list")
    default = Path.cwd() / f"{name}-{clock.now():%Y-%m-%d}.xlsx"

    def check(path: Path) -> None:
        try:
            check_path(path)
        except DomainError as error:
            raise ExportError(str(error)) from error

    def write(path: Path, overwrite: bool) -> None:
        from crm_tui.reports.list_export import counting, write_list
        from crm_tui.widgets.export_progress import export_progress

        try:
            check_destination(path, overwrite)
            # A bar of the rows written, above the key bar, while the worker writes them.
            with export_progress(screen, _("Exporting the list to {path}").format(path=path),
                                 count_rows()) as advance:
                count = write_list(path, headers, counting(make_rows(), advance), language)
        except (ExportError, DomainError) as error:
            screen.app.call_from_thread(screen.notify, str(error), severity="error",
                                        markup=False)
            return
        except OSError as error:
            screen.app.call_from_thread(
                screen.notify, _("Cannot write {path}: {error}").format(
                    path=path, error=error.strerror or error), severity="error", markup=False)
            return
        screen.app.call_from_thread(screen.notify, _("Rows exported: {count} to {path}").format(
            count=count, path=path), markup=False)

    language = current_language()

    def chosen(answer: tuple[Path, bool] | None) -> None:
        if answer is not None:
            screen.run_worker(lambda: write(*answer), thread=True, group="list-export",
                              exclusive=True)

    screen.app.push_screen(ExportDialog(default, title=_("Export the list"),
                                        prompt=_("File (.csv or .xlsx):"), check=check), chosen)
