"""The store: tables, engine and sessions, migrations, repositories. Never imports textual."""
