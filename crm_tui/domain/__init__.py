"""Pure domain rules: no Textual, no SQLModel, no SQLAlchemy (a test enforces it)."""
