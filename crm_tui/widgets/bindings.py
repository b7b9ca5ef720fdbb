"""What every node's bindings get when it is made: translated descriptions, and each
single-character key also on the key in the same place of the Russian ЙЦУКЕН layout
(a Russian manager presses "ц" for "w" without switching layouts; issue 22 §3).

Descriptions are declared as English source strings (marked with N_) because class bodies
run before the language is chosen. `translate_bindings(node)` is called by the screen bases
(screens/shell/base.py), by the app and by widgets or dialogs with bindings of their own."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from crm_tui import tui_compat
from crm_tui.i18n import _

# Textual's key name of a character on the QWERTY (US) layout -> the key name of the
# character in the same place on the Russian ЙЦУКЕН layout. "/" (there: ".") is left out:
# "." is a key of its own in lists.
RUSSIAN_LAYOUT: dict[str, str] = {
    **dict(zip("qwertyuiopasdfghjklzxcvbnm", "йцукенгшщзфывапролдячсмить", strict=True)),
    "left_square_bracket": "х", "right_square_bracket": "ъ", "semicolon": "ж",
    "apostrophe": "э", "comma": "б", "full_stop": "ю", "grave_accent": "ё",
}
# Back from a Russian key to the key it mirrors (for showing "w/ц").
MIRRORED = {russian: latin for latin, russian in RUSSIAN_LAYOUT.items()}


def with_russian_layout(bindings: Iterable[Binding]) -> Iterator[Binding]:
    """The bindings, each one with a single-character key followed by a copy of it on the
    Russian layout's key in the same place (same action, id and description)."""
    bindings = list(bindings)
    taken = {binding.key for binding in bindings}
    for binding in bindings:
        yield binding
        russian = RUSSIAN_LAYOUT.get(binding.key)
        # A node that binds the Russian key itself keeps its own meaning for it (and a
        # second call adds nothing).
        if russian is not None and russian not in taken:
            yield replace(binding, key=russian, key_display=russian)


def translate_bindings(node: DOMNode) -> None:
    """Translate the node's binding descriptions and tooltips into the UI language, and add
    the Russian layout's keys (see with_russian_layout)."""
    translated = [
        replace(binding,
                description=_(binding.description) if binding.description else "",
                tooltip=_(binding.tooltip) if binding.tooltip else "")
        for binding in tui_compat.node_bindings(node)
    ]
    tui_compat.set_node_bindings(node, with_russian_layout(translated))


def key_with_mirror(key: str, display: str) -> str:
    """How help shows a key: "w/ц" for a key that has a Russian twin, else `display`."""
    russian = RUSSIAN_LAYOUT.get(key)
    return f"{display}/{russian}" if russian else display
