"""SLA rules: tiers, eligibility, the support code and business-hours callback timers.

Every number comes from the config's ``[sla]`` section:

* **tiers** (``sla.tiers.<name>``): KPI target, whether it is guaranteed and the
  penalty for a miss, whether a quarterly report is sent, and the support
  hours (weekday windows, open or closed on holidays) in which timers run;
* **eligibility**: the agreement type is one of ``sla.eligible_agreements``
  (case-insensitive) and at least ``sla.min_binding_months`` calendar months of
  binding are left;
* **callback timers** for SLA critical faults: the first callback falls
  ``sla.first_callback_hours`` support hours after the report, each next one
  ``sla.callback_every_hours`` support hours after the previous one was due;
* **support code**: stored only as a salted scrypt hash, compared in constant
  time; ``sla.code_max_failures`` wrong codes within ``sla.code_window_minutes``
  lock the customer's code for ``sla.code_lockout_minutes``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import CheckFailed, Conflict, InvalidInput, NotFound
from ops_cli.render import plural
from ops_cli.store import sla as q

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# scrypt parameters (RFC 7914's interactive-login cost): about 16 MB and a few
# tens of milliseconds per try, which also slows down guessing.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_KEY_LEN = 32
CODE_MIN_LEN = 4
CODE_MAX_LEN = 64


# ---------------------------------------------------------------------- tiers


def tier_names(ops: Ops) -> list[str]:
    return list(ops.config["sla"]["tiers"])


def _check_tier(ops: Ops, tier: str) -> str:
    name = (tier or "").strip().lower()
    tiers = tier_names(ops)
    if name not in tiers:
        raise InvalidInput(f"unknown SLA tier {tier!r}; the tiers are {', '.join(tiers)}")
    return name


def tiers(ops: Ops) -> list[dict[str, Any]]:
    """The configured tiers: targets, guarantee and penalty, report cadence and support hours."""
    from ops_cli.calendar import format_hours

    sla = ops.config["sla"]
    out = []
    for name, tier in sla["tiers"].items():
        hours = format_hours(tier["hours"])
        out.append(
            {
                "tier": name,
                "target": tier["target"],
                "guaranteed": tier["guaranteed"],
                "penalty": tier["penalty"],
                "currency": sla["currency"],
                "report": "quarterly"
                if tier["quarterly_report"]
                else f"on order (fee {sla['report_fee']:g})",
                "quarterly_report": tier["quarterly_report"],
                "holidays": "closed" if tier["closed_on_holidays"] else "open",
                "closed_on_holidays": tier["closed_on_holidays"],
                "hours": {day: ", ".join(hours[day]) or "closed" for day in WEEKDAY_NAMES},
                "first_callback_hours": sla["first_callback_hours"],
                "callback_every_hours": sla["callback_every_hours"],
            }
        )
    return out


# ---------------------------------------------------------------------- timers


def _aware(ops: Ops, moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return ops.calendar.localize(moment)
    return moment.astimezone(ops.tz)


def _steps(ops: Ops) -> tuple[timedelta, timedelta]:
    sla = ops.config["sla"]
    return clock.hours(sla["first_callback_hours"]), clock.hours(sla["callback_every_hours"])


def callback_schedule(ops: Ops, tier: str, start: datetime, count: int) -> list[datetime]:
    """The first ``count`` callback due times of an SLA critical fault reported at ``start``.

    The first falls ``sla.first_callback_hours`` support hours after ``start``,
    each next one ``sla.callback_every_hours`` support hours after the previous
    due time, counted only inside the tier's support hours (real elapsed time
    across DST changes). ``start`` may be naive (desk-local wall time).
    Returns aware datetimes in the desk's zone. Unknown tier or ``count`` < 1:
    :class:`InvalidInput`.
    """
    name = _check_tier(ops, tier)
    if count < 1:
        raise InvalidInput(f"count must be at least 1, not {count}")
    hours = ops.hours(f"sla.tiers.{name}")
    first, every = _steps(ops)
    due = hours.add(_aware(ops, start), first)
    out = [due]
    while len(out) < count:
        due = hours.add(due, every)
        out.append(due)
    return out


def due(ops: Ops, tier: str, start: str | datetime, count: int = 3) -> list[str]:
    """``sla due``: the schedule as ISO 8601 times with their UTC offset."""
    moment = clock.parse_time(start, ops.tz, "--from") if isinstance(start, str) else start
    return [d.isoformat() for d in callback_schedule(ops, tier, moment, count)]


def explain(ops: Ops, number: str) -> dict[str, Any]:
    """How a case's next callback time is computed (``sla explain``).

    A critical fault of an SLA customer carries the tier whose support hours
    run its timers (``cases.sla_tier``): its next callback is due the
    configured support hours after the previous due time (after the report for
    the first; the k-th callback made answers the k-th due time). The result
    names the windows used, the days skipped (holidays by name) and the clock
    changes crossed. Other cases (an agreed interval, a topic's feedback
    interval, closed) are described without SLA timers.
    """
    store = ops.store
    row = q.case_row(store, number.strip())
    if row is None:
        raise NotFound(f"case {number} not found; see `ops case list`")
    made = q.case_callbacks(store, row["id"])
    opened = clock.from_db(row["opened_at"], ops.tz)
    stored = clock.from_db(row["next_callback_at"], ops.tz)
    tier = (row["sla_tier"] or "").strip().lower() or None
    result: dict[str, Any] = {
        "number": row["number"],
        "customer": row["customer"],
        "status": row["status"],
        "critical": bool(row["critical"]),
        "tier": tier,
        "opened_at": opened.isoformat() if opened else None,
        "callbacks_made": len(made),
        "stored_next_callback_at": stored.isoformat() if stored else None,
    }
    reason = None
    if row["status"] == "closed":
        reason = "the case is closed: no further callbacks are due"
    elif row["feedback_hours"]:
        reason = (
            f"an interval of {float(row['feedback_hours']):g} hours (real time, from the last callback"
            " made) was agreed on the case; it replaces the SLA timers"
        )
    elif tier is None:
        why = "is not critical" if not row["critical"] else "is not a fault of a customer with an SLA tier"
        every = (ops.config["topics"].get(row["topic"]) or {}).get("feedback_hours") or 0
        rule = (
            f"topic {row['topic']!r} gets feedback every {every:g} hours (real time)"
            if every
            else f"topic {row['topic']!r} has no feedback schedule"
        )
        reason = f"the case {why}, so no SLA timers run; {rule}"
    elif tier not in tier_names(ops):
        reason = f"the case's tier {tier!r} is not configured (tiers: {', '.join(tier_names(ops))})"
    if reason:
        result.update(sla_timer=False, reason=reason, next_callback_at=result["stored_next_callback_at"])
        result["lines"] = [f"Case {row['number']}: {reason}."]
        if stored and row["status"] != "closed":
            result["lines"].append(f"Next callback: {_fmt(stored)}.")
        return result
    hours = ops.hours(f"sla.tiers.{tier}")
    first, every_h = _steps(ops)
    previous_due = None
    due_at = hours.add(opened, first)
    for _ in made:
        previous_due = due_at
        due_at = hours.add(due_at, every_h)
    start, duration = (opened, first) if previous_due is None else (previous_due, every_h)
    expl = hours.explain_add(start, duration)
    span = f"{duration.total_seconds() / 3600:g} support hours"
    basis = (
        f"reported {_fmt(opened)}; the first callback is due {span} later"
        if previous_due is None
        else f"{len(made)} callback(s) made; callback {len(made)} was due {_fmt(previous_due)}, "
        f"the next is due {span} after that"
    )
    result.update(
        sla_timer=True,
        next_callback_at=expl.result.isoformat(),
        basis=basis,
        explanation=expl.to_dict(),
        lines=[f"Case {row['number']}, {tier} support hours: {basis}.", *expl.lines()],
    )
    if stored and stored != expl.result:
        result["lines"].append(f"Note: the case stores {_fmt(stored)} as its next callback.")
    return result


def _fmt(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M %Z")


# ---------------------------------------------------------------------- eligibility


def months_between(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months and remaining days from ``start`` to ``end`` (``end`` >= ``start``).

    2026-11-20 -> 2027-02-19 is (2, 30); 2026-11-30 -> 2027-02-28 is (3, 0).
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and clock.add_months(start, months) > end:
        months -= 1
    return months, (end - clock.add_months(start, months)).days


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
    elif agreement.lower() not in allowed:
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
        reasons.append(
            f"no binding end date recorded (at least {plural(need, 'month')} of binding needed)"
        )
    elif binding is not None:
        if binding < at:
            reasons.append(
                f"binding ended {binding.isoformat()} "
                f"(at least {plural(need, 'month')} of binding needed)"
            )
        elif binding < clock.add_months(at, need):
            months, days = months_between(at, binding)
            left = ", ".join(
                p for p in (plural(months, "month") if months else "", plural(days, "day")) if p
            )
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
        "binding_until": row["binding_until"],
        "at": day.isoformat(),
    }


# ---------------------------------------------------------------------- support code


def _kdf(code: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        code.encode("utf-8"),
        salt=salt,
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        dklen=_KEY_LEN,
        maxmem=64 * 2**20,
    )


def _kdf_name() -> str:
    return f"scrypt:n={_SCRYPT_N},r={_SCRYPT_R},p={_SCRYPT_P}"


def _hash_with(kdf: str, code: str, salt: bytes) -> bytes:
    name, _, params = kdf.partition(":")
    if name != "scrypt":
        raise InvalidInput(f"the stored support code uses an unknown method {kdf!r}; set a new code")
    values = dict(p.split("=") for p in params.split(",") if p)
    return hashlib.scrypt(
        code.encode("utf-8"),
        salt=salt,
        n=int(values.get("n", _SCRYPT_N)),
        r=int(values.get("r", _SCRYPT_R)),
        p=int(values.get("p", _SCRYPT_P)),
        dklen=_KEY_LEN,
        maxmem=128 * 2**20,
    )


def known_customer(ops: Ops, customer_number: str) -> str:
    """The customer's number, trimmed; :class:`NotFound` if unknown."""
    return require_customer(ops.store, customer_number)["number"]


