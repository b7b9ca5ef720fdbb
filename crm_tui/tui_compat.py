"""Every Textual internal the app relies on, in one place (Textual 8.2.8).

Private names and monkeypatches break silently on an upgrade: styles, keys or frames go wrong
without an error. Each one lives here with the defect it works around and what it saves, and
tests/unit/test_tui_compat.py pins each name and behaviour and the Textual version, so that
an upgrade fails in that one file. Measure with benchmarks/compat.py (`--without NAME`); a
workaround whose gain can no longer be measured goes.

Measured with benchmarks/compat.py (December 2026, small demo database, event-loop CPU time,
medians of 3 runs x 8 sections; before the sections' CSS moved into .tcss files):

                                    first opening of a section   search keystroke
  all workarounds                   38 ms                        8.4 ms
  without the screen restyle skip   87 ms                        8.7 ms
  without the ScreenResume skip     40 ms                        7.8 ms
  without the CSS parse cache       36 ms                        6.3 ms
  without the Input layout skip     40 ms                        10.2 ms
After the move to .tcss (this module as it is):  126 ms; without the CSS parse cache 149 ms;
without the Input layout skip, a search keystroke 9.5 ms instead of 7.4 ms.

Worked around with public names only, elsewhere (the defect pinned in the same test file):
- widgets/table_fill.py: a DataTable's automatic column widths are computed on its idle, and
  a frame drawn before it stays cached with header-wide columns (the history showed "2026"
  and "pet"); fill_table gives every column its width up front.

Removed:
- Marking a new section screen as styled (`screen._css_update_count = app._css_update_count`)
  so that Textual skipped `App.refresh_css()` on its first switch. It made the Home screen's
  text invisible in a real terminal: Textual composes the first mode's screen before it
  styles the App node, and the refresh it skipped is what gives the App its
  `color: $foreground` and restyles the screen under it; the screen's widgets kept a
  transparent text colour and were drawn in their background colour. It saved ~50 ms of a
  section's first opening (Textual refreshes twice, in `_init_mode` and `switch_mode`, and
  each refresh re-parses every CSS source: `set_variables` clears the parse cache).
- Skipping the restyle of a section screen's first ScreenResume (an `_on_screen_resume`
  override that depended on Textual calling it before Screen's own): no measurable gain.
- The frame hold's `App._begin_batch()`/`_end_batch()`: the public `App.batch_update()`
  context manager, held open by an ExitStack, does the same (widgets/frame_hold.py).
- (Tried on the small demo set, not kept then: reading every section's .tcss while idle,
  137 ms against 140 ms. Measured again on the huge set after the first-frame work, it is
  kept: see `screen_css_paths` and CrmApp._read_sections_css.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import Binding, BindingsMap
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import OptionList

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen
    from textual.widgets import Select

TEXTUAL_VERSION = "8.2.8"

# The workarounds that benchmarks/compat.py can switch off (`--without NAME`), to measure.
WORKAROUNDS = ("css-parse-cache", "input-no-layout", "styled-screen")
_disabled: set[str] = set()
_installed = False


def disable(name: str) -> None:
    """Leave a workaround out (benchmarks only; call before the app is made)."""
    if name not in WORKAROUNDS:
        raise ValueError(f"unknown workaround {name!r}; known: {', '.join(WORKAROUNDS)}")
    _disabled.add(name)


# ---------------------------------------------------------------------------- bindings
# Textual has no public way to change a node's bindings after its class is made. Binding
# descriptions are English source strings (class bodies run before the language is chosen),
# translated per node when it is made: `DOMNode._bindings` is the node's own BindingsMap.


def node_bindings(node: DOMNode) -> Iterable[Binding]:
    """The bindings declared by a node (its class's BINDINGS, as Textual merged them)."""
    for bindings in node._bindings.key_to_bindings.values():
        yield from bindings


def set_node_bindings(node: DOMNode, bindings: Iterable[Binding]) -> None:
    """Replace a node's bindings (Textual reads them on every key and footer refresh)."""
    node._bindings = BindingsMap(bindings)


def reset_app_bindings(app: App[Any]) -> None:
    """Back to the app's bindings as declared (English), before translating them again in
    another language. Textual keeps them merged with its own in `App._merged_bindings`."""
    merged = app._merged_bindings
    if merged:
        app._bindings = merged.copy()


def map_bindings(node: DOMNode, change: Callable[[Binding], Binding]) -> None:
    set_node_bindings(node, [change(binding) for binding in node_bindings(node)])


# ---------------------------------------------------------------------------- widgets


def select_prompt(select: Select[Any]) -> str:
    """The label of a Select's chosen option ("" when none). Textual keeps the options only
    in the private `Select._options` (prompt, value) list."""
    return next((str(prompt) for prompt, value in select._options if value == select.value), "")


class SteadyOptionList(OptionList):
    """An OptionList that keeps its rendered options when a Resize leaves its width as it was.

    Costly behaviour: OptionList drops every rendered option and measured line on each Resize
    (`OptionList._on_resize` -> `_clear_caches`), and a new list gets its first Resize after it
    was first drawn (the size it was laid out with, 0 -> its region), so every new list
    renders all its visible options twice and draws one more frame. The cache is dropped here
    only when the width it was made at differs from the list's width now (lines and options
    depend on the width alone). The list reserves its scroll bar's column
    (`scrollbar-gutter: stable`) so that the bar appearing does not change that width either.
    Measured on the huge demo set (the Settings section, 30 visible options): option renders
    60 -> 30 on its first opening, one frame fewer."""
    DEFAULT_CSS = "SteadyOptionList { scrollbar-gutter: stable; }"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._widths_cached: set[int] = set()

    def _update_lines(self) -> None:
        if self.scrollable_content_region:
            self._widths_cached.add(self.scrollable_content_region.width)
        super()._update_lines()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._widths_cached.add(self.scrollable_content_region.width)
        return super().render_lines(crop)

    def on_resize(self, event: events.Resize) -> None:
        if self._widths_cached <= {self.scrollable_content_region.width}:
            event.prevent_default()  # OptionList's own handler would drop the caches
        else:
            self._widths_cached.clear()


# ---------------------------------------------------------------------------- command palette


def command_palette(placeholder: str, no_matches: str) -> Screen[Any]:
    """Textual's command palette with its two words in the UI language: the input's
    placeholder (a public argument) and "No matches found", which Textual writes in English
    inside `CommandPalette._start_no_matches_countdown` (no public way to change it). The
    override is that method as Textual 8.2.8 has it, with the text given."""
    from rich.align import Align
    from rich.text import Text
    from textual.command import CommandList, CommandPalette
    from textual.widgets.option_list import Option

    class TranslatedPalette(CommandPalette):
        def _start_no_matches_countdown(self, search_value: str) -> None:
            self._stop_no_matches_countdown()

            def show_no_matches() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(Option(
                        Align.center(Text(no_matches, style="not bold")),
                        disabled=True, id=self._NO_MATCHES))
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN,
                                                    show_no_matches)

    return TranslatedPalette(placeholder=placeholder, id="--command-palette")


