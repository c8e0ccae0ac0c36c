"""SLA eligibility: the agreement type and the binding left."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.errors import NotFound
from ops_cli.render import plural
from ops_cli.store import sla as q


def months_between(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months and remaining days from ``start`` to ``end`` (``end`` >= ``start``).

    2026-11-20 -> 2027-02-19 is (2, 30); 2026-11-30 -> 2027-02-28 is (3, 0).
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and clock.add_months(start, months) > end:
        months -= 1
    return months, (end - clock.add_months(start, months)).days


def _name_key(text: str) -> str:
    """An agreement name compared loosely: NFC, case-folded, without spaces, '-' or '_'
    ("Business aftale", "business-aftale" and "BUSINESSAFTALE" are one name)."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_")


def _aliases(ops: Ops) -> dict[str, str]:
    """Config ``sla.agreement_aliases`` as alias key -> agreement key.

    The template writes it as agreement -> list of its aliases; an alias -> agreement
    table (text values) is read as well.
    """
    out: dict[str, str] = {}
    for key, value in (ops.config["sla"].get("agreement_aliases") or {}).items():
        if isinstance(value, str):
            out[_name_key(key)] = _name_key(value)
        else:
            out.update({_name_key(alias): _name_key(key) for alias in value})
    return out


def agreement_type(ops: Ops, name: str | None) -> str | None:
    """The eligible agreement type (``sla.eligible_agreements``) a recorded agreement name stands
    for, or None. Aliases come from config ``sla.agreement_aliases`` (e.g. the seed's Danish
    "Erhvervsaftale" for erhverv); names are compared case-insensitively."""
    allowed = {_name_key(a): a.strip().lower() for a in ops.config["sla"]["eligible_agreements"]}
    key = _name_key(name or "")
    if key in allowed:
        return allowed[key]
    return allowed.get(_aliases(ops).get(key, "")) if key else None


def eligibility(ops: Ops, customer_number: str, at: date) -> dict[str, Any]:
    """Whether a customer may have an SLA on ``at``: ``{"eligible", "reasons"}``.

    Rules: the agreement type is one of ``sla.eligible_agreements``
    (case-insensitive) and the binding runs at least ``sla.min_binding_months``
    calendar months after ``at`` (``at`` plus the months, clamped to the end of
    a shorter month, must not be after the binding end: exactly 3 months is
    eligible, 2 months 30 days is not). ``reasons`` names each failed rule.
    Unknown customer: :class:`NotFound`.
    """
    row = q.customer_row(ops.store, str(customer_number).strip())
    if row is None:
        raise NotFound(f"customer {customer_number} not found; see `ops roster customer list`")
    sla = ops.config["sla"]
    allowed = [a.lower() for a in sla["eligible_agreements"]]
    reasons: list[str] = []
    agreement = (row["agreement"] or "").strip()
    if not agreement:
        reasons.append(f"no agreement type recorded; eligible types are {', '.join(allowed)}")
    elif agreement_type(ops, agreement) is None:
        reasons.append(f"agreement type {agreement!r} is not one of {', '.join(allowed)}")
    need = sla["min_binding_months"]
    binding_text = (row["binding_until"] or "").strip()
    binding = None
    if binding_text:
        try:
            binding = date.fromisoformat(binding_text)
        except ValueError:
            reasons.append(f"binding end {binding_text!r} is not a date")
    if not binding_text:
        reasons.append(f"no binding end date recorded (at least {plural(need, 'month')} of binding needed)")
    elif binding is not None:
        if binding < at:
            reasons.append(
                f"binding ended {binding.isoformat()} (at least {plural(need, 'month')} of binding needed)"
            )
        elif binding < clock.add_months(at, need):
            months, days = months_between(at, binding)
            left = ", ".join(p for p in (plural(months, "month") if months else "", plural(days, "day")) if p)
            reasons.append(
                f"binding ends {binding.isoformat()}: {left} left on {at.isoformat()}, "
                f"at least {plural(need, 'month')} needed"
            )
    return {"eligible": not reasons, "reasons": reasons}


def check(ops: Ops, customer_number: str, at: str | None = None) -> dict[str, Any]:
    """``sla check``: eligibility on ``at`` (a date, default today) with the facts used."""
    day = clock.parse_day(at, ops.tz, "--at") if at else ops.now().date()
    result = eligibility(ops, customer_number, day)
    row = q.customer_row(ops.store, str(customer_number).strip())
    return {
        **result,
        "customer": row["number"],
        "name": row["name"],
        "agreement": row["agreement"],
        "agreement_type": agreement_type(ops, row["agreement"]),
        "binding_until": row["binding_until"],
        "at": day.isoformat(),
    }
