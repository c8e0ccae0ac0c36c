"""The SLA support code: a salted scrypt hash, compared in constant time, with a lock-out.

``sla.code_max_failures`` wrong codes within ``sla.code_window_minutes`` lock
the customer's code for ``sla.code_lockout_minutes``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

from ops_cli import clock
from ops_cli.context import Ops
from ops_cli.customers import require_customer
from ops_cli.errors import CheckFailed, Conflict, InvalidInput
from ops_cli.permissions import require_actor
from ops_cli.store import sla as q

_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_KEY_LEN = 32
CODE_MIN_LEN = 4
CODE_MAX_LEN = 64
# Who may set a customer's support code with --by: a desk agent or the customer's orderer
# (the orderer signs the SLA agreement the code comes with).
SET_CODE_ACTION = "order"


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


def _readable(code: str) -> str:
    """The code without its line end; InvalidInput when stdin held bytes that are not UTF-8
    (Python keeps them as lone surrogates, which no hash can take)."""
    text = code.rstrip("\r\n")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InvalidInput("the support code is not UTF-8 text; type it again")
    return text


def check_code_text(code: str) -> str:
    """The code as typed, without the line end; :class:`InvalidInput` if unusable."""
    text = _readable(code)
    if not text.strip():
        raise InvalidInput("the support code is empty; type a code of at least 4 characters")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput("the support code holds a control character; use letters, digits and punctuation")
    if text != text.strip():
        raise InvalidInput("the support code starts or ends with a space; type it without surrounding spaces")
    if len(text) < CODE_MIN_LEN:
        raise InvalidInput(f"the support code is too short; use at least {CODE_MIN_LEN} characters")
    if len(text) > CODE_MAX_LEN:
        raise InvalidInput(f"the support code is too long; use at most {CODE_MAX_LEN} characters")
    return text


def security_now(ops: Ops) -> datetime:
    """The real time (never ``OPS_NOW``): the lock-out and the record of tries run on it.

    ``OPS_NOW`` moves the business clock for tests and demos; it must not let anyone
    step out of a lock-out by moving the clock.
    """
    return datetime.now(UTC).astimezone(ops.tz)


def set_code(ops: Ops, customer_number: str, code: str, by: str | None = None) -> dict[str, Any]:
    """Store a customer's SLA support code as a salted scrypt hash (never the code itself).

    ``by``: a desk agent (config ``desk.agents``) or the customer's orderer; anyone else is
    refused (exit 5) before anything, the audit included, is written.
    """
    text = check_code_text(code)
    salt = secrets.token_bytes(16)
    digest = _kdf(text, salt)
    now = ops.now()
    real = security_now(ops)
    actor = ops.actor(by)
    with ops.store.write() as st:
        number = known_customer(ops, customer_number)
        require_actor(st, ops.config, number, by, SET_CODE_ACTION)
        had = q.code_row(st, number) is not None
        q.put_code(st, number, _kdf_name(), salt.hex(), digest.hex(), clock.to_db(now), actor)
        q.add_try(st, number, clock.to_db(real), "set")
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
    text = _readable(code)
    now = ops.now()
    real = security_now(ops)  # the lock-out runs on the real clock, never on OPS_NOW
    actor = ops.actor(by)
    obj = f"customer:{number}"
    with ops.store.write() as st:
        # the desk checks a caller's code: the operator or a desk agent, never anyone else (who
        # could lock the customer out with wrong tries); refused before any try is recorded
        require_actor(st, ops.config, None, by, None)
        until = _locked_until(ops, number, real)
        if until is not None:
            q.add_try(st, number, clock.to_db(real), "refused")
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
                q.add_try(st, number, clock.to_db(real), outcome)
                if ok:
                    st.audit(actor, "sla.code.verified", obj, None, {"valid": True}, at=now)
                else:
                    st.audit(actor, "sla.code.failed", obj, None, {"valid": False}, at=now)
                    until = _locked_until(ops, number, real)
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
