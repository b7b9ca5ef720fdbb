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


def _set_partner_manager(office: Office, partner: str, who: str) -> None:
    admin = create_engine(office.url, isolation_level="AUTOCOMMIT")
    try:
        _run(admin, "UPDATE partner SET manager_id = (SELECT id FROM app_user WHERE login = :l) "
                    "WHERE key = :p", l=office.login(who), p=partner)
    finally:
        admin.dispose()


def test_agreements_follow_their_partner_and_typical_ones_the_supervisors(
        office: Office) -> None:
    """An individual agreement is written by its partner's manager, a typical one only by
    supervisors and administrators (as repo_agreements.check_can_write) — payment lines too."""
    _set_partner_manager(office, "P00001", "boris")
    alice, boris, olga = (office.engine_as(who) for who in ("alice", "boris", "olga"))
    try:
        assert _run(alice, "UPDATE agreement SET name = 'x' WHERE key = 'A0002'") == 0
        assert _run(alice, "DELETE FROM agreement_payment WHERE agreement_id = "
                           "(SELECT id FROM agreement WHERE key = 'A0002')") == 0
        assert _run(alice, "UPDATE agreement SET name = 'x' WHERE key = 'A0001'") == 0
        with pytest.raises(DBAPIError, match="row-level security"):
            _run(alice, "INSERT INTO agreement (key, kind, name, status, version) "
                        "VALUES ('A-evil', 'typical', 'x', 'active', 1)")
        assert _run(boris, "UPDATE agreement SET name = 'Boris terms' WHERE key = 'A0002'") == 1
        assert _run(boris, "UPDATE agreement_payment SET percent = percent WHERE agreement_id = "
                           "(SELECT id FROM agreement WHERE key = 'A0002')") >= 1
        assert _run(boris, "UPDATE agreement SET name = 'x' WHERE key = 'A0001'") == 0
        assert _run(olga, "UPDATE agreement SET name = name WHERE key = 'A0001'") == 1
    finally:
        for engine in (alice, boris, olga):
            engine.dispose()


def test_history_and_key_counters_cannot_be_rewritten(office: Office) -> None:
    """The change history is appended to as oneself only; key counters only move forward;
    even an administrator's role cannot rewrite history."""
    alice, olga = office.engine_as("alice"), office.engine_as("olga")
    me = office.login("alice")
    insert = ("INSERT INTO change_log (at, user_login, entity, record_key, action) "
              "VALUES (now(), :who, 'deal', 'D-1', 'update')")
    try:
        assert _run(alice, insert, who=me) == 1
        with pytest.raises(DBAPIError, match="row-level security"):
            _run(alice, insert, who=office.login("boris"))
        for engine in (alice, olga):
            with pytest.raises(DBAPIError, match="permission denied"):
                _run(engine, "UPDATE change_log SET user_login = 'nobody'")
            with pytest.raises(DBAPIError, match="permission denied"):
                _run(engine, "DELETE FROM change_log")
        _run(alice, "INSERT INTO key_sequence (entity, next_value) VALUES ('deal', 1) "
                    "ON CONFLICT (entity) DO NOTHING")
        assert _run(alice, "UPDATE key_sequence SET next_value = next_value + 1 "
                           "WHERE entity = 'deal'") == 1
        with pytest.raises(DBAPIError, match="only move forward"):
            _run(alice, "UPDATE key_sequence SET next_value = 1 WHERE entity = 'deal'")
        with pytest.raises(DBAPIError, match="permission denied"):
            _run(alice, "DELETE FROM key_sequence")
    finally:
        alice.dispose()
        olga.dispose()


def test_the_app_saves_for_a_manager_under_the_rules(office: Office) -> None:
    """Through the app, a manager's saves (with their history rows and new keys) pass the
    server's rules: a new interaction, and an individual agreement of her partner."""
    from datetime import datetime

    from crm_tui.domain.agreements import AgreementDraft, PaymentLine
    from crm_tui.domain.interactions import InteractionDraft
    from crm_tui.store.audit import history
    from crm_tui.store.repo_agreements import create_agreement
    from crm_tui.store.repo_interactions import create_interaction

    _set_partner_manager(office, "P00002", "alice")
    set_login_for_tests(office.login("alice"))
    database = Database.open(office.url_as("alice"))
    try:
        with database.write() as session:
            key = create_interaction(session, InteractionDraft(
                kind="call", topic="Server rules", at=datetime(2026, 12, 3, 10, 0),
                partner_key="P00002", manager_login=office.login("alice")))
            agreement = create_agreement(session, AgreementDraft(
                name="Alice's terms", kind="individual", partner_key="P00002",
                schedule=(PaymentLine(100, 0),)))
        with database.read() as session:
            assert history(session, "interaction", key)[0].user == office.login("alice")
            assert history(session, "agreement", agreement)
    finally:
        database.close()
