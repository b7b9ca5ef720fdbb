"""Allow `python -m crm_tui`."""

from crm_tui.cli.main import main

raise SystemExit(main())
