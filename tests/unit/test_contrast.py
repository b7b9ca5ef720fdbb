"""The contrast checker of the tmux legibility test (tests/e2e/test_legible.py)."""

from __future__ import annotations

from tests.support.contrast import unreadable


def test_the_checker_sees_text_drawn_in_its_background_colour() -> None:
    """The capture of the invisible home screen (256 colours and truecolor), and a legible one."""
    hidden = "\x1b[38;5;233m\x1b[48;5;233m1  Partners\x1b[0m"
    hidden_rgb = "\x1b[38;2;18;18;18m\x1b[48;2;18;18;18mPartners\x1b[0m"
    readable = "\x1b[38;5;254m\x1b[48;5;233m1  Partners\x1b[0m"
    assert len(unreadable(hidden)) == 9
    assert len(unreadable(hidden_rgb)) == 8
    assert unreadable(readable) == []
    # Reverse video swaps the colours; the terminal's own colours are light on dark.
    assert unreadable("\x1b[7mKeys\x1b[27m plain") == []
    assert len(unreadable("\x1b[38;5;16mdark on the terminal's black")) == 24
    # Colours carry over line ends, as tmux writes them.
    assert len(unreadable("\x1b[38;5;233m\x1b[48;5;233mab\ncd")) == 4
