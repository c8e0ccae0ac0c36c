"""Phones through `phonenumbers` (E.164 stored, formatted shown, Excel damage refused) and emails
through `email-validator` (syntax only)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.sheets import write_csv, write_xlsx

from ops_cli.parsers import contact

HEADER = ["customer", "customer_name", "name", "email", "phone", "role"]


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("+46 70-123 45 67", "+46701234567"),
        ("070-123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("+46 (0)8 555 010 00", "+46855501000"),
        ("+45 33 12 34 56", "+4533123456"),
    ],
)
def test_phone_stored_as_e164(text, e164):
    assert contact.phone(text) == e164


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("46701112233", "looks like +46701112233 without its '+'"),
        ("701112233", "looks like +46701112233 without its leading 0"),
        ("2026-11-20", "is a date, not a phone number"),
        ("2026-11-20 00:00:00", "is a date, not a phone number"),
        ("4.67e10", "is a number, not a phone number"),
        ("46701112233.0", "is a number, not a phone number"),
        ("070-12", "is not a valid phone number"),
    ],
)
def test_excel_damage_refused_with_a_hint(cell, hint):
    with pytest.raises(ValueError) as caught:
        contact.phone(cell)
    assert hint in str(caught.value)


def test_region_from_config(env):
    assert contact.phone("33 12 34 56", region="DK") == "+4533123456"
    env.config.write_text('[phone]\nregion = "DK"\n', encoding="utf-8")
    run = env.run(
        "roster", "customer", "add", "9001", "--name", "Nio",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    added = env.run("roster", "add", "-c", "9001", "-e", "k@nio.example", "--name", "K", "-r", "orderer",
                    "--phone", "33 12 34 56", "-f", "json")  # fmt: skip
    assert added.code == 0, added.stderr
    assert env.run("roster", "list", "-f", "json").json()[0]["phone"] == "+4533123456"


def test_phone_display():
    assert contact.phone_display("+46701234567") == "+46 70 123 45 67"
    assert contact.phone_display("not parsed") == "not parsed"


def test_roster_import_refuses_excel_damage_by_row(env, tmp_path):
    assert env.run("init").code == 0
    book = write_xlsx(
        tmp_path / "roster.xlsx",
        HEADER,
        [
            [9001, "Nio AB", "Ok Person", "ok@nio.example", "+46 70 123 45 67", "orderer"],
            [9001, "Nio AB", "Lost Plus", "plus@nio.example", 46701112233, "contact"],
            [9001, "Nio AB", "Lost Zero", "zero@nio.example", 701112233, "viewer"],
            [9001, "Nio AB", "A Date", "date@nio.example", dt.datetime(2026, 11, 20), "viewer"],
            [9001, "Nio AB", "A Float", "float@nio.example", 4.67e10, "viewer"],
        ],
    )
    before = env.snapshot()
    run = env.run("roster", "import", str(book))
    assert run.code == 3
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and "4 bad rows" in lines[0]
    detail = "\n".join(lines[1:])
    assert "roster.xlsx:3: phone: '46701112233' looks like +46701112233 without its '+'" in detail
    assert "roster.xlsx:4: phone: '701112233' looks like +46701112233 without its leading 0" in detail
    assert "roster.xlsx:5: phone:" in detail and "is a date" in detail
    # a float cell (4.67E+10 on screen) reaches us as its integer: refused as a lost '+'
    assert "roster.xlsx:6: phone: '46700000000' looks like +46700000000 without its '+'" in detail
    assert env.snapshot() == before


def test_roster_import_stores_e164_and_shows_formatted(env, tmp_path):
    sheet = write_csv(
        tmp_path / "roster.csv",
        HEADER,
        [[9001, "Nio AB", "Ok Person", "ok@nio.example", "070-123 45 67", "orderer"]],
    )
    assert env.run("roster", "import", str(sheet)).code == 0
    assert env.run("roster", "list", "-f", "json").json()[0]["phone"] == "+46701234567"
    table = env.run("roster", "list")
    assert "+46 70 123 45 67" in table.stdout
    shown = env.run("roster", "show", "ok@nio.example", "-f", "csv")
    assert "+46 70 123 45 67" in shown.stdout


def test_roster_add_refuses_a_lost_plus(env):
    assert env.run("roster", "customer", "add", "9001", "--name", "Nio").code == 0
    before = env.snapshot()
    run = env.run("roster", "add", "-c", "9001", "-e", "a@nio.example", "--name", "A", "-r", "orderer",
                  "--phone", "46701112233")  # fmt: skip
    assert run.code == 3
    assert run.stderr.startswith("error: ") and "looks like +46701112233 without its '+'" in run.stderr
    assert env.snapshot() == before


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("anna..berg@polisen.example", "two periods in a row"),
        ("anna@@polisen.example", "invalid characters"),
        ("anna@localhost", "should have a period"),
    ],
)
def test_email_syntax_refused(address, why):
    with pytest.raises(ValueError) as caught:
        contact.email(address)
    assert why in str(caught.value)


def test_email_needs_no_network():
    assert contact.email(" Anna.Berg@Polisen.Example ") == "anna.berg@polisen.example"
