"""Naming the rows of a changeset for people (`roster 1001/anna@…`, `subscription 2010001`) and
the per-row diff (`field: before → after`)."""

from __future__ import annotations

from typing import Any

from ops_cli.cases.common import MASK
from ops_cli.store import changes as sql

#: table -> how a person names one of its rows (followed by the primary key values).
LABELS = {
    "customers": "customer",
    "customer_domains": "domain",
    "roster_entries": "roster",
    "subscriptions": "subscription",
    "retired_issis": "retired ISSI",
    "cases": "case",
    "case_sequences": "case numbering",
    "change_orders": "change order",
    "change_order_items": "change order item",
    "service_orders": "service order",
    "kpi": "kpi",
    "swap_units": "unit",
    "swap_shipments": "shipment",
    "swap_repairs": "repair",
    "swap_model_targets": "swap target",
    "swap_freight_bills": "freight bill",
    "sla_codes": "support code",
    "report_orders": "report order",
}

#: Rows of these tables belong to a case: named by the case number.
_CASE_PARTS = {
    "case_entries": "entry",
    "case_events": "event",
    "case_grants": "access grant",
    "case_callbacks": "callback",
}


def name(store: Any, table: str, rid: int, image: dict[str, Any] | None) -> str:
    """How a person names the row ``rid`` of ``table`` (``image``: its columns, if known)."""
    image = image or {}
    if table == "cases" and image.get("number"):
        return f"case {image['number']}"
    if table in _CASE_PARTS and image.get("case_id") is not None:
        number = sql.case_number(store, image["case_id"]) or f"id {image['case_id']}"
        return f"case {number} {_CASE_PARTS[table]} {image.get('id', rid)}"
    key = sql.primary_key(store.conn, table)
    values = [str(image[c]) for c in key if image.get(c) is not None]
    label = LABELS.get(table, table)
    if values and len(values) == len(key):
        return f"{label} {'/'.join(values)}"
    return f"{label} row {rid}"


def show(value: Any) -> str:
    if value is None:
        return "(none)"
    return str(value)


def field_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """{field: {before, after}} for every field that differs (all fields of an added/removed row)."""
    fields = list(after or before or {})
    out = {}
    for field in fields:
        old = (before or {}).get(field)
        new = (after or {}).get(field)
        if before is None or after is None or old != new:
            if before is None and new is None or after is None and old is None:
                continue  # an empty field of a row that appears or goes says nothing
            out[field] = {"before": old, "after": new}
    return out


def diff_text(fields: dict[str, dict[str, Any]]) -> str:
    return "; ".join(f"{f}: {show(v['before'])} → {show(v['after'])}" for f, v in fields.items())


#: Free-text fields of a case's rows: shown as ``(classified)`` for sensitive and secret cases.
_CASE_TEXT = frozenset(
    {"subject", "body", "detail", "note", "resolution", "reporter_name", "reporter_phone", "facility"}
)
_CLASSIFIED = ("sensitive", "secret")


def classified(store: Any, table: str, image: dict[str, Any] | None) -> bool:
    """Does the row belong to a sensitive or secret case?"""
    image = image or {}
    if table == "cases":
        return image.get("classification") in _CLASSIFIED
    if table in _CASE_PARTS and image.get("case_id") is not None:
        return sql.case_classification(store, image["case_id"]) in _CLASSIFIED
    return False


def mask(fields: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The diff of a classified case's row, its free text hidden (like every output of cases)."""
    return {
        f: {k: (MASK if v is not None else None) for k, v in change.items()} if f in _CASE_TEXT else change
        for f, change in fields.items()
    }
