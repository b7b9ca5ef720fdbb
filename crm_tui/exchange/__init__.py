"""The JSON Lines exchange format: import, export, seed classifiers and demo data.

See docs/exchange-format.md. This package never imports textual."""