def check_code_text(code: str) -> str:
    """The code as typed, without the line end; :class:`InvalidInput` if unusable."""
    text = code.rstrip("\r\n")
    if not text.strip():
        raise InvalidInput("the support code is empty; type a code of at least 4 characters")
    if text != text.strip():
        raise InvalidInput("the support code starts or ends with a space; type it without surrounding spaces")
    if len(text) < CODE_MIN_LEN:
        raise InvalidInput(f"the support code is too short; use at least {CODE_MIN_LEN} characters")
    if len(text) > CODE_MAX_LEN:
        raise InvalidInput(f"the support code is too long; use at most {CODE_MAX_LEN} characters")
    return text


def set_code(ops: Ops, customer_number: str, code: str, by: str | None = None) -> dict[str, Any]:
    """Store a customer's SLA support code as a salted scrypt hash (never the code itself)."""
    number = known_customer(ops, customer_number)
    text = check_code_text(code)
    salt = secrets.token_bytes(16)
    digest = _kdf(text, salt)
    now = ops.now()
    actor = ops.actor(by)
    with ops.store.write() as st:
        had = q.code_row(st, number) is not None
        q.put_code(st, number, _kdf_name(), salt.hex(), digest.hex(), clock.to_db(now), actor)
        q.add_try(st, number, clock.to_db(now), "set")
        st.audit(
            actor,
            "sla.code.set",
            f"customer:{number}",
            {"code": "set"} if had else None,
            {"code": "set", "kdf": _kdf_name()},
            at=now,
        )
    return {
        "customer": number,
        "code": "replaced" if had else "set",
        "set_at": now.isoformat(timespec="seconds"),
    }


