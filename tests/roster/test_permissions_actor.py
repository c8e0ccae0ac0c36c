"""`ops_cli.permissions.require_actor`: the one --by check every group uses."""

from __future__ import annotations

import pytest

from ops_cli import roster
from ops_cli.errors import InvalidInput, NotPermitted
from ops_cli.permissions import require_actor

AGENT = "desk.agent@desk.example"


@pytest.fixture
def world(env, ops):
    roster.load_demo(ops)
    config = {"desk": {"agents": [AGENT.upper()]}}
    return ops.store, config


def test_operator_and_desk_agents(world):
    store, config = world
    require_actor(store, config, "2001", None, "manage-roster")  # the operator
    require_actor(store, config, "2001", " Desk.Agent@desk.example ", "manage-roster")
    require_actor(store, config, None, AGENT, None)
    with pytest.raises(NotPermitted, match="is not in the roster of customer 2001"):
        require_actor(store, config, "2001", AGENT, "manage-roster", desk_may=False)


def test_customer_people_by_role(world):
    store, config = world
    require_actor(store, config, "2001", "MARIA.SUND@nordbygg.example", "manage-roster")
    require_actor(store, config, "2001", "per.falk@nordbygg.example", None)  # any role of 2001
    with pytest.raises(NotPermitted) as exc:
        require_actor(store, config, "2001", "per.falk@nordbygg.example", "manage-roster")
    assert str(exc.value) == (
        "per.falk@nordbygg.example is telephony of customer 2001; manage-roster needs the role orderer"
    )


def test_foreign_and_unknown_actors(world):
    store, config = world
    with pytest.raises(NotPermitted) as exc:
        require_actor(store, config, "2001", "anna.berg@polisen.example", None)
    # never names the customer the address does belong to (1001)
    assert str(exc.value) == (
        "anna.berg@polisen.example is neither one of the desk's agents (config desk.agents) "
        "nor in the roster of customer 2001"
    )
    with pytest.raises(NotPermitted, match="x@example.com is not one of the desk's agents"):
        require_actor(store, config, None, "x@example.com", None)
    with pytest.raises(InvalidInput, match="--by is empty"):  # refused, as bad input (exit 3)
        require_actor(store, config, "2001", "", "manage-roster")
