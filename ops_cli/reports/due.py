"""What a quarter's SLA reports ask of the desk (``ops report due --quarter Q``).

- **send**: every customer whose tier has ``quarterly_report = true`` (silver, gold) gets the
  quarter's report in the send window (days 5-20 of the month after the quarter);
- **fulfil**: every report ordered for the quarter (tiers on order, e.g. bronze) is sent on
  its report date; its fee is billed;
- **zones that missed the KPI** (CSSR or CTSR of the quarter under the tier's target): a
  notice to sales/CoE for a tier without guarantee (bronze, silver), the penalty for a
  guaranteed tier (gold).
"""

from __future__ import annotations

from typing import Any

from ops_cli.context import Ops
from ops_cli.store import reports as sql

from . import orders
from .quarter import Quarter, parse_quarter, send_window
from .quarterly import zone_figures

COLUMNS = ["action", "customer", "customer_name", "tier", "zone", "date", "detail"]


def _send(ops: Ops, q: Quarter, tiers: dict[str, Any]) -> list[dict[str, Any]]:
    scheduled = sorted(name for name, t in tiers.items() if t.get("quarterly_report"))
    first, last = send_window(q, *orders.window_days(ops))
    return [
        {
            "customer": c["number"],
            "customer_name": c["name"],
            "tier": c["sla_tier"],
            "send_from": first.isoformat(),
            "send_to": last.isoformat(),
        }
        for c in sql.tiered_customers(ops.store, scheduled)
    ]


def _fulfil(ops: Ops, q: Quarter, tiers: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "order": o["id"],
            "customer": o["customer"],
            "customer_name": o["customer_name"],
            "tier": o["tier"],
            "ordered_by": o["ordered_by"],
            "send_to": o["send_to"],
            "report_date": o["report_date"],
            "fee": o["fee"],
            "currency": o["currency"],
        }
        for o in sql.report_orders(ops.store, q.label)
    ]


def _missed(ops: Ops, q: Quarter, tiers: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in sql.tiered_customers(ops.store, sorted(tiers)):
        conf = tiers[c["sla_tier"]]
        target = float(conf["target"])
        for zone in zone_figures(ops, c["number"], q, target):
            if zone["pass"]:
                continue
            guaranteed = bool(conf["guaranteed"])
            out.append(
                {
                    "customer": c["number"],
                    "customer_name": c["name"],
                    "tier": c["sla_tier"],
                    "zone": zone["zone"],
                    "cssr": zone["cssr"],
                    "ctsr": zone["ctsr"],
                    "target": target,
                    "action": "penalty" if guaranteed else "notice to sales/CoE",
                    "penalty": float(conf["penalty"]) if guaranteed else 0.0,
                }
            )
    return out


def due(ops: Ops, quarter: str) -> dict[str, Any]:
    """Reports to send, orders to fulfil and zones that missed their KPI in ``quarter``."""
    q = parse_quarter(quarter, ops.now().date())
    tiers = ops.config["sla"]["tiers"]
    return {
        "quarter": q.label,
        "send": _send(ops, q, tiers),
        "fulfil": _fulfil(ops, q, tiers),
        "zones_missed": _missed(ops, q, tiers),
        "currency": ops.config["sla"]["currency"],
        "generated_at": ops.now().isoformat(timespec="seconds"),
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def due_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per thing to do, for tables, CSV and Markdown (columns :data:`COLUMNS`)."""
    cur = report["currency"]
    rows = [
        {**{k: s[k] for k in ("customer", "customer_name", "tier")}, "action": "send report", "zone": ""}
        | {"date": f"{s['send_from']}/{s['send_to']}", "detail": "quarterly report on schedule"}
        for s in report["send"]
    ]
    rows += [
        {"action": "fulfil order", "customer": o["customer"], "customer_name": o["customer_name"]}
        | {"tier": o["tier"], "zone": "", "date": o["report_date"]}
        | {"detail": f"to {o['send_to']} (ordered by {o['ordered_by']}); bill {o['fee']:g} {o['currency']}"}
        for o in report["fulfil"]
    ]
    for m in report["zones_missed"]:
        rates = f"CSSR {_pct(m['cssr'])} / CTSR {_pct(m['ctsr'])} < {m['target']:.2f}"
        extra = f"; pay {m['penalty']:,.0f} {cur}" if m["action"] == "penalty" else ""
        rows.append(
            {k: m[k] for k in ("action", "customer", "customer_name", "tier", "zone")}
            | {"date": "", "detail": rates + extra}
        )
    return [{c: r[c] for c in COLUMNS} for r in rows]


def summary_line(report: dict[str, Any]) -> str:
    return (
        f"{report['quarter']}: reports to send {len(report['send'])}, ordered reports to fulfil "
        f"{len(report['fulfil'])}, zones below target {len(report['zones_missed'])}."
    )