# ---------------------------------------------------------------------------- CSS

# Textual's Stylesheet keeps 64 parsed CSS sources (`Stylesheet._parse_cache`, an LRUCache)
# and re-parses all sources whenever a widget class or screen brings new CSS. With more
# sources than that, every new screen re-parsed most of them.
CSS_PARSE_CACHE = 1024


def mark_styled(screen: Screen[Any], app: App[Any], *, first: bool = False) -> None:
    """Costly behaviour: a new mode's screen is restyled with the whole app's CSS when it is
    first switched to (`App.refresh_css` on `Screen._css_update_count` lagging the app's),
    though its widgets were styled as they mounted: tens of ms per first opening of a
    section (benchmarks/compat.py, CPU of the event loop: ~90 -> ~40 ms).

    The `first` screen (the home screen, made before the first frame) is made before Textual
    has styled the App node, and that restyle is what gave the App its `color: $foreground`:
    skipped alone, every label was drawn in its background colour (issue 22;
    tests/e2e/test_legible.py). So the App node is styled here first (`Stylesheet.update`,
    the restyle's own last step for it), and the restyle's re-parse of every CSS source is
    spared too: the first frame took 1,150 M instructions with it, 1,100 M without, against
    954 M for a bare Textual app (valgrind --tool=callgrind, benchmarks/compat.py's note)."""
    if "styled-screen" in _disabled:
        return
    if first:
        app.stylesheet.update(app)
    screen._css_update_count = app._css_update_count


