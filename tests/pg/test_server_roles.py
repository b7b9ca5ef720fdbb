"""On PostgreSQL the server enforces the roles (store/pg_roles.py): a manager's database
role cannot change settings, user roles or another manager's records even with raw SQL,
while the app keeps working for that manager."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from crm_tui.exchange.importer import import_file
from crm_tui.store.database import Database
from crm_tui.store.pg_roles import server_roles_sql
from crm_tui.store.users import ensure_current_user
from tests.conftest import small_jsonl_path
from tests.support.login import set_login_for_tests

PASSWORD = "roles-test"


@dataclass
class Office:
    prefix: str
    url: str
    deals: dict[str, int]  # manager login -> one of their deals

    def login(self, who: str) -> str:
        return f"{self.prefix}_{who}"

    def url_as(self, who: str) -> str:
        return make_url(self.url).set(username=self.login(who), password=PASSWORD) \
            .render_as_string(hide_password=False)

    def engine_as(self, who: str) -> Engine:
        return create_engine(self.url_as(who), isolation_level="AUTOCOMMIT")


def _run(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).rowcount


@pytest.fixture
def office(pg_db: Database) -> Iterator[Office]:
    """alice and boris (managers, one deal each), olga (administrator), carol (a manager
    with no user row yet), with the server roles applied."""
    prefix = f"crmroles{os.getpid()}"
    import_file(pg_db, small_jsonl_path())
    people = {"alice": "manager", "boris": "manager", "olga": "admin"}
    group = {"manager": f"{prefix}_managers", "admin": f"{prefix}_admins"}
    admin = create_engine(pg_db.url, isolation_level="AUTOCOMMIT")
    logins = [f"{prefix}_{who}" for who in (*people, "carol")]
    try:
        with admin.connect() as connection:
            for who, role in people.items():
                connection.execute(text(
                    "INSERT INTO app_user (login, name, role) VALUES (:login, :login, :role)"),
                    {"login": f"{prefix}_{who}", "role": role})
            deal_ids = [row[0] for row in connection.execute(
                text("SELECT id FROM deal ORDER BY id LIMIT 2"))]
            deals = {}
            for who, deal_id in zip(("alice", "boris"), deal_ids, strict=True):
                connection.execute(text(
                    "UPDATE deal SET manager_id = (SELECT id FROM app_user WHERE login = :l) "
                    "WHERE id = :d"), {"l": f"{prefix}_{who}", "d": deal_id})
                deals[who] = deal_id
            connection.exec_driver_sql(server_roles_sql(prefix))
            for who, role in (*people.items(), ("carol", "manager")):
                connection.exec_driver_sql(
                    f"CREATE ROLE {prefix}_{who} LOGIN PASSWORD '{PASSWORD}' IN ROLE {group[role]}")
        yield Office(prefix, pg_db.url, deals)
    finally:
        pg_db.close()
        with admin.connect() as connection:
            roles = [*logins, f"{prefix}_admins", f"{prefix}_supervisors", f"{prefix}_managers"]
            for role in roles:
                connection.exec_driver_sql(f"DROP OWNED BY {role}")
                connection.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


def test_manager_cannot_change_settings_roles_or_others_records(office: Office) -> None:
    alice = office.engine_as("alice")
    try:
        with pytest.raises(DBAPIError, match="permission denied"):
            _run(alice, "UPDATE setting SET value = '\"x\"'")
        with pytest.raises(DBAPIError, match="permission denied"):
            _run(alice, "INSERT INTO setting (key, value) VALUES ('smtp_host', '\"evil\"')")
        with pytest.raises(DBAPIError, match="permission denied"):
            _run(alice, "UPDATE app_user SET role = 'admin' WHERE login = :me",
                 me=office.login("alice"))
        with pytest.raises(DBAPIError, match="permission denied"):
            _run(alice, "UPDATE classifier SET name = 'x'")
        with pytest.raises(DBAPIError, match="row-level security"):
            _run(alice, "INSERT INTO app_user (login, name, role) VALUES ('x', 'x', 'admin')")
        boris_deal = office.deals["boris"]
        assert _run(alice, "UPDATE deal SET name = 'mine now' WHERE id = :d", d=boris_deal) == 0
        assert _run(alice, "UPDATE deal SET manager_id = NULL WHERE id = :d", d=boris_deal) == 0
        assert _run(alice, "DELETE FROM deal_stage_entry WHERE deal_id = :d", d=boris_deal) == 0
        assert _run(alice, "DELETE FROM deal WHERE id = :d", d=boris_deal) == 0
        with pytest.raises(DBAPIError, match="row-level security"):
            _run(alice, "UPDATE deal SET manager_id = (SELECT id FROM app_user WHERE login = :b) "
                        "WHERE id = :d", b=office.login("boris"), d=office.deals["alice"])
        # Her own deal, and reading everything, still work.
        assert _run(alice, "UPDATE deal SET name = 'renamed' WHERE id = :d",
                    d=office.deals["alice"]) == 1
        with alice.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM deal")).scalar() > 2
    finally:
        alice.dispose()
    boris = office.engine_as("boris")
    try:
        with boris.connect() as connection:
            assert connection.execute(text("SELECT name FROM deal WHERE id = :d"),
                                      {"d": office.deals["boris"]}).scalar() != "mine now"
    finally:
        boris.dispose()


def test_administrator_may_change_everything(office: Office) -> None:
    olga = office.engine_as("olga")
    try:
        assert _run(olga, "UPDATE deal SET name = 'checked' WHERE id = :d",
                    d=office.deals["boris"]) == 1
        assert _run(olga, "UPDATE app_user SET role = 'supervisor' WHERE login = :b",
                    b=office.login("boris")) == 1
        _run(olga, "UPDATE classifier SET name = name")
    finally:
        olga.dispose()


def test_the_app_works_for_a_new_manager(office: Office) -> None:
    set_login_for_tests(office.login("carol"))
    database = Database.open(office.url_as("carol"))
    try:
        with database.write() as session:
            assert ensure_current_user(session).role == "manager"
    finally:
        database.close()
