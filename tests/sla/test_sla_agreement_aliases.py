"""Agreement names from the seeds are aliases of the eligible agreements (issue 13 item 15).

Seed 004 (Telenor SLA, Danish): "SLA kan tilbydes alle erhvervskunder som har mobilaftale
(Business aftale, Erhvervsaftale, Mobildeal aftale eller Foreningsaftale)". The config's
``sla.agreement_aliases`` lists them (and the Swedish names) per eligible agreement; names
compare case-insensitively, with or without spaces and hyphens.
"""

from __future__ import annotations

import pytest

from ops_cli import sla

STAMP = "2026-01-01T00:00:00+00:00"


def add_customer(ops, number, agreement, binding="2027-12-31"):
    with ops.store.write() as st:
        st.execute(
            "INSERT INTO customers (number, name, agreement, binding_until, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (number, f"Kund {number}", agreement, binding, STAMP, STAMP),
        )


@pytest.mark.parametrize(
    "agreement,kind",
    [
        ("Erhvervsaftale", "erhverv"),
        ("ERHVERVSAFTALE", "erhverv"),
        ("Business aftale", "business"),
        ("business-aftale", "business"),
        ("Businessaftale", "business"),
        ("Mobildeal aftale", "mobildeal"),
        ("Foreningsaftale", "forening"),
        ("Företagsavtal", "erhverv"),
        ("föreningsavtal", "forening"),
        ("Business", "business"),
    ],
)
def test_seed_names_are_eligible(env, ops, agreement, kind):
    add_customer(ops, "2003", agreement)
    r = env.cli("sla", "check", "2003", "--at", "2026-11-20", "-f", "json")
    assert r.code == 0, r.stdout + r.stderr
    data = r.json()
    assert data["eligible"] is True and data["reasons"] == []
    assert (data["agreement"], data["agreement_type"]) == (agreement, kind)


@pytest.mark.parametrize("agreement", ["rakel", "Erhvervsaftale Plus", "aftale"])
def test_other_names_are_not_eligible(env, ops, agreement):
    add_customer(ops, "2003", agreement)
    before = env.snapshot()
    r = env.cli("sla", "check", "2003", "--at", "2026-11-20", "-f", "json")
    assert r.code == 1
    assert r.json()["reasons"] == [
        f"agreement type {agreement!r} is not one of business, erhverv, mobildeal, forening"
    ]
    assert env.snapshot() == before


def test_alias_still_needs_three_months_of_binding(env, ops):
    add_customer(ops, "2003", "Erhvervsaftale", binding="2027-02-19")
    result = sla.eligibility(ops, "2003", __import__("datetime").date(2026, 11, 20))
    assert result == {
        "eligible": False,
        "reasons": [
            "binding ends 2027-02-19: 2 months, 30 days left on 2026-11-20, at least 3 months needed"
        ],
    }


def test_aliases_from_the_users_config(env, ops):
    env.config.write_text('[sla.agreement_aliases]\nerhverv = ["Erhvervsavtale"]\n')
    add_customer(ops, "2003", "erhvervsavtale")
    assert env.cli("sla", "check", "2003", "--at", "2026-11-20").code == 0


def test_roster_sla_tier_on_an_alias_agreement_gives_no_warning(env, ops):
    r = env.cli(
        "roster",
        "customer",
        "add",
        "2003",
        "--name",
        "Dansk Byg ApS",
        "--agreement",
        "Erhvervsaftale",
        "--binding-until",
        "2027-12-31",
        "--sla-tier",
        "gold",
    )
    assert r.code == 0, r.stderr
    assert "not eligible" not in r.stderr
