"""What validation knows while it reads a file: keys seen so far, records already in the
database, and the ids the new records will get.

Ids of new rows are assigned here (one above the table's largest id) so that references
resolve to ids during validation and rows can be bulk-inserted without reading ids back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from crm_tui.domain.enums import CLASSIFIER_KINDS, StageControl
from crm_tui.domain.stages import KindRules
from crm_tui.exchange.writer import Batch
from crm_tui.i18n import _

# Record type -> the table holding it.
TABLE_OF: dict[str, str] = {
    **{kind: "classifier" for kind in CLASSIFIER_KINDS},
    "deal_kind": "deal_kind",
    "user": "app_user",
    "partner": "partner",
    "counterparty": "counterparty",
    "contact": "contact",
    "agreement": "agreement",
    "deal": "deal",
    "claim": "claim",
    "interaction": "interaction",
}
CHILD_TABLES = ("deal_kind_stage", "agreement_payment", "deal_stage_entry", "deal_participant",
                "deal_contact", "deal_demand_reason", "claim_task", "attachment",
                "interaction_attachment")


@dataclass
class Context:
    """Key registries and id counters for one import."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    db_ids: dict[str, dict[str, int]] = field(default_factory=dict)
    new_ids: dict[str, dict[str, int]] = field(default_factory=dict)
    next_id: dict[str, int] = field(default_factory=dict)
    kind_rules: dict[str, KindRules] = field(default_factory=dict)
    agreement_kinds: dict[str, str] = field(default_factory=dict)
    classifier_order: dict[str, int] = field(default_factory=dict)
    batch: Batch = field(default_factory=Batch)
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: Connection) -> Context:
        """Read every existing key once (key -> id maps) and the next free ids."""
        ctx = cls()
        tables = SQLModel.metadata.tables
        for kind in TABLE_OF:
            ctx.db_ids[kind] = {}
            ctx.new_ids[kind] = {}
        classifier = tables["classifier"]
        for row_id, kind, code, order in connection.execute(
            select(classifier.c.id, classifier.c.kind, classifier.c.code, classifier.c.sort_order)
        ):
            if kind in ctx.db_ids:
                ctx.db_ids[kind][code] = row_id
                ctx.classifier_order[kind] = max(ctx.classifier_order.get(kind, 0), order)
        deal_kind = tables["deal_kind"]
        ctx.db_ids["deal_kind"] = dict(
            (code, row_id) for row_id, code in connection.execute(
                select(deal_kind.c.id, deal_kind.c.code))
        )
        ctx.classifier_order["deal_kind"] = connection.execute(
            select(func.coalesce(func.max(deal_kind.c.sort_order), 0))).scalar_one()
        user = tables["app_user"]
        ctx.db_ids["user"] = dict(
            (login, row_id) for row_id, login in connection.execute(select(user.c.id, user.c.login))
        )
        for kind in ("partner", "counterparty", "contact", "agreement", "deal", "claim",
                     "interaction"):
            table = tables[kind]
            ctx.db_ids[kind] = dict(
                (key, row_id) for row_id, key in connection.execute(select(table.c.id, table.c.key))
            )
        ctx._load_rules(connection)
        agreement = tables["agreement"]
        ctx.agreement_kinds = dict(
            (key, kind)
            for key, kind in connection.execute(select(agreement.c.key, agreement.c.kind))
        )
        for name in {*TABLE_OF.values(), *CHILD_TABLES}:
            table = tables[name]
            ctx.next_id[name] = connection.execute(
                select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        return ctx

    def _load_rules(self, connection: Connection) -> None:
        tables = SQLModel.metadata.tables
        kinds = tables["deal_kind"]
        links = tables["deal_kind_stage"]
        classifier = tables["classifier"]
        stages: dict[int, list[str]] = {}
        for kind_id, code in connection.execute(
            select(links.c.kind_id, classifier.c.code)
            .join(classifier, classifier.c.id == links.c.stage_id)
            .order_by(links.c.kind_id, links.c.position)
        ):
            stages.setdefault(kind_id, []).append(code)
        for row_id, code, control in connection.execute(
            select(kinds.c.id, kinds.c.code, kinds.c.stage_control)
        ):
            try:
                self.kind_rules[code] = KindRules(StageControl(control),
                                                  tuple(stages.get(row_id, ())))
            except ValueError:
                continue

    # -- keys -------------------------------------------------------------------------------
    def lookup(self, kind: str, key: str) -> int | None:
        """The id of the record of `kind` with `key`: earlier in the file or in the database."""
        found = self.new_ids[kind].get(key)
        return found if found is not None else self.db_ids[kind].get(key)

    def register(self, kind: str, key: str, line: int) -> tuple[int, bool] | None:
        """Claim `key` for a record on `line`: (id, is_update), or None for a duplicate."""
        new = self.new_ids[kind]
        if key in new:
            self.problems.append(
                (line, _("duplicate key {key}: it appears earlier in the file").format(key=key)))
            return None
        self.counts[kind] = self.counts.get(kind, 0) + 1
        existing = self.db_ids[kind].get(key)
        if existing is not None:
            new[key] = existing
            return existing, True
        row_id = self.allocate(TABLE_OF[kind])
        new[key] = row_id
        return row_id, False

    def allocate(self, table: str) -> int:
        """The next free id of `table`."""
        row_id = self.next_id[table]
        self.next_id[table] = row_id + 1
        return row_id

    def reference(self, fields_problem: list[tuple[int, str]], line: int, path: str,
                  kind: str, key: object) -> int | None:
        """Resolve a reference to a `kind` record, recording a problem if there is none."""
        if type(key) is not str:
            fields_problem.append((line, _("{field}: must be a string").format(field=path)))
            return None
        found = self.lookup(kind, key)
        if found is None:
            fields_problem.append((line, _("{field}: no {kind} with key {key} on an earlier line "
                                           "or in the database").format(field=path, kind=kind,
                                                                        key=key)))
        return found
