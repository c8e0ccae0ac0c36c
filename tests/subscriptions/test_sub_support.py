"""Shared set-up for the `sub` tests: a small world of customers, rosters and subscriptions.

Everything goes through the real core (roster and subscription imports) on a
real SQLite store; files are real .csv/.xlsx written with csv and openpyxl.
"""

from __future__ import annotations

import csv
from pathlib import Path

ORDERER = "anna.berg@polisen.example"
CONTACT = "ledningscentral@polisen.example"
VIEWER = "olle.ek@polisen.example"
OTHER_ORDERER = "karin.lind@rtj.example"

# customer 1001: ISSIs 2010001..2010030, 2010029-30 standby, 2010025-28 inactive
# customer 1002: ISSIs 2020001..2020005
ISSIS_1001 = list(range(2010001, 2010031))
ISSIS_1002 = list(range(2020001, 2020006))


def tei(issi: int) -> str:
    """The TEI the world gives a subscription: 15 hex digits."""
    return f"A{issi:014X}"


def new_tei(issi: int) -> str:
    return f"F{issi:014X}"


def write_csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def subscription_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for issi in ISSIS_1001:
        kind = "standby" if issi >= 2010029 else "standard"
        status = "inactive" if issi >= 2010025 else "active"
        rows.append(["1001", issi, tei(issi), "", kind, status])
    for issi in ISSIS_1002:
        rows.append(["1002", issi, tei(issi), f"+4670000{issi % 10000:04d}", "standard", "active"])
    return rows


def build_world(ops, tmp: Path) -> None:
    """Customers 1001/1002 with their roster, and 35 subscriptions, through the real imports."""
    from ops_cli import roster
    from ops_cli.subscriptions import import_subscriptions

    roster.add_customer(ops, "1001", name="Polisregion Syd")
    roster.add_customer(ops, "1002", name="Räddningstjänsten Storstad")
    roster.add_entry(ops, "1001", ORDERER, "Anna Berg", ["orderer"])
    roster.add_entry(ops, "1001", CONTACT, "Ledningscentralen", ["contact"], kind="function")
    roster.add_entry(ops, "1001", VIEWER, "Olle Ek", ["viewer"])
    roster.add_entry(ops, "1002", OTHER_ORDERER, "Karin Lind", ["orderer"])
    path = write_csv(
        tmp / "world_subs.csv", ["customer", "issi", "tei", "msisdn", "kind", "status"], subscription_rows()
    )
    import_subscriptions(ops, path)


def change_file(
    tmp: Path,
    rows: list[list[object]],
    name: str = "order.xlsx",
    header: tuple[str, ...] = ("issi", "new_tei", "new_issi"),
) -> Path:
    """A change-order sheet; .xlsx unless the name says .csv."""
    path = tmp / name
    if name.endswith(".csv"):
        return write_csv(path, list(header), rows)
    return write_xlsx(path, list(header), rows)


def tei_changes(issis: list[int]) -> list[list[object]]:
    return [[issi, new_tei(issi), None] for issi in issis]
