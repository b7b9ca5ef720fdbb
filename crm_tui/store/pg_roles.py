"""Roles enforced by the PostgreSQL server, not only by the app: grants and row-level
security for three group roles (managers, supervisors, administrators), so that a
manager's database role cannot change settings, classifiers, user roles, another
manager's deals, claims and interactions (and their rows), the individual agreements of
another manager's partners, typical agreements, the change history or the key counters,
even with raw SQL. The rules are the app's own (store/permissions.py): partners and
contacts are the office's, edited by every manager, with each change in the history.

`crm db server-roles` prints the SQL; the schema owner runs it (docs/postgres.md) after
the schema exists and again after an upgrade that adds tables. Login roles are named as
the OS accounts (peer authentication) and as `app_user.login`, which is how a policy finds
"my" records: `manager_id = (SELECT id FROM app_user WHERE login = current_user)`."""

from __future__ import annotations

# Written only by administrators.
ADMIN_TABLES = ("classifier", "deal_kind", "deal_kind_stage", "setting")
# Rows owned through manager_id: a manager changes only their own (or ownerless) rows.
OWNED_TABLES = ("deal", "claim", "interaction")
# Rows belonging to an owned row: (table, column, owned table).
CHILD_TABLES = (
    ("deal_stage_entry", "deal_id", "deal"),
    ("deal_participant", "deal_id", "deal"),
    ("deal_contact", "deal_id", "deal"),
    ("deal_demand_reason", "deal_id", "deal"),
    ("claim_task", "claim_id", "claim"),
    ("attachment", "claim_id", "claim"),
    ("interaction_attachment", "interaction_id", "interaction"),
)
_ME = "(SELECT u.id FROM app_user u WHERE u.login = current_user)"
# An agreement a manager may write (alias A): an individual one whose partner is theirs or
# has no manager (repo_agreements.check_can_write); typical ones are the supervisors'.
_OWN_AGREEMENT = ("({a}.kind <> 'typical' AND ({a}.partner_id IS NULL OR EXISTS (SELECT 1 "
                  "FROM partner p WHERE p.id = {a}.partner_id AND (p.manager_id IS NULL OR "
                  "p.manager_id = " + _ME + "))))")
# Key counters only move forward (a lower value would hand out keys again).
_FORWARD_KEYS = """CREATE OR REPLACE FUNCTION crm_keys_forward() RETURNS trigger
  LANGUAGE plpgsql AS $f$
BEGIN
  IF NEW.next_value < OLD.next_value OR NEW.entity <> OLD.entity THEN
    RAISE EXCEPTION 'key counters only move forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $f$;
DROP TRIGGER IF EXISTS crm_keys_forward ON key_sequence;
CREATE TRIGGER crm_keys_forward BEFORE UPDATE ON key_sequence
  FOR EACH ROW EXECUTE FUNCTION crm_keys_forward();"""


def server_roles_sql(prefix: str = "crm") -> str:
    """The statements, idempotent (run again after upgrades). `prefix` names the group
    roles: PREFIX_managers, PREFIX_supervisors (members of managers), PREFIX_admins
    (members of supervisors)."""
    managers, supervisors, admins = (f"{prefix}_managers", f"{prefix}_supervisors",
                                     f"{prefix}_admins")
    lines = [
        "DO $$ BEGIN",
        f"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{managers}') THEN",
        f"    CREATE ROLE {managers} NOLOGIN; END IF;",
        f"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{supervisors}') THEN",
        f"    CREATE ROLE {supervisors} NOLOGIN IN ROLE {managers}; END IF;",
        f"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{admins}') THEN",
        f"    CREATE ROLE {admins} NOLOGIN IN ROLE {supervisors}; END IF;",
        "END $$;",
        f"GRANT USAGE ON SCHEMA public TO {managers};",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {managers};",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {managers};",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {managers};",
        f"REVOKE INSERT, UPDATE, DELETE ON {', '.join(ADMIN_TABLES)} FROM {managers};",
        f"GRANT INSERT, UPDATE, DELETE ON {', '.join(ADMIN_TABLES)} TO {admins};",
        # Users: everyone adds their own row on first use, as a manager; only the name
        # column is theirs to change; roles are the administrators'.
        f"REVOKE UPDATE, DELETE ON app_user FROM {managers};",
        f"GRANT UPDATE (name) ON app_user TO {managers};",
        f"GRANT UPDATE, DELETE ON app_user TO {admins};",
        "ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;",
        *_policy("app_user", "crm_read", "SELECT", managers, "true", None),
        *_policy("app_user", "crm_join", "INSERT", managers, None,
                 "login = current_user AND role = 'manager'"),
        *_policy("app_user", "crm_rename", "UPDATE", managers, "login = current_user",
                 "login = current_user"),
        *_policy("app_user", "crm_admin", "ALL", admins, "true", "true"),
    ]
    lines += [
        # The change history: written by everyone, as themselves, and never rewritten.
        f"REVOKE UPDATE, DELETE ON change_log FROM {managers};",
        "ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;",
        *_policy("change_log", "crm_read", "SELECT", managers, "true", None),
        *_policy("change_log", "crm_write", "INSERT", managers, None,
                 "user_login = current_user"),
        f"REVOKE DELETE ON key_sequence FROM {managers};",
        _FORWARD_KEYS,
    ]
    own_agreement = _OWN_AGREEMENT.format(a="agreement")
    lines += _owned("agreement", own_agreement, managers, supervisors)
    lines += _owned("agreement_payment",
                    "EXISTS (SELECT 1 FROM agreement a WHERE a.id = "
                    f"agreement_payment.agreement_id AND {_OWN_AGREEMENT.format(a='a')})",
                    managers, supervisors)
    for table in OWNED_TABLES:
        own = f"manager_id IS NULL OR manager_id = {_ME}"
        lines += _owned(table, own, managers, supervisors)
    for table, column, parent in CHILD_TABLES:
        own = (f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{column} AND "
               f"(p.manager_id IS NULL OR p.manager_id = {_ME}))")
        lines += _owned(table, own, managers, supervisors)
    return "\n".join(lines) + "\n"


def _owned(table: str, own: str, managers: str, supervisors: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
        *_policy(table, "crm_read", "SELECT", managers, "true", None),
        *_policy(table, "crm_own", "ALL", managers, own, own),
        *_policy(table, "crm_supervise", "ALL", supervisors, "true", "true"),
    ]


def _policy(table: str, name: str, command: str, role: str, using: str | None,
            check: str | None) -> list[str]:
    clauses = f" USING ({using})" if using else ""
    clauses += f" WITH CHECK ({check})" if check else ""
    return [f"DROP POLICY IF EXISTS {name} ON {table};",
            f"CREATE POLICY {name} ON {table} FOR {command} TO {role}{clauses};"]
