"""One spreadsheet row of partners, contacts or deals: checked, matched with what exists and
written (inside `table_import.run_import`'s transaction). Every problem of a row is
collected, not only the first, so the preview shows them all next to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.identifiers import validate_kpp, validate_ogrn
from crm_tui.domain.partners import validate_email
from crm_tui.domain.table_values import fix_inn, fix_kpp, parse_amount, parse_date, parse_phones
from crm_tui.domain.text import check_text
from crm_tui.exchange.table_import import RowOutcome
from crm_tui.i18n import _

ROLES = {"client": "client", "клиент": "client", "supplier": "supplier",
         "поставщик": "supplier", "competitor": "competitor", "конкурент": "competitor",
         "other": "other", "прочее": "other", "другое": "other"}


@dataclass
class Lookups:
    """Names and codes read once per import (regions, users, deal kinds with their stages),
    the bulk writer, and what the current chunk's rows look up, read beforehand."""

    regions: dict[str, int]
    users: dict[str, tuple[int, str]]  # login or name (casefolded) -> id, login
    kinds: dict[str, Any]  # code or name (casefolded) -> KindView
    first_kind: Any
    me: str
    me_id: int = 0
    bulk: Any = None  # store.bulk_partners.PartnerBulkWriter or bulk_table.DealBulkWriter
    ahead: Any = None  # exchange.table_ahead.Ahead: the chunk's lookups, read at once

    def writer(self, session: Session, deals: bool = False) -> Any:
        if self.bulk is None:
            from crm_tui.store.bulk_partners import PartnerBulkWriter
            from crm_tui.store.bulk_table import DealBulkWriter

            self.bulk = DealBulkWriter(session) if deals else PartnerBulkWriter(session)
        return self.bulk

    def flush(self) -> None:
        """Before a query of what the rows held may have changed: write them."""
        if self.bulk is not None:
            self.bulk.flush()

    def sync(self) -> None:
        """Before an ORM write, and at the end: what the bulk writer holds is written, and
        the chunk's lookups read beforehand no longer hold."""
        if self.bulk is not None:
            self.bulk.finish()
        if self.ahead is not None:
            self.ahead.stale = True

    def fresh(self, *asked: str, changed: tuple[str, ...] = ()) -> Any:
        """The chunk's lookups if they answer `asked` as the database would now (nothing
        since wrote `changed` either); else None (and the rows held are written, for a
        query)."""
        if self.ahead is not None and self.ahead.answers(asked, changed):
            return self.ahead
        self.flush()
        return None

    def touched(self, *what: str) -> None:
        """A row was created: lookups of `what` read beforehand no longer hold."""
        if self.ahead is not None:
            self.ahead.dirty.update(what)

    @classmethod
    def load(cls, session: Session) -> Lookups:
        from crm_tui.store.repo_deals import list_kinds
        from crm_tui.store.users import ensure_current_user

        me = ensure_current_user(session)
        regions: dict[str, int] = {}
        for r in session.execute(text(
                "SELECT id, code, name FROM classifier WHERE kind = 'region'")):
            regions.setdefault(r.name.casefold(), r.id)
            regions[r.code.casefold()] = r.id
        users: dict[str, tuple[int, str]] = {}
        for r in session.execute(text("SELECT id, login, name FROM app_user")):
            users.setdefault(r.name.casefold(), (r.id, r.login))
            users[r.login.casefold()] = (r.id, r.login)
        kinds_list = list_kinds(session)
        kinds: dict[str, Any] = {}
        for kind in kinds_list:
            kinds.setdefault(kind.name.casefold(), kind)
            kinds[kind.code.casefold()] = kind
        return cls(regions, users, kinds, kinds_list[0] if kinds_list else None, me.login,
                   me.id or 0)


