"""Test helpers for the case tests: the demo customers written straight into a test store."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

TZ = ZoneInfo("Europe/Stockholm")
NOW = "2026-01-01T00:00:00+00:00"


def add_customer(
    ops, number, name, *, tier="none", kam=0, department=None, domain=None, agreement=None, binding=None
):
    with ops.store.write() as st:
        st.execute(
            "INSERT INTO customers (number, name, department, kam, sla_tier, agreement, binding_until,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, name, department, kam, tier, agreement, binding, NOW, NOW),
        )
        if domain:
            st.execute("INSERT INTO customer_domains (domain, customer) VALUES (?, ?)", (domain, number))


def add_person(ops, customer, email, name, phone, roles, kind="person"):
    with ops.store.write() as st:
        st.execute(
            "INSERT INTO roster_entries (customer, email, name, phone, kind, roles, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (customer, email, name, phone, kind, roles, NOW, NOW),
        )


def seed_customers(ops):
    """The four demo customers of docs/architecture.md with their roster entries."""
    add_customer(ops, "1001", "Polisregion Syd", domain="polisen.example")
    add_customer(ops, "1002", "Räddningstjänsten Storstad", domain="rtj.example")
    add_customer(
        ops,
        "2001",
        "Nordbygg AB",
        tier="gold",
        kam=1,
        domain="nordbygg.example",
        agreement="business",
        binding="2027-12-31",
    )
    add_customer(
        ops,
        "2002",
        "Café Bönan",
        tier="bronze",
        domain="bonan.example",
        agreement="forening",
        binding="2027-06-30",
    )
    add_person(ops, "1001", "anna.berg@polisen.example", "Anna Berg", "+46702000001", "orderer")
    add_person(
        ops,
        "1001",
        "ledningscentral@polisen.example",
        "Ledningscentral",
        "+46102000000",
        "contact",
        kind="function",
    )
    add_person(ops, "1001", "olle.ek@polisen.example", "Olle Ek", "+46702000003", "viewer")
    add_person(ops, "1002", "karin.lind@rtj.example", "Karin Lind", "+46703000001", "orderer")
    add_person(ops, "1002", "jonas.holm@rtj.example", "Jonas Holm", None, "contact")
    add_person(ops, "2001", "maria.sund@nordbygg.example", "Maria Sund", "+46704000001", "orderer")
    add_person(ops, "2001", "per.falk@nordbygg.example", "Per Falk", "+46701234567", "telephony")
    add_person(ops, "2002", "lisa.ek@bonan.example", "Lisa Ek", "+46705000001", "orderer,telephony")


DESK_AGENTS = ("tove@desk.example", "sara@desk.example")


def use_agents(env, ops, *agents: str) -> None:
    """Configure the desk's agents (config desk.agents) for the CLI (``env``; None: core
    only) and the core ``ops``."""
    agents = agents or DESK_AGENTS
    if env is not None:
        env.config.write_text("[desk]\nagents = [" + ", ".join(f'"{a}"' for a in agents) + "]\n")
    ops.config["desk"]["agents"] = list(agents)


# Fixtures shared by the case tests (imported by name where used).


@pytest.fixture
def desk(env, ops):
    """Demo customers and rosters, desk agents tove@ and sara@desk.example; Monday 2026-11-16 10:00."""
    seed_customers(ops)
    use_agents(env, ops)
    env.now = "2026-11-16T10:00"
    return env


@pytest.fixture
def number(desk) -> str:
    """An open fault case of customer 1001, reported by its orderer."""
    run = desk.cli(
        "case",
        "open",
        "--topic",
        "fault",
        "--reporter",
        "anna.berg@polisen.example",
        "--subject",
        "Nere",
        "-f",
        "json",
    )
    assert run.code == 0, run.stderr
    return run.json()["number"]
