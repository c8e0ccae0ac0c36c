"""Swap stock: the target (``ceil(rate x fleet)``, exact), per-model targets, refill requests."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ops_cli.context import Ops
from ops_cli.errors import InvalidInput
from ops_cli.store import swap as sql
from ops_cli.swap.units import (
    MAX_INT,
    _check_output,
    _customer,
    _model,
    _require_prof,
    canonical_model,
    require_actor,
    whole_number,
    write_sheet,
)

STOCK_COLUMNS = [
    "customer",
    "name",
    "model",
    "in_stock",
    "target",
    "refill",
    "customer_target",
    "below_target",
]
REFILL_COLUMNS = ["customer", "name", "model", "in_stock", "target", "order"]


def target_for(fleet: int, rate: Decimal) -> int:
    """ceil(rate x fleet), exact; at least 1 for a non-empty fleet, 0 for none."""
    if fleet <= 0:
        return 0
    return max(1, int((rate * fleet).to_integral_value(rounding=ROUND_CEILING)))


def parse_rate(ops: Ops, text: str | None) -> Decimal:
    """The rate typed with --rate (Decimal of the text), else config ``swap.rate``."""
    if text is None:
        return ops.config.swap_rate
    try:
        rate = Decimal(str(text).strip())
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not (0 < rate <= 1) or rate.as_tuple().exponent < -12:
        raise InvalidInput(f"--rate: {text!r} is not a fraction in (0, 1]; use e.g. 0.08 for 8 %")
    return rate


def size(
    ops: Ops,
    *,
    fleet: int | str | None = None,
    customer: str | None = None,
    rate: str | None = None,
) -> dict:
    """The stock target for a fleet (0 to 2^63-1 phones), or for a customer's recorded fleet."""
    if (fleet is None) == (customer is None):
        raise InvalidInput("give either --fleet N or --customer C")
    the_rate = parse_rate(ops, rate)
    if customer is not None:
        fleet = _customer(ops, customer)["fleet"]
    assert fleet is not None
    if str(fleet).strip().startswith("-") and str(fleet).strip()[1:].isdigit():
        raise InvalidInput(
            f"--fleet: {str(fleet).strip()} is negative; give the number of phones in the fleet "
            f"(0 to {MAX_INT})"
        )
    fleet = whole_number(fleet, "--fleet")
    result: dict[str, Any] = {
        "fleet": fleet,
        "rate": the_rate,
        "target": target_for(fleet, the_rate),
    }
    if customer is not None:
        result = {"customer": customer.strip(), **result}
    return result


