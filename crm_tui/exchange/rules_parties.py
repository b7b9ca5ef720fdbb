"""Validation of partners, counterparties (legal entities) and contacts."""

from __future__ import annotations

import json

from crm_tui.domain.enums import PartnerRole, roles_to_mask
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.identifiers import (
    inn_is_organisation,
    validate_inn,
    validate_kpp,
    validate_ogrn,
)
from crm_tui.exchange.context import Context
from crm_tui.exchange.refs import key_of, ref, save
from crm_tui.exchange.values import Fields
from crm_tui.i18n import _

ROLES = frozenset(role.value for role in PartnerRole)


def partner(f: Fields, ctx: Context) -> None:
    """A partner: name, region, non-empty roles, manager, comment."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "partner")
    name = f.text("name", nonempty=True)
    region_id = ref(f, ctx, "region", "region")
    roles = f.string_items("roles", nonempty=True)
    if roles is not None:
        for index, role in enumerate(roles):
            if role not in ROLES:
                f.field_problem(f"roles[{index + 1}]", _("must be one of {values}").format(
                    values=", ".join(sorted(ROLES))))
    manager_id = ref(f, ctx, "manager", "user")
    comment = f.text("comment")
    if claimed is None or len(ctx.problems) != before:
        return
    key, row_id, is_update = claimed
    save(ctx, "partner", {"id": row_id, "key": key, "name": name, "region_id": region_id,
                          "roles": roles_to_mask(roles or []), "manager_id": manager_id,
                          "comment": comment}, is_update)


def counterparty(f: Fields, ctx: Context) -> None:
    """A legal entity or sole trader serving one or more partners."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "counterparty")
    partner_ids = _partner_list(f, ctx)
    inn = f.text("inn")
    if inn is not None:
        try:
            validate_inn(inn)
        except ValidationError as error:
            f.field_problem("inn", str(error))
            inn = None
    kpp = f.text("kpp")
    if kpp is not None:
        if inn is not None and not inn_is_organisation(inn):
            f.field_problem("kpp", _("a 12-digit INN (a person) has no KPP"))
        elif kpp != kpp.strip().upper():
            f.field_problem("kpp", _("KPP must be 9 characters: 4 digits, 2 digits or letters, "
                                     "3 digits"))
        else:
            try:
                validate_kpp(kpp)
            except ValidationError as error:
                f.field_problem("kpp", str(error))
    ogrn = f.text("ogrn")
    if ogrn is not None:
        try:
            if ogrn != ogrn.strip():
                raise ValidationError(_("OGRN must be 13 or 15 digits"))
            validate_ogrn(ogrn)
        except ValidationError as error:
            f.field_problem("ogrn", str(error))
    short_name = f.text("short_name", nonempty=True)
    full_name = f.text("full_name", nonempty=True)
    address = f.text("legal_address")
    raw_phone = f.obj.get("phone")
    phone = f.phone("phone", raw_phone) if raw_phone is not None else None
    if claimed is None or len(ctx.problems) != before:
        return
    key, row_id, is_update = claimed
    save(ctx, "counterparty", {"id": row_id, "key": key, "inn": inn, "kpp": kpp, "ogrn": ogrn,
                               "short_name": short_name, "full_name": full_name,
                               "legal_address": address, "phone": phone},
         is_update, ("partner_counterparty",))
    ctx.batch.insert_many("partner_counterparty", (
        {"partner_id": partner_id, "counterparty_id": row_id} for partner_id in partner_ids
    ))


def _partner_list(f: Fields, ctx: Context) -> list[int]:
    values = f.items("partners")
    ids: list[int] = []
    if values is None:
        return ids
    if not values:
        f.field_problem("partners", _("must not be empty"))
    for index, value in enumerate(values):
        path = f"partners[{index + 1}]"
        found = ctx.reference(ctx.problems, f.line, f.prefix + path, "partner", value)
        if found is not None:
            if found in ids:
                f.field_problem(path, _("partner {key} is listed twice").format(key=value))
            else:
                ids.append(found)
    return ids


def contact(f: Fields, ctx: Context) -> None:
    """A contact person of a partner, with phones (E.164) and e-mails."""
    before = len(ctx.problems)
    claimed = key_of(f, ctx, "contact")
    partner_id = ref(f, ctx, "partner", "partner")
    name = f.text("name", nonempty=True)
    position = f.text("position")
    phones = [f.phone(f"phones[{index + 1}]", value)
              for index, value in enumerate(f.items("phones") or ())]
    emails = [f.email(f"emails[{index + 1}]", value)
              for index, value in enumerate(f.items("emails") or ())]
    if claimed is None or len(ctx.problems) != before:
        return
    key, row_id, is_update = claimed
    save(ctx, "contact", {"id": row_id, "key": key, "partner_id": partner_id, "name": name,
                          "position": position,
                          "phones": json.dumps(phones, ensure_ascii=False),
                          "emails": json.dumps(emails, ensure_ascii=False)}, is_update)