def enlarge_css_parse_cache(app: App[Any]) -> None:
    """Keep every parsed CSS source: with more than 64 sources (this app has about 100),
    Textual's least-recently-used cache re-parsed nearly all of them each time a new widget
    class or screen brought CSS. Measured: a section's first opening 126 ms with it, 149 ms
    without (before the move to .tcss files it made no difference: 38 against 36 ms)."""
    if "css-parse-cache" in _disabled:
        return
    app.stylesheet._parse_cache.maxsize = CSS_PARSE_CACHE


def screen_css_paths(screen_class: type[Screen[Any]]) -> list[Path]:
    """The stylesheet files a screen of this class brings, as Textual names them when it
    loads them (`Screen.css_path`: CSS_PATH relative to the class's module file, resolved),
    so that the app can read them before the screen exists (CrmApp._read_sections_css:
    a section's first opening re-parsed every CSS source of the app, 60-80 ms on the huge
    demo set). tests/unit/test_tui_compat.py compares them with a screen's own."""
    paths = screen_class.CSS_PATH
    listed = paths if isinstance(paths, list) else [] if paths is None else [paths]
    base = Path(inspect.getfile(screen_class)).parent
    return [(base / path).resolve() for path in map(Path, listed)]


# ---------------------------------------------------------------------------- monkeypatches


def install() -> None:
    """Apply the class patches below (once; CrmApp calls it before its first screen)."""
    global _installed
    if _installed:
        return
    _installed = True
    _guard_option_list_paging()
    if "input-no-layout" not in _disabled:
        _input_without_layout()


def _guard_option_list_paging() -> None:
    """Defect: Page Up/Down right after a Select's drop-down opens looks up lines that are
    not laid out yet (KeyError in `OptionList._move_page`) and the app crashes; a user can
    trigger it with ordinary keys. Guarded: move to the first/last option then."""
    from textual.widgets import OptionList

    original = OptionList._move_page

    def move_page(self: Any, direction: Any) -> None:
        try:
            original(self, direction)
        except (KeyError, IndexError):
            if direction > 0:
                self.action_last()
            else:
                self.action_first()

    move_page.__wrapped__ = original  # type: ignore[attr-defined]
    OptionList._move_page = move_page  # type: ignore[method-assign]


def _input_without_layout() -> None:
    """Costly behaviour: every keystroke in an Input sets its virtual size (the text's
    width), a reactive that asks for a layout of the whole screen and so redraws all of it.
    An input is one line whose text scrolls inside it: its new virtual size (set before
    Textual's own `Input._watch_value`, which then finds it unchanged) only needs the input
    repainted. An input sized by its content still gets its layout from Textual.
    Measured: a search keystroke 7.4 ms of event-loop CPU with it, 9.5 ms without."""
    from textual.geometry import Size
    from textual.widgets import Input

    original = Input._watch_value

    def watch_value(self: Any, value: str) -> None:
        self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        original(self, value)
        self.refresh()

    watch_value.__wrapped__ = original  # type: ignore[attr-defined]
    Input._watch_value = watch_value  # type: ignore[method-assign]
