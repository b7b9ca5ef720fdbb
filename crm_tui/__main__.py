"""Allow `python -m crm_tui`."""

from crm_tui.cli import main

raise SystemExit(main())
