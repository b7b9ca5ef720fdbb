"""Holding the app's frames while an answer is on its way, so that a keystroke and its answer
are drawn in one frame.

A search keystroke would otherwise be drawn twice: the typed letter at once, then its results
a few milliseconds later. Drawing the letter costs the frame that the results then wait for,
and it delays the worker reading them (both want the interpreter). Held until the results are
in, the two come together, sooner than the results alone came before. A hold always ends: when
released, or after its longest wait, so that a slow or failed read never freezes the screen.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer


class FrameHold:
    """At most one hold on an app's frames at a time."""

    def __init__(self, app: App[object], longest: float) -> None:
        self.app = app
        self.longest = longest
        self._timer: Timer | None = None
        self._batch = ExitStack()

    @property
    def holding(self) -> bool:
        return self._timer is not None

    def hold(self) -> None:
        """Draw nothing until release() (or `longest` seconds after the first hold)."""
        if self._timer is not None:
            return
        # Textual's own batch (no frame is drawn while it is open), held open until release.
        self._batch.enter_context(self.app.batch_update())
        # On the app, not on a screen: a screen's timers stop with it, the app's do not.
        self._timer = self.app.set_timer(self.longest, self.release, name="frame-hold")

    def release(self) -> None:
        """Draw again (what changed meanwhile comes in the next frame)."""
        timer, self._timer = self._timer, None
        if timer is None:
            return
        timer.stop()
        self._batch.close()
