"""`sla set-code --by`: a desk agent or the customer's orderer; anyone else exits 5, nothing written."""

from __future__ import annotations

import pytest

from ops_cli import sla

CODE = "Rakel-4711-Göteborg"
AGENT = "tove@desk.example"
ORDERER = "maria.sund@nordbygg.example"
TELEPHONY = "per.falk@nordbygg.example"
FOREIGN = "lisa.ek@bonan.example"  # orderer of 2002, nobody at 2001
STRANGER = "x@example.com"
STAMP = "2026-01-01T00:00:00+00:00"


@pytest.fixture
def desk(env, ops):
    with ops.store.write() as st:
        for number, name in (("2001", "Nordbygg AB"), ("2002", "Café Bönan")):
            st.execute(
                "INSERT INTO customers (number, name, agreement, binding_until, sla_tier, created_at,"
                " updated_at) VALUES (?, ?, 'business', '2027-12-31', 'gold', ?, ?)",
                (number, name, STAMP, STAMP),
            )
        for customer, email, roles in (
            ("2001", ORDERER, "orderer"),
            ("2001", TELEPHONY, "telephony,contact"),
            ("2002", FOREIGN, "orderer"),
        ):
            st.execute(
                "INSERT INTO roster_entries (customer, email, name, kind, roles, created_at, updated_at)"
                " VALUES (?, ?, ?, 'person', ?, ?, ?)",
                (customer, email, email.split("@")[0], roles, STAMP, STAMP),
            )
    env.config.write_text(f'[desk]\nagents = ["{AGENT}"]\n')
    ops.config["desk"]["agents"] = [AGENT]
    env.now = "2026-11-20T10:00"
    return env


@pytest.mark.parametrize(
    "actor,message",
    [
        (STRANGER, f"error: {STRANGER} is not in the roster of customer 2001; order needs the role orderer"),
        (FOREIGN, f"error: {FOREIGN} is not in the roster of customer 2001; order needs the role orderer"),
        (
            TELEPHONY,
            f"error: {TELEPHONY} is telephony, contact of customer 2001; order needs the role orderer",
        ),
    ],
)
def test_set_code_refuses_other_actors(desk, actor, message):
    before = desk.snapshot()
    r = desk.cli("sla", "set-code", "2001", "--by", actor, input=CODE + "\n")
    assert r.code == 5
    assert message in r.stderr
    assert "2002" not in r.stderr  # never names the actor's own customer
    assert desk.snapshot() == before  # no code, no try, no audit row


@pytest.mark.parametrize("actor", [AGENT, ORDERER, ORDERER.upper()])
def test_set_code_by_desk_agent_or_orderer(desk, actor):
    r = desk.cli("sla", "set-code", "2001", "--by", actor, input=CODE + "\n", OPS_DEBUG="1")
    assert r.code == 0, r.stderr
    audit = desk.cli("db", "log", "-n", "1", "-f", "json").json()[0]
    assert (audit["action"], audit["actor"]) == ("sla.code.set", actor.lower())
    assert desk.cli("sla", "verify-code", "2001", input=CODE + "\n").code == 0


def test_set_code_core_checks_inside_the_transaction(desk, ops):
    from ops_cli.errors import NotPermitted

    before = desk.snapshot()
    with pytest.raises(NotPermitted, match="not in the roster of customer 2001"):
        sla.set_code(ops, "2001", CODE, by=STRANGER)
    assert desk.snapshot() == before
    assert sla.set_code(ops, "2001", CODE)["code"] == "set"  # the desk's operator (no --by)
