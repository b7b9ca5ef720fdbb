"""crm-tui: a keyboard-driven CRM for the terminal."""

import os

__version__ = "0.1.0"

# Textual draws at most TEXTUAL_FPS frames a second (60 by default), and after a pause its
# next frame can come up to two frame periods late: at 60 a search result waited up to 33 ms
# for its frame (benchmarks/run.py). Frames are drawn only when something changed, so a
# higher limit costs nothing while idle. Set before Textual is imported; the user's own
# setting wins.
os.environ.setdefault("TEXTUAL_FPS", "240")
