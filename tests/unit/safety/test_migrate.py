"""Schema upgrades: from the first revision through every later one with data intact; a
backup first; a failing upgrade leaves the database unchanged; batch rebuilds keep
ON DELETE CASCADE children."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from crm_tui.store import migrate
from crm_tui.store.engine import make_engine
from crm_tui.store.maintenance import check

FIRST_DATA = """
INSERT INTO app_user (id, login, name, role) VALUES (1, 'ivanov', 'Иванов', 'admin');
INSERT INTO classifier (id, kind, code, name, sort_order, archived)
    VALUES (1, 'stage', 'lead', 'Интерес', 10, 0), (2, 'claim_reason', 'late', 'Срок', 0, 0),
           (3, 'demand_reason', 'stock', 'Нет на складе', 0, 0);
INSERT INTO deal_kind (id, code, name, stage_control, sort_order, archived)
    VALUES (1, 'typical', 'Типовая', 'strict', 0, 0);
INSERT INTO deal_kind_stage (id, kind_id, position, stage_id) VALUES (1, 1, 1, 1);
INSERT INTO partner (id, key, name, roles, manager_id, version)
    VALUES (1, 'P1', '[/] Альфа', 1, 1, 3);
INSERT INTO deal (id, key, name, partner_id, kind_id, manager_id, amount_minor, created_at,
                  status, stage_id, stage_at, version)
    VALUES (1, 'D1', 'Сделка', 1, 1, 1, 12345, '2025-01-01 10:00:00.000000', 'open', 1,
            '2025-01-02 10:00:00.000000', 2);
INSERT INTO deal_stage_entry (id, deal_id, seq, stage_id, at)
    VALUES (1, 1, 1, 1, '2025-01-02 10:00:00.000000');
INSERT INTO deal_demand_reason (id, deal_id, seq, reason_id, description, amount_minor)
    VALUES (1, 1, 1, 3, 'Трубы', 500);
INSERT INTO claim (id, key, partner_id, reason_id, registered_at, description, status,
                   posted, source, version)
    VALUES (1, 'CL1', 1, 2, '2025-02-01 09:00:00.000000', 'Опоздали', 'open', 0, 'list', 1);
INSERT INTO claim_task (id, claim_id, seq, name, description, done)
    VALUES (1, 1, 1, 'Позвонить', '', 0);
INSERT INTO interaction (id, key, kind, topic, at, status, partner_id, subject_claim_id,
                         version)
    VALUES (1, 'I1', 'call', 'Звонок', '2025-02-02 10:00:00.000000', 'done', 1, 1, 1);
INSERT INTO change_log (id, at, user_login, entity, record_key, action)
    VALUES (1, '2025-01-01 10:00:00.000000', 'ivanov', 'partner', 'P1', 'insert');
"""
SNAPSHOT = {
    "partner": "SELECT key, name, roles, manager_id, version FROM partner",
    "deal": "SELECT key, amount_minor, status, stage_id, stage_at, version FROM deal",
    "deal_stage_entry": "SELECT deal_id, seq, stage_id, at FROM deal_stage_entry",
    "deal_demand_reason": "SELECT deal_id, seq, reason_id, description, amount_minor "
                          "FROM deal_demand_reason",
    "claim": "SELECT key, description, status, posted FROM claim",
    "claim_task": "SELECT claim_id, seq, name FROM claim_task",
    "interaction": "SELECT key, topic, subject_claim_id FROM interaction",
    "change_log": "SELECT user_login, entity, record_key, action FROM change_log",
}


def _snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return {name: connection.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}
    finally:
        connection.close()


def _schema(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")\
            .fetchall() + connection.execute("SELECT * FROM alembic_version").fetchall()
    finally:
        connection.close()


def _first_revision_database(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    connection = sqlite3.connect(path)
    connection.executescript(FIRST_DATA)
    connection.close()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_upgrade_from_first_revision_step_by_step(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _first_revision_database(path)
    before = _snapshot(path)
    engine = make_engine(f"sqlite:///{path}")
    revisions = _revisions()
    assert revisions[0] == "0001"
    for revision in revisions[1:]:
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
        assert _snapshot(path) == before
    assert check(engine) == []
    engine.dispose()


def test_open_upgrades_to_head_with_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _first_revision_database(path)
    before = _snapshot(path)
    engine = make_engine(f"sqlite:///{path}")
    created = migrate.ensure_schema(engine)
    assert created is False
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert _snapshot(path) == before
    assert check(engine) == []
    engine.dispose()
    if migrate.head_revision() != "0001":
        backups = list(tmp_path.glob("old.sqlite3.before-0001-*.bak"))
        assert len(backups) == 1
        assert _snapshot(backups[0]) == before


BROKEN = '''"""a revision that fails halfway"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deal") as batch:
        batch.add_column(sa.Column("broken", sa.Integer(), nullable=True))
    op.create_table("half_made", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE partner SET name = 'overwritten'")
    op.execute("DELETE FROM claim_task")
    {failure}


def downgrade() -> None:
    pass
'''


def _with_extra_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (scripts / "versions" / "9999_broken.py").write_text(
        BROKEN.format(head=head, failure=failure), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)


def _head_database(tmp_path: Path) -> Path:
    path = tmp_path / "data.sqlite3"
    _first_revision_database(path)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def test_failing_upgrade_leaves_database_unchanged(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = _head_database(tmp_path)
    before, schema = _snapshot(path), _schema(path)
    _with_extra_revision(tmp_path, monkeypatch, 'raise RuntimeError("migration bug")')
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(migrate.UpgradeError, match="migration bug"):
        migrate.ensure_schema(engine)
    with engine.connect() as connection:  # foreign keys are back on for this connection
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert _snapshot(path) == before
    assert _schema(path) == schema
    assert len(list(tmp_path.glob("data.sqlite3.before-*.bak"))) == 1


def test_batch_rebuild_keeps_cascade_children(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = _head_database(tmp_path)
    _with_extra_revision(tmp_path, monkeypatch, "")
    engine = make_engine(f"sqlite:///{path}")
    migrate.ensure_schema(engine)
    assert migrate.current_revision(engine) == "9999"
    engine.dispose()
    after = _snapshot(path)
    assert after["deal_stage_entry"] == [(1, 1, 1, "2025-01-02 10:00:00.000000")]
    assert after["partner"][0][1] == "overwritten"
    assert after["claim_task"] == []


def test_dangling_reference_after_upgrade_is_refused(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = _head_database(tmp_path)
    before = _snapshot(path)
    _with_extra_revision(tmp_path, monkeypatch, 'op.execute("DELETE FROM app_user")')
    engine = make_engine(f"sqlite:///{path}")
    with pytest.raises(migrate.UpgradeError, match="foreign key"):
        migrate.ensure_schema(engine)
    engine.dispose()
    assert _snapshot(path) == before


def test_demand_rows_become_unmet_lines(tmp_path: Path) -> None:
    """0013_deal: a demand reason written before stays an unmet line without an item."""
    path = tmp_path / "old.sqlite3"
    _first_revision_database(path)
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute(
            "SELECT reason_id, item, quantity_milli, price_minor, met FROM deal_demand_reason"
        ).fetchall() == [(3, None, None, None, 0)]
    finally:
        connection.close()