def _locked_until(ops: Ops, customer: str, now: datetime) -> datetime | None:
    sla = ops.config["sla"]
    limit = sla["code_max_failures"]
    window = timedelta(minutes=sla["code_window_minutes"])
    lockout = timedelta(minutes=sla["code_lockout_minutes"])
    since = clock.to_db(now - window - lockout)
    fails = [clock.from_db(t) for t in q.recent_failures(ops.store, customer, since)]
    until = None
    for i in range(limit - 1, len(fails)):
        if fails[i] - fails[i - limit + 1] <= window:
            end = fails[i] + lockout
            if now.astimezone(UTC) < end and (until is None or end > until):
                until = end
    return until.astimezone(ops.tz) if until else None


def verify_code(ops: Ops, customer_number: str, code: str, by: str | None = None) -> dict[str, Any]:
    """Check a support code in constant time; every try is recorded and a failed one audited.

    Right code: returns ``{"customer", "valid": True}``. Wrong code:
    :class:`CheckFailed` (exit 1), also when the customer has no code. Locked out after too many failures:
    :class:`Conflict` (exit 6) naming when tries are accepted again; the
    code is not even compared then.
    """
    number = known_customer(ops, customer_number)
    text = code.rstrip("\r\n")
    now = ops.now()
    actor = ops.actor(by)
    obj = f"customer:{number}"
    with ops.store.write() as st:
        until = _locked_until(ops, number, now)
        if until is not None:
            q.add_try(st, number, clock.to_db(now), "refused")
            st.audit(actor, "sla.code.refused", obj, None, {"locked_until": until.isoformat()}, at=now)
            outcome = "refused"
        else:
            row = q.code_row(st, number)
            if row is None:
                outcome = "missing"
            else:
                given = _hash_with(row["kdf"], text, bytes.fromhex(row["salt"]))
                ok = hmac.compare_digest(given, bytes.fromhex(row["hash"]))
                outcome = "ok" if ok else "fail"
                q.add_try(st, number, clock.to_db(now), outcome)
                if ok:
                    st.audit(actor, "sla.code.verified", obj, None, {"valid": True}, at=now)
                else:
                    st.audit(actor, "sla.code.failed", obj, None, {"valid": False}, at=now)
                    until = _locked_until(ops, number, now)
    # Raised after the commit so the record of the try is kept.
    if outcome == "refused":
        raise Conflict(
            f"too many wrong support codes for customer {number}; tries are refused until "
            f"{until.strftime('%Y-%m-%d %H:%M %Z')}"
        )
    if outcome == "missing":
        raise CheckFailed(
            f"customer {number} has no SLA support code; set one with `ops sla set-code {number}`"
        )
    if outcome == "fail":
        extra = f"; further tries are refused until {until.strftime('%Y-%m-%d %H:%M %Z')}" if until else ""
        raise CheckFailed(f"wrong support code for customer {number}{extra}")
    return {"customer": number, "valid": True}