class _Row:
    """A row's values and the problems found while reading them."""

    def __init__(self, values: dict[str, str], outcome: RowOutcome) -> None:
        self.values = values
        self.outcome = outcome

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def has(self, name: str) -> bool:
        return name in self.values

    def check(self, name: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        """`parse(value)`, or `default` when empty or wrong (the problem noted)."""
        value = self.get(name)
        if not value:
            return default
        try:
            return parse(value)
        except DomainError as error:
            self.outcome.problems.append(str(error))
            return default

    def show(self, name: str, value: object) -> None:
        if value not in (None, "", ()):
            self.outcome.shown[name] = ", ".join(value) if isinstance(value, tuple) else str(
                value)


def _text(label: str) -> Callable[[str], str]:
    return lambda value: check_text(value, label)


def _inn(row: _Row) -> str:
    def parse(value: str) -> str:
        inn, note = fix_inn(value)
        if note:
            row.outcome.notes.append(note)
        return inn

    return str(row.check("inn", parse, ""))


def _user(lookups: Lookups, row: _Row) -> tuple[int, str] | None:
    def parse(value: str) -> tuple[int, str]:
        found = lookups.users.get(value.casefold())
        if found is None:
            raise ValidationError(_("unknown manager: {value}").format(value=value))
        return found

    found = row.check("manager", parse)
    return found if isinstance(found, tuple) else None


def _partner_of(session: Session, lookups: Lookups, row: _Row, inn: str
                ) -> tuple[int, str] | None:
    """The existing partner a contact or deal row names, by INN or by name."""
    ahead = lookups.fresh(f"inn:{inn}" if inn else f"name:{row.get('partner')}")
    if ahead is not None:
        found = (ahead.partners_of_inn(inn) if inn
                 else ahead.partners_named(row.get("partner")))
    elif inn:
        found = list(session.execute(text(
            "SELECT DISTINCT p.id, p.key FROM partner p "
            "JOIN partner_counterparty pc ON pc.partner_id = p.id "
            "JOIN counterparty c ON c.id = pc.counterparty_id WHERE c.inn = :inn"), {"inn": inn}))
    else:
        found = list(session.execute(text("SELECT id, key FROM partner WHERE name = :name"),
                                     {"name": row.get("partner")}))
    which = inn or row.get("partner")
    if not found:
        row.outcome.problems.append(_("no partner {value}").format(value=which))
        return None
    if len(found) > 1:
        row.outcome.problems.append(_("several partners are {value}: {keys}").format(
            value=which, keys=", ".join(sorted(f.key for f in found))))
        return None
    row.outcome.shown["partner"] = found[0].key
    return int(found[0].id), str(found[0].key)


def _decide(row: _Row, choice: str | None, matches: list[str], changes: bool) -> str:
    """What happens to a row matching `matches`: create, update, unchanged, skip or a problem
    ("" then)."""
    row.outcome.duplicate = ", ".join(matches)
    if not changes:
        return "unchanged"
    if choice is None:
        row.outcome.problems.append(_("already there: {records}; choose update, skip or create")
                                    .format(records=row.outcome.duplicate))
        return ""
    if choice == "update" and len(matches) > 1:
        row.outcome.problems.append(_("matches several records: {records}; choose skip or create")
                                    .format(records=row.outcome.duplicate))
        return ""
    return choice


# -- partners -------------------------------------------------------------------------------
def import_partner(session: Session, lookups: Lookups, values: dict[str, str],
                   choice: str | None, outcome: RowOutcome) -> None:
    from crm_tui.domain.partners import ContactInput, CounterpartyInput, PartnerInput

    row = _Row(values, outcome)
    name = row.check("name", _text(_("Name")), "")
    if not name:
        outcome.problems.append(_("the name is empty"))
    inn = _inn(row)
    kpp = row.check("kpp", lambda v: validate_kpp(fix_kpp(v)), "")
    ogrn = row.check("ogrn", validate_ogrn, "")
    region_id = row.check("region", lambda v: _region(lookups, v))
    manager = _user(lookups, row)
    roles = row.check("roles", _roles, ())
    phones = row.check("phone", parse_phones, ())
    email = row.check("email", validate_email, "")
    contact = row.check("contact", _text(_("Contact person")), "")
    for shown, value in (("name", name), ("inn", inn), ("kpp", kpp), ("ogrn", ogrn),
                         ("region", row.get("region") if region_id else ""),
                         ("manager", manager[1] if manager else ""), ("roles", roles),
                         ("contact", contact), ("phone", phones), ("email", email)):
        row.show(shown, value)
    if outcome.problems:
        return
    comment = row.check("comment", lambda v: check_text(v, _("Comment"), multiline=True), "")
    matches = _same_partner(session, lookups, row.get("key"), name, inn, kpp, phones)
    contact_input = None
    if contact or phones or email:
        contact_input = ContactInput(name=contact or name, position=row.get("position"),
                                     phones=phones, emails=(email,) if email else ())
    if matches:
        lookups.flush()
        update = _partner_update(session, matches[0], row, name, inn, kpp, ogrn, region_id,
                                 manager, roles, comment, contact_input)
        action = _decide(row, choice, matches, update is not None)
        if action == "update" and update is not None:
            lookups.sync()
            update()
            outcome.action = "updated"
        elif action in ("unchanged", "skip"):
            outcome.action = "unchanged" if action == "unchanged" else "skipped"
        if action != "create":
            return
    counterparty: CounterpartyInput | None = None
    link: tuple[str, ...] = ()
    if inn:
        same = _counterparty_keys(session, inn, kpp, lookups)
        if same:  # a legal entity no partner has: link it rather than copy it
            link = (same[0],)
        else:
            counterparty = CounterpartyInput(inn=inn, kpp=kpp, ogrn=ogrn, short_name=name,
                                             full_name=row.get("full_name"),
                                             legal_address=row.get("address"))
    key = lookups.writer(session).create(PartnerInput(
        name=name, region_id=region_id, roles=roles or ("client",),
        manager_id=manager[0] if manager else None, comment=comment,
        new_counterparty=counterparty, link_counterparty_keys=link,
        contacts=(contact_input,) if contact_input else ()))
    lookups.touched(f"key:{key}", f"name:{name}", *([f"inn:{inn}"] if inn else []))
    outcome.action = "created"


def _region(lookups: Lookups, value: str) -> int:
    found = lookups.regions.get(value.casefold())
    if found is None:
        raise ValidationError(_("unknown region: {value}").format(value=value))
    return found


def _roles(value: str) -> tuple[str, ...]:
    roles = []
    for word in value.replace(";", ",").split(","):
        if word.strip():
            role = ROLES.get(word.strip().casefold())
            if role is None:
                raise ValidationError(_("unknown role: {value}").format(value=word.strip()))
            roles.append(role)
    return tuple(dict.fromkeys(roles))


def _counterparty_keys(session: Session, inn: str, kpp: str,
                       lookups: Lookups | None = None) -> list[str]:
    ahead = lookups.fresh(f"inn:{inn}") if lookups is not None else None
    if ahead is not None:
        return [key for key, cp_kpp in ahead.counterparties.get(inn, [])
                if not kpp or cp_kpp == kpp]
    sql = "SELECT key FROM counterparty WHERE inn = :inn" + (" AND kpp = :kpp" if kpp else "")
    return [r.key for r in session.execute(text(sql + " ORDER BY key"), {"inn": inn, "kpp": kpp})]


def _same_partner(session: Session, lookups: Lookups, key: str, name: str, inn: str,
                  kpp: str, phones: tuple[str, ...]) -> list[str]:
    """Existing partners the row is: the one its key names; else same INN (+KPP), the one
    of the same name among several; else same name and a phone; else, for a row with
    neither INN nor phone, the same name."""
    ahead = lookups.fresh(*([f"key:{key}"] if key else []),
                          f"inn:{inn}" if inn else f"name:{name}")
    if ahead is not None:
        return _same_partner_ahead(ahead, key, name, inn, kpp, phones)
    if key and session.execute(text("SELECT 1 FROM partner WHERE key = :k"),
                               {"k": key}).first():
        return [key]
    if inn:
        sql = ("SELECT DISTINCT p.key, p.name FROM partner p JOIN partner_counterparty pc "
               "ON pc.partner_id = p.id JOIN counterparty c ON c.id = pc.counterparty_id "
               "WHERE c.inn = :inn" + (" AND c.kpp = :kpp" if kpp else "") + " ORDER BY p.key")
        found = list(session.execute(text(sql), {"inn": inn, "kpp": kpp}))
        named = [r.key for r in found if r.name == name]
        return named if len(found) > 1 and len(named) == 1 else [r.key for r in found]
    rows = list(session.execute(text(
        "SELECT p.key, c.phones FROM partner p LEFT JOIN contact c ON c.partner_id = p.id "
        "WHERE p.name = :name ORDER BY p.key"), {"name": name}))
    if phones:
        keys = [r.key for r in rows if set(json.loads(r.phones or "[]")) & set(phones)]
    else:
        keys = [r.key for r in rows]
    return list(dict.fromkeys(keys))


def _same_partner_ahead(ahead: Any, key: str, name: str, inn: str, kpp: str,
                        phones: tuple[str, ...]) -> list[str]:
    """`_same_partner` from the chunk's lookups read beforehand."""
    if key and key in ahead.keys:
        return [key]
    if inn:
        found = list({p.key: p for cp_kpp, p in ahead.by_inn.get(inn, [])
                      if not kpp or cp_kpp == kpp}.values())
        named = [p.key for p in found if p.name == name]
        return named if len(found) > 1 and len(named) == 1 else [p.key for p in found]
    rows = ahead.by_name.get(name, [])
    keys = [p.key for p, had in rows if not phones or set(had) & set(phones)]
    return list(dict.fromkeys(keys))


def _partner_update(session: Session, key: str, row: _Row, name: str, inn: str, kpp: str,
                    ogrn: str, region_id: int | None, manager: tuple[int, str] | None,
                    roles: tuple[str, ...], comment: str,
                    contact: Any) -> Callable[[], None] | None:
    """What updating the partner would do (a function doing it), or None if nothing would
    change: the fields the file has, a legal entity it lacks, a contact with new phones."""
    from crm_tui.domain.partners import CounterpartyInput
    from crm_tui.store.repo_partners_read import get_partner
    from crm_tui.store.repo_partners_write import (
        add_contact,
        add_counterparty,
        link_counterparty,
        update_partner,
    )

    view = get_partner(session, key)
    current = (view.name, view.region_id, view.roles, view.manager_id, view.comment or "")
    wanted = (name or view.name,
              region_id if row.has("region") else view.region_id,
              roles if roles else view.roles,
              manager[0] if row.has("manager") and manager else view.manager_id,
              comment if row.has("comment") else view.comment or "")
    steps: list[Callable[[], Any]] = []
    if (wanted[:2] + wanted[3:] != current[:2] + current[3:]
            or set(wanted[2]) != set(current[2])):
        steps.append(lambda: update_partner(session, key, view.version, *wanted))
    if inn and not any(c.inn == inn and (not kpp or c.kpp == kpp) for c in view.counterparties):
        existing = _counterparty_keys(session, inn, kpp)
        if existing:
            steps.append(lambda: link_counterparty(session, key, existing[0]))
        else:
            steps.append(lambda: add_counterparty(session, key, CounterpartyInput(
                inn=inn, kpp=kpp, ogrn=ogrn, short_name=name or view.name,
                full_name=row.get("full_name"), legal_address=row.get("address"))))
    known = {p for c in view.contacts for p in c.phones + c.emails}
    if contact is not None and not set(contact.phones + contact.emails) <= known:
        steps.append(lambda: add_contact(session, key, contact))
    if not steps:
        return None

    def run() -> None:
        for step in steps:
            step()

    return run


# -- contacts -------------------------------------------------------------------------------
def import_contact(session: Session, lookups: Lookups, values: dict[str, str],
                   choice: str | None, outcome: RowOutcome) -> None:
    from crm_tui.domain.partners import ContactInput
    from crm_tui.store.repo_partners_read import get_partner
    from crm_tui.store.repo_partners_write import update_contact

    row = _Row(values, outcome)
    name = row.check("name", _text(_("Name")), "")
    if not name:
        outcome.problems.append(_("the name is empty"))
    position = row.check("position", _text(_("Position")), "")
    phones = row.check("phone", parse_phones, ())
    email = row.check("email", validate_email, "")
    inn = _inn(row)
    for shown, value in (("name", name), ("position", position), ("phone", phones),
                         ("email", email), ("inn", inn)):
        row.show(shown, value)
    partner = _partner_of(session, lookups, row, inn)
    if outcome.problems or partner is None:
        return
    ahead = lookups.fresh(f"contacts:{partner[0]}")
    contacts = (ahead.contacts.get(partner[0], []) if ahead is not None
                else get_partner(session, partner[1]).contacts)
    same = [c for c in contacts if c.name.casefold() == name.casefold()]
    new = ContactInput(name=name, position=position, phones=phones,
                       emails=(email,) if email else ())
    if same:
        old = same[0]
        merged = ContactInput(name=old.name, position=position or old.position,
                              phones=tuple(dict.fromkeys(old.phones + phones)),
                              emails=tuple(dict.fromkeys(old.emails + new.emails)))
        changes = (merged.position, merged.phones, merged.emails) != (
            old.position, old.phones, old.emails)
        action = _decide(row, choice, [c.key for c in same], changes)
        if action == "update":
            lookups.sync()
            update_contact(session, old.key, old.version, merged)
            outcome.action = "updated"
        elif action in ("unchanged", "skip"):
            outcome.action = "unchanged" if action == "unchanged" else "skipped"
        if action != "create":
            return
    lookups.writer(session).contact(partner[0], partner[1], new)
    lookups.touched(f"contacts:{partner[0]}")
    outcome.action = "created"


# -- deals ----------------------------------------------------------------------------------
def import_deal(session: Session, lookups: Lookups, values: dict[str, str],
                choice: str | None, outcome: RowOutcome) -> None:
    from crm_tui.domain.deals import DealDraft

    row = _Row(values, outcome)
    name = row.check("name", _text(_("Name")), "")
    if not name:
        outcome.problems.append(_("the name is empty"))
    inn = _inn(row)
    kind = row.check("kind", lambda v: _kind(lookups, v), lookups.first_kind)
    if kind is None:
        outcome.problems.append(_("the database has no deal kinds"))
    stage = row.check("stage", lambda v: _stage(kind, v)) if kind is not None else None
    amount = row.check("amount", parse_amount, Decimal("0"))
    manager = _user(lookups, row)
    day = row.check("date", parse_date)
    notes = row.check("notes", lambda v: check_text(v, _("Notes"), multiline=True), "")
    for shown, value in (("name", name), ("kind", kind.name if kind else ""),
                         ("stage", stage.name if stage else ""), ("amount", f"{amount:.2f}"),
                         ("manager", manager[1] if manager else lookups.me),
                         ("date", day.strftime("%d.%m.%Y") if day else ""), ("inn", inn)):
        row.show(shown, value)
    partner = _partner_of(session, lookups, row, inn)
    if outcome.problems or partner is None:
        return
    draft = DealDraft(name=name, partner=partner[1], kind=kind.code,
                      manager=manager[1] if manager else lookups.me, amount=amount, notes=notes)
    this = f"deal:{partner[0]}:{name}"
    ahead = lookups.fresh(f"deals:{partner[0]}", f"deal-name:{name}", changed=(this,))
    same = ahead.deals.get((partner[0], name), []) if ahead is not None else list(
        session.execute(text("SELECT key FROM deal WHERE partner_id = :p AND name = :n "
                             "ORDER BY key"), {"p": partner[0], "n": name}).scalars())
    if same:
        lookups.flush()
        _existing_deal(session, lookups, row, choice, same, draft)
        if outcome.action or outcome.problems:
            return
    lookups.writer(session, deals=True).create(
        draft, partner[0], kind, manager[0] if manager else lookups.me_id, stage,
        datetime.combine(day, time()) if day else None)
    lookups.touched(this)
    outcome.action = "created"


def _kind(lookups: Lookups, value: str) -> Any:
    found = lookups.kinds.get(value.casefold())
    if found is None:
        raise ValidationError(_("unknown deal kind: {value}").format(value=value))
    return found


def _stage(kind: Any, value: str) -> Any:
    for stage in kind.stages:
        if value.casefold() in (stage.code.casefold(), stage.name.casefold()):
            return stage
    raise ValidationError(_("the kind {kind} has no stage {value}").format(
        kind=kind.name, value=value))


def _existing_deal(session: Session, lookups: Lookups, row: _Row, choice: str | None,
                   keys: list[str], draft: Any) -> None:
    from crm_tui.store.repo_deals_form import current_draft, update_deal

    version, old = current_draft(session, keys[0])
    merged = type(old)(**{**old.__dict__, "amount": draft.amount if row.has("amount")
                          else old.amount, "manager": draft.manager if row.has("manager")
                          else old.manager, "notes": draft.notes if row.has("notes")
                          else old.notes})
    action = _decide(row, choice, keys, merged != old)
    if action == "update":
        lookups.sync()
        update_deal(session, keys[0], version, merged)
        row.outcome.action = "updated"
    elif action in ("unchanged", "skip"):
        row.outcome.action = "unchanged" if action == "unchanged" else "skipped"


HANDLERS: dict[str, Callable[[Session, Lookups, dict[str, str], str | None, RowOutcome], None]]
HANDLERS = {"partners": import_partner, "contacts": import_contact, "deals": import_deal}
