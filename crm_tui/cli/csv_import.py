"""The partner rows of `crm import-csv partners`, written in one transaction.

A row with a `key` the database knows updates that partner (its name, region, roles,
manager and comment, for the columns the file has; a new version and audit rows only when
something differs; its INN links that legal entity when the partner does not have it yet).
A row without such a key whose INN (+KPP) belongs to an existing partner is a duplicate:
refused by default (`LINE: message`, nothing written), updated into that partner with
`on_duplicate="update"`, or left out with `"skip"`. Other rows create partners, keeping a
key the file gives (e.g. from another database), so importing that file again updates them
instead of copying them. So a file that `crm export-csv` wrote imports back without copies,
and the same file imported twice changes nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.i18n import _

ON_DUPLICATE = ("update", "skip")


@dataclass
class ImportCounts:
    """What an import did, per row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


class _Rejected(Exception):
    """Some line was wrong: roll the whole import back."""


@dataclass(frozen=True)
class _Row:
    """One line's values, checked and resolved to ids."""

    line: int
    values: dict[str, str]
    columns: frozenset[str]
    region_id: int | None
    manager_id: int | None
    roles: tuple[str, ...]

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


def import_partners(db: Any, rows: list[tuple[int, dict[str, str]]], columns: frozenset[str],
                    on_duplicate: str | None = None) -> ImportCounts:
    """Write every row in one transaction; nothing is written when any row has a problem
    (then `problems` holds them, `LINE: message`)."""
    from sqlalchemy import text

    counts = ImportCounts()
    try:
        with db.write() as session:
            regions = {r.code.casefold(): r.id for r in session.execute(
                text("SELECT id, code FROM classifier WHERE kind = 'region'"))}
            regions.update({r.name.casefold(): r.id for r in session.execute(
                text("SELECT id, name FROM classifier WHERE kind = 'region'"))})
            users = {r.login: r.id for r in session.execute(text("SELECT id, login FROM app_user"))}
            for line, values in rows:
                try:
                    _import_row(session, _resolve(line, values, columns, regions, users),
                                on_duplicate, counts)
                except DomainError as error:
                    counts.problems.append(f"{line}: {error}")
            if counts.problems:
                raise _Rejected
    except _Rejected:
        return ImportCounts(problems=counts.problems)
    return counts


def _resolve(line: int, values: dict[str, str], columns: frozenset[str],
             regions: dict[str, int], users: dict[str, int]) -> _Row:
    row = _Row(line, values, columns, None, None, ())
    region_id = None
    if row.get("region"):
        region_id = regions.get(row.get("region").casefold())
        if region_id is None:
            raise ValidationError(_("unknown region: {value}").format(value=row.get("region")))
    manager_id = None
    if row.get("manager"):
        manager_id = users.get(row.get("manager"))
        if manager_id is None:
            raise ValidationError(_("unknown manager: {value}").format(value=row.get("manager")))
    roles = tuple(r.strip().casefold() for r in row.get("roles").replace(";", ",").split(",")
                  if r.strip())
    for role in roles:
        if role not in ("client", "supplier", "competitor", "other"):
            raise ValidationError(_("unknown role: {value}").format(value=role))
    return _Row(line, values, columns, region_id, manager_id, roles)


def _import_row(session: Any, row: _Row, on_duplicate: str | None,
                counts: ImportCounts) -> None:
    from crm_tui.store.repo_partners_read import partner_name

    key = row.get("key")
    if key and partner_name(session, key) is not None:
        _update(session, row, key, counts)
        return
    if len(key) > 64 or not key.isprintable():
        raise ValidationError(_("the key must be at most 64 printable characters"))
    matches = sorted({partner for counterparty in _same_inn(session, row)
                      for partner in counterparty.partner_keys})
    if not matches:  # a new partner; a key from another database is kept
        _create(session, row, key or None)
        counts.created += 1
    elif on_duplicate == "skip":
        counts.skipped += 1
    elif on_duplicate == "update" and len(matches) == 1:
        _update(session, row, matches[0], counts)
    else:
        names = ", ".join(f"{match} «{partner_name(session, match)}»" for match in matches)
        hint = (_("choose the partner with the key column") if on_duplicate == "update"
                else _("use --on-duplicate update or skip"))
        raise ValidationError(_("INN {inn} is already the partner {partners}; {hint}").format(
            inn=_inn_text(row), partners=names, hint=hint))


