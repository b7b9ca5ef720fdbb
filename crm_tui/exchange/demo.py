"""Deterministic, realistic demo data as exchange records, loaded through the importer.

`generate(size, seed)` yields records in file order: the Russian seed classifiers, users,
partners, counterparties (valid INN/OGRN), contacts, agreements, deals walking their stages,
claims with action plans and attachments, and chains of interactions. Dates are relative to
a fixed anchor, so the same size and seed always give the same data.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from crm_tui.domain.enums import CLASSIFIER_KINDS
from crm_tui.exchange import demo_names as words
from crm_tui.exchange.importer import Report, import_records
from crm_tui.exchange.seed import seed_path
from crm_tui.store.database import Database
from crm_tui.store.keys import PREFIXES

ANCHOR = datetime(2026, 11, 2, 9, 0)
# size -> (partners, deals, interactions, claims)
SIZES: dict[str, tuple[int, int, int, int]] = {
    "small": (50, 150, 300, 25),
    "large": (20_000, 60_000, 120_000, 10_000),
    "huge": (100_000, 300_000, 2_000_000, 50_000),
}
USERS = (("ivanov", "Иванов Иван Иванович"), ("petrova", "Петрова Анна Сергеевна"),
         ("sidorov", "Сидоров Петр Петрович"), ("kuznetsova", "Кузнецова Елена Викторовна"),
         ("smirnov", "Смирнов Алексей Дмитриевич"))
Record = dict[str, Any]


def _key(entity: str, number: int) -> str:
    """A demo record's key, made as the app makes keys (P-000001, CL-000001)."""
    return f"{PREFIXES[entity]}{number:06d}"


