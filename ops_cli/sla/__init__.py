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

The package: :mod:`.tiers`, :mod:`.callbacks` (schedule and ``sla explain``),
:mod:`.eligibility` (with agreement aliases), :mod:`.codes` (the support code),
:mod:`.kpi` (KPI counts and rates), :mod:`.importing` (``sla kpi import``).
"""

from __future__ import annotations

from ops_cli.sla.callbacks import (
    MAX_DUE_COUNT,
    _aware,
    _fmt,
    _steps,
    callback_schedule,
    due,
    due_count,
    explain,
)
from ops_cli.sla.codes import (
    CODE_MAX_LEN,
    CODE_MIN_LEN,
    SET_CODE_ACTION,
    _hash_with,
    _kdf,
    _kdf_name,
    _locked_until,
    check_code_text,
    known_customer,
    security_now,
    set_code,
    verify_code,
)
from ops_cli.sla.eligibility import agreement_type, check, eligibility, months_between
from ops_cli.sla.tiers import WEEKDAY_NAMES, _check_tier, tier_names, tiers

__all__ = [
    "CODE_MAX_LEN",
    "CODE_MIN_LEN",
    "SET_CODE_ACTION",
    "WEEKDAY_NAMES",
    "agreement_type",
    "callback_schedule",
    "check",
    "check_code_text",
    "due",
    "due_count",
    "MAX_DUE_COUNT",
    "eligibility",
    "explain",
    "known_customer",
    "months_between",
    "security_now",
    "set_code",
    "tier_names",
    "tiers",
    "verify_code",
    "_aware",
    "_check_tier",
    "_fmt",
    "_hash_with",
    "_kdf",
    "_kdf_name",
    "_locked_until",
    "_steps",
]
