"""The roster sheet's rows checked column by column (the hot path of a 100k-row import).

Customer, role and kind cells repeat, so each distinct one is parsed once; emails
and phones are matched in one C-level pass and only looked at one by one when that
pass finds a bad one; ASCII names pass in one check, others are NFC-normalised and
refused when they hide bidi or zero-width characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ops_cli.importing import Problems
from ops_cli.importing.columns import RowErrors, check_each, parse_column, sort_errors
from ops_cli.parsers import contact, text
from ops_cli.parsers.numbers import customer_number
from ops_cli.roster.invariants import kind_roles_problem
from ops_cli.sheets import Column, Columns

ROSTER_COLUMNS = (
    Column("customer", ("kundnummer", "kundnr", "customer_number", "kund_nr")),
    Column("customer_name", ("kund", "kundnamn", "company", "företag"), required=False),
    Column("name", ("namn", "full_name")),
    Column("email", ("e-post", "epost", "e-mail", "mail", "e-postadress")),
    Column("phone", ("telefon", "tel", "mobil", "mobile", "telefonnummer"), required=False),
    Column("role", ("roll", "roles", "roller", "behörighet")),
    Column("kind", ("typ", "type"), required=False),
)
CHECK_ORDER = ("customer", "customer_name", "email", "name", "phone", "role", "kind")


@dataclass
class RosterBatch:
    """The checked sheet: one record (customer, email, name, phone, kind, roles) per data row."""

    cols: Columns
    numbers: list[int]  # the sheet's row number of each data row
    records: list[tuple]  # empty when ``validate_roster(records=False)`` found every row good
    valid: dict[tuple[str, str], int]  # (customer, email) -> index of its (first) good row
    all_valid: bool  # every row good and listed once: valid covers records in order
    names: dict[str, str] = field(default_factory=dict)  # customer -> name from customer_name
    first_row: dict[str, int] = field(default_factory=dict)  # customer -> its first row number
    keep_phone: bool = False  # the sheet has no phone column: stored phones stay
    keep_kind: bool = False
    rejected: list[tuple[str | None, str, bool]] = field(default_factory=list)  # (customer, email, email ok)
    checked: list[list[Any]] = field(default_factory=list)  # the record's six columns

    def record(self, i: int) -> tuple:
        """The record of data row ``i`` (whether or not ``records`` were made)."""
        return self.records[i] if self.records else tuple(col[i] for col in self.checked)


def check_columns(cols: Columns) -> tuple[list[list[Any]], RowErrors]:
    """Checked columns [customers, emails, names, phones, kinds, roles] and the errors by row index."""
    vals, n = cols.values, len(cols)
    errors: RowErrors = {}
    customers = parse_column(vals["customer"], customer_number, "customer", errors)
    roles = parse_column(vals["role"], contact.roles, "role", errors)
    kinds = parse_column(vals["kind"] if "kind" in vals else [""] * n, contact.kind, "kind", errors)
    emails = list(map(str.lower, vals["email"]))
    if not (all(map(contact.EMAIL.fullmatch, emails)) and max(map(len, emails), default=0) <= 254):
        check_each(emails, contact.is_email, contact.email, "email", errors)
    names, name_errors = text.names(vals["name"])
    for i, message in name_errors.items():
        errors.setdefault(i, []).append(("name", message))
    cells = _phones(vals, n)  # E.164, Excel damage refused; the usual column of "+" numbers at once
    phones = contact.phone_column(cells) or parse_column(cells, contact.phone, "phone", errors)
    if "function" in kinds:
        for i, kind in enumerate(kinds):
            if kind == "function" and roles[i].__class__ is str:
                problem = kind_roles_problem(kind, roles[i].split(","))
                if problem:
                    errors.setdefault(i, []).append(("role", problem))
    if "customer_name" in vals:
        _check_customer_names(vals["customer_name"], errors)
    sort_errors(errors, CHECK_ORDER)
    return [customers, emails, names, phones, kinds, roles], errors


def _phones(vals: dict[str, list[str]], n: int) -> list[str | None]:
    if "phone" not in vals:
        return [None] * n
    if all(vals["phone"]):
        return vals["phone"]
    return [p or None for p in vals["phone"]]


def _check_customer_names(cells: list[str], errors: RowErrors) -> None:
    if all(map(str.isascii, cells)):
        return
    for i, cell in enumerate(cells):
        if cell and text.hidden_character(cell):
            try:
                text.name(cell, "customer name")
            except ValueError as exc:
                errors.setdefault(i, []).append(("customer_name", str(exc)))


def validate_roster(cols: Columns, problems: Problems, *, records: bool = True) -> RosterBatch:
    """Every row checked; bad and contradicting duplicate rows go to ``problems`` (rejected).
    ``records=False``: when every row is good, the records are left to ``checked`` (a streamed
    chunk is staged from its columns)."""
    checked, bad = check_columns(cols)
    customers, emails = checked[0], checked[1]
    n, numbers = len(cols), cols.numbers
    present = set(cols.values) if n else set()
    batch = RosterBatch(cols, numbers, [], {}, False, checked=checked)
    batch.keep_phone, batch.keep_kind = "phone" not in present, "kind" not in present
    if not bad:
        batch.valid = dict(zip(zip(customers, emails, strict=True), range(n), strict=True))
    if not bad and len(batch.valid) == n:
        # The common case, every row good and listed once: build the maps without a Python loop.
        batch.all_valid = True
        batch.first_row = dict(zip(reversed(customers), reversed(numbers), strict=True))
        if records:
            batch.records = list(zip(*checked, strict=True))
    else:
        batch.valid = {}
        batch.records = list(zip(*checked, strict=True))
        _sort_rows(batch, list(zip(customers, emails, strict=True)), bad, problems)
    _customer_names(batch, customers)
    return batch


def _sort_rows(batch: RosterBatch, keys: list[tuple], bad: RowErrors, problems: Problems) -> None:
    """Rows one by one: bad ones and contradicting duplicates rejected, the rest kept (first wins)."""
    records, numbers, valid = batch.records, batch.numbers, batch.valid
    for i, key in enumerate(keys):
        errors = bad.get(i) if bad else None
        if errors:
            customer = None if key[0].__class__ is ValueError else key[0]
            email_ok = not any(column == "email" for column, _ in errors)
            batch.rejected.append((customer, key[1], email_ok))
            problems.reject(numbers[i], batch.cols.row(i).values, errors)
            continue
        seen = valid.get(key)
        if seen is not None:
            if records[seen][2:] != records[i][2:]:
                message = (
                    f"{key[1]} is listed twice for customer {key[0]} with different data "
                    f"(also row {numbers[seen]})"
                )
                problems.reject(numbers[i], batch.cols.row(i).values, [("email", message)])
            continue
        valid[key] = i
        batch.first_row.setdefault(key[0], numbers[i])


def _customer_names(batch: RosterBatch, customers: list[Any]) -> None:
    """Names of customers the import may create (the first non-empty customer_name of each)."""
    cols = batch.cols
    if not len(cols) or "customer_name" not in cols.values:
        return
    cnames = cols.values["customer_name"]
    if batch.all_valid and all(cnames):  # every row names its customer: the first name of each, in C
        pairs: Any = dict(zip(reversed(customers), reversed(cnames), strict=True)).items()
    elif batch.all_valid:
        pairs = zip(customers, cnames, strict=True)
    else:
        pairs = ((key[0], cnames[i]) for key, i in batch.valid.items())
    names = batch.names
    for number, cname in pairs:
        if cname and number not in names:
            names[number] = text.name(cname, "customer name")