def _ts(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class _Demo:
    """The state of one generation run."""

    def __init__(self, size: str, seed: int, anchor: datetime = ANCHOR) -> None:
        self.anchor = anchor.replace(hour=9, minute=0, second=0, microsecond=0)
        if size not in SIZES:
            raise ValueError(f"unknown demo size: {size}")
        self.rng = random.Random(seed)
        self.partners, self.deals, self.interactions, self.claims = SIZES[size]
        self.classifiers: list[Record] = [
            json.loads(line) for line in seed_path("ru").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        self.codes = {kind: [r["code"] for r in self.classifiers if r["type"] == kind]
                      for kind in CLASSIFIER_KINDS}
        self.kinds = [r for r in self.classifiers if r["type"] == "deal_kind"]
        self.logins = [login for login, _name in USERS]
        self.regions: list[str] = []
        self.contacts_of: list[list[str]] = []
        self.individual: dict[int, str] = {}

    def moment(self, days_back: int) -> datetime:
        """A working-hours moment about `days_back` days before the anchor."""
        rng = self.rng
        day = self.anchor - timedelta(days=rng.randrange(max(days_back, 1)))
        return day.replace(hour=rng.randrange(9, 19), minute=rng.choice((0, 15, 30, 45)))

    def records(self) -> Iterator[Record]:
        yield from self.classifiers
        for login, name in USERS:
            yield {"type": "user", "login": login, "name": name}
        yield from self.partner_records()
        yield from self.counterparty_records()
        yield from self.contact_records()
        yield from self.agreement_records()
        yield from self.deal_records()
        yield from self.claim_records()
        yield from self.interaction_records()

    def partner_records(self) -> Iterator[Record]:
        rng = self.rng
        for index in range(1, self.partners + 1):
            region = rng.choice(self.codes["region"])
            self.regions.append(region)
            roll = rng.random()
            roles = (["client"] if roll < 0.75 else ["client", "supplier"] if roll < 0.88
                     else ["supplier"] if roll < 0.95 else ["competitor"])
            record: Record = {"type": "partner", "id": _key("partner", index),
                              "name": self.company(index), "region": region, "roles": roles,
                              "manager": rng.choice(self.logins)}
            if rng.random() < 0.1:
                record["comment"] = "Ключевой клиент.\nРаботаем по предоплате."
            yield record

    def company(self, index: int) -> str:
        rng = self.rng
        name = rng.choice(words.ROOTS) + rng.choice(words.SUFFIXES)
        return name if self.partners <= 60 else f"{name} {index}"

    def counterparty_records(self) -> Iterator[Record]:
        rng = self.rng
        for index in range(1, self.partners + 1):
            person = rng.random() < 0.2
            city, area = words.CITIES.get(self.regions[index - 1], ("г. Москва", "495"))
            partners = [_key("partner", index)]
            if index > 1 and rng.random() < 0.05:
                partners.append(_key("partner", rng.randrange(1, index)))
            if person:
                name = words.person_name(rng)
                short, full = f"ИП {name}", f"Индивидуальный предприниматель {name}"
            else:
                form, form_full = rng.choice(words.FORMS)
                title = f"{rng.choice(words.ROOTS)}{rng.choice(words.SUFFIXES)}"
                short, full = f"{form} «{title}»", f"{form_full} «{title}»"
            inn = words.make_inn(rng, person)
            record: Record = {"type": "counterparty", "id": _key("counterparty", index),
                              "partners": partners, "inn": inn}
            if not person:
                record["kpp"] = f"{inn[:4]}01001"
            record.update({
                "ogrn": words.make_ogrn(rng, person), "short_name": short, "full_name": full,
                "legal_address": f"{city}, {rng.choice(words.STREETS)}, д. {rng.randrange(1, 200)}",
                "phone": words.make_phone(rng, area),
            })
            yield record

    def contact_records(self) -> Iterator[Record]:
        rng = self.rng
        number = 0
        for index in range(1, self.partners + 1):
            keys = []
            for _ in range(rng.choice((1, 1, 2, 3))):
                number += 1
                key = _key("contact", number)
                keys.append(key)
                area = words.CITIES.get(self.regions[index - 1], ("", "495"))[1]
                yield {"type": "contact", "id": key, "partner": _key("partner", index),
                       "name": words.person_name(rng), "position": rng.choice(words.POSITIONS),
                       "phones": [words.make_phone(rng, area)],
                       "emails": [f"contact{number}@example.ru"]}
            self.contacts_of.append(keys)

    def agreement_records(self) -> Iterator[Record]:
        rng = self.rng
        typical = ((_key("agreement", 1), "Типовое розничное", "retail",
                    [{"percent": 100, "days": 0}]),
                   (_key("agreement", 2), "Типовое оптовое", "wholesale",
                    [{"percent": 50, "days": 0}, {"percent": 50, "days": 30}]),
                   (_key("agreement", 3), "Дилерское", "dealer",
                    [{"percent": 30, "days": 0}, {"percent": 70, "days": 45}]))
        for key, name, price, schedule in typical:
            yield {"type": "agreement", "id": key, "kind": "typical", "name": name,
                   "price_type": price, "payment_schedule": schedule,
                   "valid_from": "2025-01-01", "status": "active"}
        number = 3
        for index in range(1, self.partners + 1):
            if rng.random() >= 0.1:
                continue
            number += 1
            key = _key("agreement", number)
            self.individual[index] = key
            base = rng.choice(typical)
            start = self.moment(600).date()
            yield {"type": "agreement", "id": key, "kind": "individual",
                   "name": f"Индивидуальное соглашение № {number}",
                   "partner": _key("partner", index),
                   "based_on": base[0], "price_type": base[2],
                   "payment_schedule": [{"percent": 20, "days": 0}, {"percent": 80, "days": 60}],
                   "valid_from": start.isoformat(),
                   "valid_to": (start + timedelta(days=365)).isoformat(),
                   "status": rng.choice(("active", "active", "draft", "closed"))}

    def deal_records(self) -> Iterator[Record]:
        rng = self.rng
        for number in range(1, self.deals + 1):
            partner = rng.randrange(1, self.partners + 1)
            kind = rng.choices(self.kinds, weights=(6, 3, 1))[0]
            created = self.moment(700)
            stages, status, closed = self.walk(kind, created)
            record: Record = {
                "type": "deal", "id": _key("deal", number),
                "name": f"{rng.choice(words.DEAL_SUBJECTS)} № {number}",
                "partner": _key("partner", partner), "kind": kind["code"],
                "manager": rng.choice(self.logins),
                "amount": f"{rng.randrange(5_000_00, 10_000_000_00) / 100:.2f}",
                "created_at": _ts(created), "status": status,
            }
            if closed is not None:
                record["closed_at"] = _ts(closed)
            if status == "lost" and rng.random() < 0.8:
                record["loss_reason"] = rng.choice(self.codes["loss_reason"])
            if rng.random() < 0.1:
                record["demand_reasons"] = [rng.choice(self.codes["demand_reason"])]
            if partner in self.individual:
                record["agreement"] = self.individual[partner]
            if rng.random() < 0.15:
                other = rng.randrange(1, self.partners + 1)
                record["participants"] = [{"partner": _key("partner", other),
                                           "role": rng.choice(self.codes["partner_role"])}]
            if rng.random() < 0.3:
                record["contacts"] = [{"contact": rng.choice(self.contacts_of[partner - 1]),
                                       "role": rng.choice(self.codes["contact_role"])}]
            record["stages"] = stages
            yield record

    def walk(self, kind: Record,
             created: datetime) -> tuple[list[Record], str, datetime | None]:
        """A stage history over time, the final status and when the deal was closed."""
        rng = self.rng
        codes: list[str] = kind["stages"]
        roll = rng.random()
        status = "won" if roll < 0.3 else "lost" if roll < 0.5 else "open"
        if kind["stage_control"] == "none":
            history: list[str] = []
        elif kind["stage_control"] == "strict":
            reach = len(codes) if status == "won" else rng.randrange(1, len(codes) + 1)
            history = codes[:reach]
        else:
            history = [rng.choice(codes) for _ in range(rng.randrange(1, 5))]
        moment = created
        stages = []
        for code in history:
            moment += timedelta(days=rng.randrange(0, 20), hours=rng.randrange(0, 8))
            stages.append({"stage": code, "at": _ts(moment)})
        closed = moment + timedelta(days=rng.randrange(1, 30)) if status != "open" else None
        return stages, status, closed

    def claim_records(self) -> Iterator[Record]:
        rng = self.rng
        for number in range(1, self.claims + 1):
            registered = self.moment(600)
            status = rng.choice(("open", "satisfied", "satisfied", "not_satisfied"))
            source = rng.choice(("list", "partner", "discrepancy_act", "interaction"))
            record: Record = {
                "type": "claim", "id": _key("claim", number),
                "partner": _key("partner", rng.randrange(1, self.partners + 1)),
                "reason": rng.choice(self.codes["claim_reason"]), "registered_at": _ts(registered),
                "description": rng.choice(words.CLAIM_TEXTS).format(n=rng.randrange(1, 15)),
                "manager": rng.choice(self.logins), "status": status,
                "posted": status != "open" and rng.random() < 0.7,
            }
            if status != "open":
                record["resolved_at"] = _ts(registered + timedelta(days=rng.randrange(1, 40)))
                record["resolution"] = ("Предоставлена скидка на следующую поставку"
                                        if status == "satisfied" else "Претензия необоснованна")
            record["source"] = source
            if source == "discrepancy_act":
                record["source_document"] = f"Акт № {rng.randrange(1, 999)} от {registered.date()}"
            record["tasks"] = [
                {"name": name, "description": text,
                 "due": (registered + timedelta(days=3 * step)).date().isoformat(),
                 "assignee": rng.choice(self.logins), "done": status != "open"}
                for step, (name, text) in enumerate(rng.sample(words.TASKS, rng.randrange(0, 4)), 1)
            ]
            if rng.random() < min(0.2, 50 / self.claims):
                content = f"Акт осмотра по претензии {number}\nНедостача: {rng.randrange(1, 9)}\n"
                record["attachments"] = [{
                    "name": f"akt-{number}.txt",
                    "content_base64": base64.b64encode(content.encode()).decode("ascii")}]
            yield record

    def interaction_records(self) -> Iterator[Record]:
        rng = self.rng
        kinds = ("meeting", "planned", "call", "call", "email", "email", "sms")
        for number in range(1, self.interactions + 1):
            kind = rng.choice(kinds)
            when = rng.random()
            if when < 0.12:  # planned work in the coming three weeks: still to do
                at = self.moment(1) + timedelta(days=rng.randrange(0, 21))
                done = False
            elif when < 0.22:  # the last two weeks: partly done, partly overdue
                at = self.moment(14)
                done = rng.random() < 0.5
            else:
                at = self.moment(700)
                done = at < self.anchor - timedelta(days=3) or rng.random() < 0.3
            partner = rng.randrange(1, self.partners + 1)
            record: Record = {"type": "interaction", "id": _key("interaction", number),
                              "kind": kind, "topic": rng.choice(words.TOPICS), "at": _ts(at)}
            if kind in ("meeting", "call"):
                record["end"] = _ts(at + timedelta(minutes=rng.choice((15, 30, 45, 60))))
            record["status"] = "done" if done else "in_progress"
            record["partner"] = _key("partner", partner)
            if rng.random() < 0.6:
                record["contact"] = rng.choice(self.contacts_of[partner - 1])
            record["manager"] = rng.choice(self.logins)
            roll = rng.random()
            if roll < 0.4:
                record["subject"] = {"deal": _key("deal", rng.randrange(1, self.deals + 1))}
            elif roll < 0.5:
                record["subject"] = {"claim": _key("claim", rng.randrange(1, self.claims + 1))}
            elif roll < 0.65 and number > 1:
                earlier = rng.randrange(max(1, number - 50), number)
                record["subject"] = {"interaction": _key("interaction", earlier)}
            if kind in ("call", "email", "sms"):
                record["direction"] = rng.choice(("incoming", "outgoing"))
            if not done and rng.random() < 0.2:
                record["review_after"] = _ts(at + timedelta(days=rng.randrange(1, 10)))
            if rng.random() < 0.3:
                record["text"] = "Договорились о следующем шаге.\nОтправить материалы."
            if kind == "meeting":
                record["place"] = "Офис клиента"
            elif kind == "call":
                record["duration"] = rng.randrange(30, 1800)
            elif kind == "email":
                record["email_to"] = f"client{partner}@example.ru"
            yield record


def generate(size: str, seed: int, anchor: datetime = ANCHOR) -> Iterator[Record]:
    """Demo records (exchange-format objects) in file order; deterministic for
    (size, seed, anchor). Dates lie around `anchor`: history before it, planned work after."""
    return _Demo(size, seed, anchor).records()


def load_demo(db: Database, size: str = "small", seed: int = 1,
              anchor: datetime = ANCHOR, report: Report | None = None) -> dict[str, int]:
    """Generate demo data and import it through the normal import path (`report` as in
    import_records); the app's own new keys continue after the demo's (which look the
    same)."""
    from crm_tui.store.keys import continue_after_taken

    counts = import_records(db, generate(size, seed, anchor), source=f"demo-{size}-{seed}",
                            report=report)
    with db.write() as session:
        for entity in PREFIXES:
            continue_after_taken(session, entity)
    return counts
