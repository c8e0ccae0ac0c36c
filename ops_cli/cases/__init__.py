"""Support cases: opening and routing, the thread and status, classification,
third-party access, the feedback (callback) schedule and stale lists.

Rules (``domain.md`` "Cases"):

- **Numbers** are the year the case was opened plus a per-year sequence
  (``2026-00042``), allocated inside the opening transaction: unique under
  concurrent writers and never reused.
- **Routing**: a known customer's account department; else, for a key-account
  (KAM) customer without one, the ``kam`` department (when configured); else
  the business area's department (``--area``); else the topic's department.
- **Status**: ``open`` -> ``answered`` (agent reply) -> ``open`` (customer
  message) -> ``closed`` (resolution); a closed case can be reopened. Replying
  to, writing on, calling back or closing a closed case is a conflict.
- **Feedback schedule** (``next_callback_at``; rules in ``cases/schedule.py``):
  SLA timers (2 support hours after the report, then every 4 after the previous
  due time, in the tier's hours) only for a critical fault reported on the SLA
  line by the customer's telephony responsible; other fault-topic cases every
  ``topics.<t>.feedback_hours`` real elapsed hours; an agreed interval
  (``set_callback``) replaces both (support hours on an SLA case); reopening
  restarts the schedule. ``due_times``/``callback_record``/``punctuality`` give
  the callbacks that fell due while a case was open (quarterly report).
- **Who acts** (``--by``): see ``cases/thread.py``; refusals exit 5 before any write.
- **Layout**: ``opening`` (open, routing, SLA line), ``thread`` (reply, message,
  note, assign, close, reopen, grant), ``callbacks`` (set-callback, due list,
  record), ``schedule`` (the rules), ``queries`` (list, show, stale, departments,
  export), ``demo``, ``common`` (shared helpers).
- **Classification**: subject and thread text of ``sensitive`` and ``secret``
  cases is masked in lists and exports unless asked; secret cases are left out
  of exports entirely unless asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ops_cli import lazy

if TYPE_CHECKING:
    from ops_cli.cases.callbacks import check_every, due_callbacks, record_callback, set_callback
    from ops_cli.cases.common import (
        CALLBACK_ROLES,
        CHANNELS,
        CLASSIFICATIONS,
        MASK,
        SLA_CALLBACK_ROLES,
        STATUSES,
        case_object,
    )
    from ops_cli.cases.demo import DEMO_KEY, load_demo
    from ops_cli.cases.opening import open_case
    from ops_cli.cases.queries import (
        EXPORT_COLUMNS,
        check_days,
        departments,
        export,
        list_cases,
        show_case,
        stale,
    )
    from ops_cli.cases.schedule import Due, callback_record, due_times, punctuality
    from ops_cli.cases.thread import (
        assign,
        close,
        customer_message,
        grant,
        note,
        reopen,
        reply,
    )

# Where each public name lives: loaded on first use, so `ops case list` imports the queries
# alone (not the schedule, the opening rules, the thread or the demo).
_HOME = {
    "check_every": "callbacks",
    "due_callbacks": "callbacks",
    "record_callback": "callbacks",
    "set_callback": "callbacks",
    "CALLBACK_ROLES": "common",
    "CHANNELS": "common",
    "CLASSIFICATIONS": "common",
    "MASK": "common",
    "SLA_CALLBACK_ROLES": "common",
    "STATUSES": "common",
    "case_object": "common",
    "DEMO_KEY": "demo",
    "load_demo": "demo",
    "open_case": "opening",
    "EXPORT_COLUMNS": "queries",
    "check_days": "queries",
    "departments": "queries",
    "export": "queries",
    "list_cases": "queries",
    "show_case": "queries",
    "stale": "queries",
    "Due": "schedule",
    "callback_record": "schedule",
    "due_times": "schedule",
    "punctuality": "schedule",
    "assign": "thread",
    "close": "thread",
    "customer_message": "thread",
    "grant": "thread",
    "note": "thread",
    "reopen": "thread",
    "reply": "thread",
}


__getattr__, __dir__ = lazy.package(__name__, _HOME)


__all__ = [
    "Due",
    "callback_record",
    "check_days",
    "check_every",
    "due_times",
    "punctuality",
    "CALLBACK_ROLES",
    "CHANNELS",
    "CLASSIFICATIONS",
    "DEMO_KEY",
    "EXPORT_COLUMNS",
    "MASK",
    "SLA_CALLBACK_ROLES",
    "STATUSES",
    "assign",
    "case_object",
    "close",
    "customer_message",
    "departments",
    "due_callbacks",
    "export",
    "grant",
    "list_cases",
    "load_demo",
    "note",
    "open_case",
    "record_callback",
    "reopen",
    "reply",
    "set_callback",
    "show_case",
    "stale",
]