def _inn_text(row: _Row) -> str:
    return f"{row.get('inn')}/{row.get('kpp')}" if row.get("kpp") else row.get("inn")


def _same_inn(session: Any, row: _Row) -> list[Any]:
    from crm_tui.store.repo_partners_read import counterparties_by_inn

    return counterparties_by_inn(session, row.get("inn"), row.get("kpp")) if row.get(
        "inn") else []


def _create(session: Any, row: _Row, key: str | None) -> None:
    from crm_tui.domain.partners import ContactInput, CounterpartyInput, PartnerInput
    from crm_tui.store.repo_partners_write import create_partner

    link: tuple[str, ...] = ()
    new_cp = None
    existing = _same_inn(session, row)
    if existing:  # a legal entity no partner has: link it rather than copy it
        link = (existing[0].key,)
    elif row.get("inn"):
        new_cp = CounterpartyInput(
            inn=row.get("inn"), kpp=row.get("kpp"), ogrn=row.get("ogrn"),
            short_name=row.get("short_name") or row.get("name"),
            full_name=row.get("full_name"), legal_address=row.get("address"))
    contacts: tuple[Any, ...] = ()
    if row.get("phone") or row.get("email") or row.get("contact"):
        contacts = (ContactInput(name=row.get("contact") or row.get("name"),
                                      phones=(row.get("phone"),) if row.get("phone") else (),
                                      emails=(row.get("email"),) if row.get("email") else ()),)
    create_partner(session, PartnerInput(
        name=row.get("name"), region_id=row.region_id, roles=row.roles or ("client",),
        manager_id=row.manager_id, comment=row.get("comment"), new_counterparty=new_cp,
        link_counterparty_keys=link, contacts=contacts, key=key))


def _update(session: Any, row: _Row, key: str, counts: ImportCounts) -> None:
    """Set the partner's fields the file has columns for; link its INN if new to it.
    Contacts are left as they are (the file holds one phone and e-mail, not the list)."""
    from crm_tui.domain.partners import CounterpartyInput
    from crm_tui.store.repo_partners_read import get_partner
    from crm_tui.store.repo_partners_write import (
        add_counterparty,
        link_counterparty,
        update_partner,
    )

    view = get_partner(session, key)
    current = (view.name, view.region_id, view.roles, view.manager_id, view.comment or "")
    name = row.get("name") if "name" in row.columns and row.get("name") else view.name
    region_id = row.region_id if "region" in row.columns else view.region_id
    roles = row.roles if "roles" in row.columns and row.roles else view.roles
    manager_id = row.manager_id if "manager" in row.columns else view.manager_id
    comment = row.get("comment") if "comment" in row.columns else view.comment or ""
    changed = (name, region_id, roles, manager_id, comment) != current
    if changed:
        update_partner(session, key, view.version, name, region_id, roles, manager_id,
                            comment)
    if row.get("inn") and not any(
            counterparty.inn == row.get("inn")
            and (not row.get("kpp") or counterparty.kpp == row.get("kpp").upper())
            for counterparty in view.counterparties):
        existing = _same_inn(session, row)
        if existing:
            link_counterparty(session, key, existing[0].key)
        else:
            add_counterparty(session, key, CounterpartyInput(
                inn=row.get("inn"), kpp=row.get("kpp"), ogrn=row.get("ogrn"),
                short_name=row.get("short_name") or name,
                full_name=row.get("full_name"), legal_address=row.get("address")))
        changed = True
    if changed:
        counts.updated += 1
    else:
        counts.unchanged += 1
