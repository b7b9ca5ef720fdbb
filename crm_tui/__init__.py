"""crm-tui: a keyboard-driven CRM for the terminal."""

__version__ = "0.1.0"