def _spread(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split ``total`` over keys in proportion to weights (largest remainder; equal if all are 0)."""
    if not weights:
        return {}
    if sum(weights.values()) == 0:
        weights = {k: 1 for k in weights}
    whole = sum(weights.values())
    shares = {k: total * w // whole for k, w in weights.items()}
    left = total - sum(shares.values())
    order = sorted(weights, key=lambda k: (-(total * weights[k] % whole), k))
    for k in order[:left]:
        shares[k] += 1
    return shares


def _customer_stock(ops: Ops, crow: Any, counts: list[Any], fixed: dict[str, int]) -> list[dict[str, Any]]:
    target = target_for(crow["fleet"], ops.config.swap_rate)
    in_stock = {r["model"]: int(r["in_stock"]) for r in counts}
    owned = {r["model"]: int(r["owned"]) for r in counts}
    models = sorted(set(in_stock) | set(fixed), key=lambda m: (m.casefold(), m))
    free = {m: owned.get(m, 0) for m in models if m not in fixed}
    spread = _spread(max(0, target - sum(fixed.values())), free)
    total_in_stock = sum(in_stock.values())
    below = total_in_stock < target
    rows = []
    for m in models:
        t = fixed.get(m, spread.get(m, 0))
        rows.append(
            {
                "customer": crow["number"],
                "name": crow["name"],
                "model": m,
                "in_stock": in_stock.get(m, 0),
                "target": t,
                "refill": max(0, t - in_stock.get(m, 0)),
                "customer_target": target,
                "below_target": below,
            }
        )
    if not rows:
        rows.append(
            {
                "customer": crow["number"],
                "name": crow["name"],
                "model": "",
                "in_stock": 0,
                "target": target,
                "refill": target,
                "customer_target": target,
                "below_target": below,
            }
        )
    return rows


def stock(ops: Ops, customer: str | None = None) -> list[dict[str, Any]]:
    """Per customer and model: units in stock, the target and the refill to order.

    The customer's target (``swap size``) is spread across its models in
    proportion to their share of the stock (units in stock, on loan or in
    repair), unless a per-model target is set (``swap target``). ``below_target``
    flags a customer whose units in stock are fewer than its target.
    """
    number = _customer(ops, customer)["number"] if customer else None
    customers = sql.stock_customers(ops.store, number)
    # One grouped query for the counts and one for the targets, bucketed by customer once:
    # the cost grows with the rows, never with customers x rows.
    counts: dict[str, list[Any]] = {}
    for r in sql.stock_counts(ops.store, number):
        counts.setdefault(r["customer"], []).append(r)
    targets = sql.model_targets_by_customer(ops.store, number)
    rows: list[dict[str, Any]] = []
    for crow in customers:
        key = crow["number"]
        rows.extend(_customer_stock(ops, crow, counts.get(key, []), targets.get(key, {})))
    return rows


def set_target(
    ops: Ops, customer: str, model: str, target: int | str | None, *, by: str | None = None
) -> dict[str, Any]:
    """Set (or with ``None`` clear) a per-model stock target for a customer (0 to 2^63-1)."""
    model = _model(model)
    if not model:
        raise InvalidInput("--model: give the model name")
    count = None if target is None else whole_number(target, "target")
    at = ops.now()
    with ops.store.write() as st:
        crow = _customer(ops, customer)
        require_actor(ops, crow["number"], by, "target")
        _require_prof(crow, "a swap stock target")
        model = canonical_model(st, crow["number"], model)
        before = sql.model_targets(st, crow["number"]).get(model)
        sql.set_model_target(st, crow["number"], model, count)
        st.audit(
            ops.actor(by),
            "swap.target",
            f"customer:{crow['number']}",
            {"model": model, "target": before},
            {"model": model, "target": count},
            at=at,
        )
    return {"customer": crow["number"], "model": model, "target": count, "previous": before}


def refill_request(
    ops: Ops, customer: str, output: str | Path | None = None, *, force: bool = False
) -> dict[str, Any]:
    """The request the desk sends a customer below target: how many of which model to order.

    With ``output`` (.csv or .xlsx) the lines are also written to that file (``force``:
    replace an existing one).
    """
    _check_output(output, force)
    crow = _customer(ops, customer)
    _require_prof(crow, "a swap refill")
    rows = stock(ops, crow["number"])
    target = rows[0]["customer_target"]
    in_stock = sum(r["in_stock"] for r in rows)
    missing = max(0, target - in_stock)
    lines = [
        {
            "customer": r["customer"],
            "name": r["name"],
            "model": r["model"] or "(a recommended model)",
            "in_stock": r["in_stock"],
            "target": r["target"],
            "order": r["refill"],
        }
        for r in rows
        if r["refill"] > 0
    ]
    rate = ops.config.swap_rate
    percent = (rate * 100).normalize()
    if missing == 0 and not lines:
        message = (
            f"Customer {crow['number']} {crow['name']}: the swap stock holds {in_stock} spare phones, "
            f"at or above the target of {target}; nothing to order."
        )
    else:
        parts = ", ".join(f"{line['order']} x {line['model']}" for line in lines)
        message = (
            f"Customer {crow['number']} {crow['name']}: your swap stock holds {in_stock} spare phones; "
            f"the agreed target is {target} ({percent:f} % of your fleet of {crow['fleet']}). "
            f"Please order {parts} to refill it. We recommend keeping to few models."
        )
    result = {
        "customer": crow["number"],
        "name": crow["name"],
        "fleet": crow["fleet"],
        "target": target,
        "in_stock": in_stock,
        "refill": missing,
        "lines": lines,
        "message": message,
    }
    if output:
        write_sheet(output, lines, REFILL_COLUMNS, title="Refill", force=force)
        result["output"] = str(output)
    return result
