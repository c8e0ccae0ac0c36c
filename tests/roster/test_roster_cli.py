"""`ops roster`: customers, entries, permissions (core and CLI)."""

from __future__ import annotations

import json

import pytest

from ops_cli import roster
from ops_cli.errors import Conflict, InvalidInput, NotFound, NotPermitted


@pytest.fixture
def demo(env):
    env.now = "2026-11-20T10:00"
    r = env.cli("roster", "customer", "import", str(_fixture("customers.csv")))
    assert r.code == 0, r.stderr
    r = env.cli("roster", "import", str(_fixture("roster.xlsx")))
    assert r.code == 0, r.stderr
    return env


def _fixture(name):
    from ops_cli.demo import fixture

    return fixture(name)


def audit_rows(env):
    return env.snapshot()["audit"]


# ------------------------------------------------------------------ demo data
def test_demo_customers_match_architecture(demo):
    rows = demo.cli("roster", "customer", "list", "-f", "json").json()
    by = {r["number"]: r for r in rows}
    assert list(by) == ["1001", "1002", "2001", "2002"]
    assert by["1001"] == {
        "number": "1001",
        "name": "Polisregion Syd",
        "agreement": "rakel",
        "binding_until": None,
        "sla_tier": "none",
        "service_level": "none",
        "fleet": 250,
        "kam": False,
        "swap_policy": "loan",
        "department": None,
        "domains": ["polisen.example"],
    }
    n = by["2001"]
    assert (
        n["binding_until"],
        n["sla_tier"],
        n["service_level"],
        n["fleet"],
        n["kam"],
        n["swap_policy"],
    ) == ("2027-12-31", "gold", "prof", 400, True, "exchange")
    b = by["2002"]
    assert (b["name"], b["agreement"], b["binding_until"], b["sla_tier"], b["service_level"], b["fleet"]) == (
        "Café Bönan",
        "forening",
        "2027-06-30",
        "bronze",
        "bas",
        13,
    )


def test_demo_roster_people(demo):
    rows = demo.cli("roster", "list", "-f", "json").json()
    assert len(rows) == 15
    by = {(r["customer"], r["email"]): r for r in rows}
    assert by[("1001", "anna.berg@polisen.example")]["roles"] == ["orderer"]
    assert by[("1001", "ledningscentral@polisen.example")]["kind"] == "function"
    assert by[("1001", "ledningscentral@polisen.example")]["roles"] == ["contact"]
    assert by[("1001", "olle.ek@polisen.example")]["roles"] == ["viewer"]
    assert by[("1002", "karin.lind@rtj.example")]["roles"] == ["orderer"]
    assert by[("1002", "jonas.holm@rtj.example")]["roles"] == ["contact"]
    assert by[("2001", "maria.sund@nordbygg.example")]["roles"] == ["orderer"]
    assert by[("2001", "per.falk@nordbygg.example")] == {
        "customer": "2001",
        "name": "Per Falk",
        "email": "per.falk@nordbygg.example",
        "phone": "+46701234567",
        "roles": ["telephony"],
        "kind": "person",
    }
    assert by[("2002", "lisa.ek@bonan.example")]["roles"] == ["orderer", "telephony"]


def test_demo_load_is_idempotent(ops):
    first = roster.load_demo(ops)
    assert first["customers"]["created"] == 4 and first["roster"]["created"] == 15
    again = roster.load_demo(ops)
    assert again == {
        "customers": {"created": 0, "updated": 0, "unchanged": 4},
        "roster": {"created": 0, "updated": 0, "unchanged": 15, "removed": 0},
    }


def test_init_demo_then_customer_list_end_to_end(env):
    r = env.run("init", "--demo")
    assert r.code == 0, r.stderr
    r = env.run("roster", "customer", "list")
    assert r.code == 0
    assert "Polisregion Syd" in r.stdout and "Café Bönan" in r.stdout and "nordbygg.example" in r.stdout


# ------------------------------------------------------------------ customers
def test_customer_add_show_set(env):
    env.now = "2026-11-20T10:00"
    r = env.cli(
        "roster",
        "customer",
        "add",
        "3001",
        "--name",
        "Åkeri Syd AB",
        "--agreement",
        "business",
        "--binding-until",
        "2027-12-31",
        "--sla-tier",
        "silver",
        "--service-level",
        "prof",
        "--fleet",
        "40",
        "--kam",
        "--domain",
        "Akeri.example",
        "--department",
        "kam",
        "--swap-policy",
        "exchange",
        "-f",
        "json",
    )
    assert r.code == 0, r.stderr
    assert r.stderr == ""  # eligible: no warning
    data = r.json()
    assert data["domains"] == ["akeri.example"] and data["kam"] is True and data["department"] == "kam"
    assert "warnings" not in data
    r = env.cli(
        "roster", "customer", "set", "3001", "--fleet", "41", "--no-kam", "--domain", "", "-f", "json"
    )
    assert r.code == 0, r.stderr
    assert (r.json()["fleet"], r.json()["kam"], r.json()["domains"]) == (41, False, [])
    shown = env.cli("roster", "customer", "show", "3001", "-f", "json").json()
    assert shown["name"] == "Åkeri Syd AB" and shown["roster"] == []
    actions = [row[3] for row in audit_rows(env)]
    assert actions == ["customer.add", "customer.set"]


def test_customer_set_tier_on_ineligible_customer_warns_with_reasons(demo):
    # 2002's binding ends 2027-06-30: eligible on 2026-11-20; 1002 is a rakel customer without binding.
    r = demo.cli("roster", "customer", "set", "1002", "--sla-tier", "bronze", "-f", "json")
    assert r.code == 0
    assert r.json()["sla_tier"] == "bronze"
    assert "warning: customer 1002 is not eligible for an SLA: agreement type 'rakel'" in r.stderr
    assert "no binding end date" in r.stderr


def test_customer_set_tier_warns_when_binding_too_short(demo):
    demo.now = "2027-04-15T10:00"  # 2002: binding ends 2027-06-30, 2 months 15 days left
    r = demo.cli("roster", "customer", "set", "2002", "--sla-tier", "silver")
    assert r.code == 0
    assert "binding ends 2027-06-30" in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sla-tier", "platinum"], "unknown SLA tier 'platinum'; allowed: none, bronze, silver, gold"),
        (["--service-level", "max"], "unknown service level 'max'; allowed: none, bas, prof"),
        (["--department", "nowhere"], "unknown department 'nowhere'; departments in the config: support"),
        (["--binding-until", "31/12/2027"], "must be written YYYY-MM-DD"),
        (["--swap-policy", "steal"], "unknown swap policy 'steal'; allowed: loan, exchange"),
        (["--domain", "bad domain"], "is not a valid domain"),
    ],
)
def test_customer_set_bad_values(demo, args, message):
    before = demo.snapshot()
    r = demo.cli("roster", "customer", "set", "2001", *args)
    assert r.code == 3
    assert message in r.stderr
    assert demo.snapshot() == before


def test_customer_errors(demo):
    before = demo.snapshot()
    r = demo.cli("roster", "customer", "add", "2001", "--name", "Again")
    assert (
        r.code == 6
        and "customer 2001 already exists; change it with `ops roster customer set 2001`" in r.stderr
    )
    r = demo.cli("roster", "customer", "add", "20x1", "--name", "X")
    assert r.code == 3 and "must be digits only" in r.stderr
    r = demo.cli("roster", "customer", "add", "3005")
    assert r.code == 3 and "needs a name" in r.stderr
    r = demo.cli("roster", "customer", "show", "9999")
    assert r.code == 4 and "customer 9999 not found" in r.stderr
    r = demo.cli("roster", "customer", "set", "9999", "--fleet", "1")
    assert r.code == 4
    r = demo.cli("roster", "customer", "add", "3006", "--name", "Thief", "--domain", "nordbygg.example")
    assert r.code == 6 and "nordbygg.example already belongs to customer 2001" in r.stderr
    assert demo.snapshot() == before


def test_customer_set_without_changes_writes_no_audit(demo):
    before = demo.snapshot()
    r = demo.cli("roster", "customer", "set", "2001", "--fleet", "400")
    assert r.code == 0
    assert demo.snapshot() == before


def test_customer_import_upserts_and_keeps_absent_columns(demo, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Kundnummer;Kund;Antal\n2001;Nordbygg AB;410\n3001;Nytt AB;5\n", encoding="cp1252")
    r = demo.cli("roster", "customer", "import", str(path), "-f", "json")
    assert r.code == 0, r.stderr
    assert {k: r.json()[k] for k in ("created", "updated", "unchanged")} == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
    }
    c = demo.cli("roster", "customer", "show", "2001", "-f", "json").json()
    assert c["fleet"] == 410 and c["sla_tier"] == "gold" and c["domains"] == ["nordbygg.example"]


def test_customer_import_bad_rows_all_reported(demo, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "number,name,sla_tier,fleet,binding_until\n"
        "2001,Nordbygg AB,gold,400,2027-12-31\n"
        "x1,Bad,platinum,-3,soon\n"
        "2002,,bronze,13,2027-06-30\n",
        encoding="utf-8",
    )
    before = demo.snapshot()
    r = demo.cli("roster", "customer", "import", str(path))
    assert r.code == 3
    for line in (
        f"{path}:3: number: customer number 'x1' must be digits only",
        f"{path}:3: sla_tier: unknown SLA tier 'platinum'",
        f"{path}:3: fleet: fleet size '-3' must be a whole number",
        f"{path}:3: binding_until: not a date: 'soon'",
        f"{path}:4: name: name is missing",
    ):
        assert line in r.stderr
    assert demo.snapshot() == before


def test_customer_import_dry_run(demo, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("number,name\n4001,Ny Kund\n", encoding="utf-8")
    before = demo.snapshot()
    r = demo.cli("roster", "customer", "import", str(path), "--dry-run", "-f", "json")
    assert r.code == 0 and r.json()["created"] == 1 and r.json()["dry_run"] is True
    assert demo.snapshot() == before


# ------------------------------------------------------------------ entries
def test_add_update_remove_entry_by_the_desk(demo):
    r = demo.cli(
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "Eva.Lund@Nordbygg.example",
        "--name",
        "Eva Lund",
        "-r",
        "contact",
        "-r",
        "viewer",
        "--phone",
        "070-555 12 34",
        "-f",
        "json",
    )
    assert r.code == 0, r.stderr
    assert r.json() == {
        "customer": "2001",
        "name": "Eva Lund",
        "email": "eva.lund@nordbygg.example",
        "phone": "+46705551234",
        "roles": ["contact", "viewer"],
        "kind": "person",
        "result": "created",
    }
    r = demo.cli(
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "eva.lund@nordbygg.example",
        "--name",
        "Eva Lund",
        "-r",
        "beställare",
        "-f",
        "json",
    )
    # add merges: the given role joins the ones she had, the phone stays
    assert r.json()["result"] == "updated" and r.json()["roles"] == ["contact", "orderer", "viewer"]
    assert r.json()["phone"] == "+46705551234"
    r = demo.cli("roster", "remove", "-c", "2001", "-e", "eva.lund@nordbygg.example", "-f", "json")
    assert r.code == 0 and r.json()["result"] == "removed"
    log = [(row[2], row[3], row[4]) for row in audit_rows(demo)][-3:]
    assert [a for _, a, _ in log] == ["roster.add", "roster.update", "roster.remove"]
    assert all(o == "roster:2001:eva.lund@nordbygg.example" for _, _, o in log)


def test_add_with_by_an_orderer_is_audited_as_that_person(demo):
    r = demo.cli(
        "roster",
        "add",
        "-c",
        "2001",
        "-e",
        "ny@nordbygg.example",
        "--name",
        "Ny",
        "-r",
        "viewer",
        "--by",
        "Maria.Sund@nordbygg.example",
    )
    assert r.code == 0, r.stderr
    assert audit_rows(demo)[-1][2] == "maria.sund@nordbygg.example"


@pytest.mark.parametrize(
    "by",
    [
        "per.falk@nordbygg.example",  # telephony, not orderer
        "anna.berg@polisen.example",  # orderer of another customer
        "stranger@example.com",
    ],
)
def test_add_and_remove_with_by_a_non_orderer_is_refused(demo, by):
    before = demo.snapshot()
    r = demo.cli(
        "roster", "add", "-c", "2001", "-e", "ny@nordbygg.example", "--name", "Ny", "-r", "viewer", "--by", by
    )
    assert r.code == 5
    assert "manage-roster needs the role orderer" in r.stderr
    r = demo.cli("roster", "remove", "-c", "2001", "-e", "per.falk@nordbygg.example", "--by", by)
    assert r.code == 5
    assert demo.snapshot() == before


def test_entry_bad_input(demo):
    before = demo.snapshot()
    r = demo.cli("roster", "add", "-c", "2001", "-e", "not-an-email", "--name", "X", "-r", "boss")
    assert r.code == 3
    assert "'not-an-email' is not a valid email address" in r.stderr and "unknown role 'boss'" in r.stderr
    r = demo.cli("roster", "add", "-c", "9999", "-e", "a@b.example", "--name", "X", "-r", "viewer")
    assert r.code == 4 and "customer 9999 not found" in r.stderr
    r = demo.cli("roster", "remove", "-c", "2001", "-e", "nobody@nordbygg.example")
    assert r.code == 4 and "nobody@nordbygg.example is not in the roster of customer 2001" in r.stderr
    r = demo.cli("roster", "add", "-c", "2001", "-e", "a@b.example", "--name", "X")
    assert r.code == 2  # --role is required
    assert demo.snapshot() == before


def test_list_filters_and_show(demo):
    rows = demo.cli("roster", "list", "--role", "orderer", "-f", "json").json()
    assert {r["email"] for r in rows} == {
        "anna.berg@polisen.example",
        "karin.lind@rtj.example",
        "maria.sund@nordbygg.example",
        "lisa.ek@bonan.example",
    }
    rows = demo.cli("roster", "list", "-c", "2002", "--role", "telefoniansvarig", "-f", "json").json()
    assert [r["email"] for r in rows] == ["lisa.ek@bonan.example"]
    assert demo.cli("roster", "list", "-c", "9999").code == 4
    r = demo.cli("roster", "list", "--role", "boss")
    assert r.code == 3 and "unknown role" in r.stderr
    shown = demo.cli("roster", "show", "PER.FALK@nordbygg.example", "-f", "json").json()
    assert shown["customer"] == "2001" and shown["may"] == ["report-fault", "report-sla"]
    assert demo.cli("roster", "show", "nobody@x.example").code == 4


def test_show_email_in_two_rosters_asks_for_customer(demo):
    demo.cli(
        "roster",
        "add",
        "-c",
        "1002",
        "-e",
        "anna.berg@polisen.example",
        "--name",
        "Anna Berg",
        "-r",
        "viewer",
    )
    r = demo.cli("roster", "show", "anna.berg@polisen.example")
    assert r.code == 3 and "customers 1001, 1002; choose one with --customer" in r.stderr
    r = demo.cli("roster", "show", "anna.berg@polisen.example", "-c", "1002", "-f", "json")
    assert r.json()["roles"] == ["viewer"]


# ------------------------------------------------------------------ permissions
@pytest.mark.parametrize(
    "email, action, customer, allowed",
    [
        ("anna.berg@polisen.example", "order", "1001", True),
        ("anna.berg@polisen.example", "manage-roster", "1001", True),
        ("anna.berg@polisen.example", "order", "1002", False),
        ("ledningscentral@polisen.example", "activate", "1001", True),
        ("ledningscentral@polisen.example", "order", "1001", False),
        ("ledningscentral@polisen.example", "grant-access", "1001", True),
        ("olle.ek@polisen.example", "view-cases", "1001", True),
        ("olle.ek@polisen.example", "deactivate", "1001", False),
        ("per.falk@nordbygg.example", "report-sla", "2001", True),
        ("maria.sund@nordbygg.example", "report-sla", "2001", False),
        ("lisa.ek@bonan.example", "report-sla", "2002", True),
        ("someone@anywhere.example", "report-fault", "2002", True),
        ("someone@anywhere.example", "view-cases", "2002", False),
    ],
)
def test_can_table(demo, email, action, customer, allowed):
    r = demo.cli("roster", "can", email, action, "--customer", customer, "-f", "json")
    assert r.code == (0 if allowed else 1)
    assert r.json()["allowed"] is allowed


def test_can_errors(demo):
    r = demo.cli("roster", "can", "anna.berg@polisen.example", "fly", "-c", "1001")
    assert r.code == 3 and "unknown action 'fly'; actions are: order, change" in r.stderr
    r = demo.cli("roster", "can", "anna.berg@polisen.example", "order", "-c", "9999")
    assert r.code == 4
    r = demo.cli("roster", "can", "anna.berg@polisen.example", "order")
    assert r.code == 2


def test_core_functions_raise_typed_errors(ops):
    roster.load_demo(ops)
    with pytest.raises(NotPermitted):
        roster.add_entry(ops, "2001", "x@y.example", "X", ["viewer"], by="per.falk@nordbygg.example")
    with pytest.raises(NotFound):
        roster.remove_entry(ops, "2001", "x@y.example")
    with pytest.raises(InvalidInput):
        roster.add_customer(ops, "2003", name="X", sla_tier="diamond")
    with pytest.raises(Conflict):
        roster.add_customer(ops, "2001", name="X")
    assert roster.can(ops, "per.falk@nordbygg.example", "report-sla", "2001")["allowed"] is True


def test_help_teaches(env):
    r = env.cli("roster", "import", "--help")
    assert r.code == 0 and "kundnummer" in r.stdout and "--skip-invalid" in r.stdout
    r = env.cli("roster", "can", "--help")
    assert "Exit 0 if allowed, 1 if not" in r.stdout and "report-sla" in r.stdout


def test_json_is_one_document(demo):
    r = demo.cli("roster", "customer", "show", "2001", "-f", "json")
    data = json.loads(r.stdout)
    assert [e["email"] for e in data["roster"]][0] == "emma.strand@nordbygg.example"


def test_customer_import_xlsx_dates_serials_and_swedish_headers(env, tmp_path):
    from datetime import date

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["Kundnummer", "Kund", "Avtal", "Bindningstid", "SLA", "Servicenivå", "Antal", "KAM", "Domäner"]
    )
    ws.append(
        [3001, "Åkeri Syd AB", "business", date(2027, 12, 31), "Silver", "prof", 40, "ja", "akeri.example"]
    )
    ws.append([3002.0, "Bygg Norr AB", "mobildeal", 46568, "none", "bas", 7.0, "nej", "a.example, b.example"])
    wb.save(tmp_path / "c.xlsx")
    r = env.cli("roster", "customer", "import", str(tmp_path / "c.xlsx"), "-f", "json")
    assert r.code == 0, r.stderr
    assert r.json()["created"] == 2
    rows = {c["number"]: c for c in env.cli("roster", "customer", "list", "-f", "json").json()}
    assert rows["3001"]["binding_until"] == "2027-12-31" and rows["3001"]["sla_tier"] == "silver"
    assert rows["3001"]["kam"] is True and rows["3001"]["fleet"] == 40
    assert rows["3002"]["binding_until"] == "2027-06-30"  # Excel serial 46568
    assert rows["3002"]["domains"] == ["a.example", "b.example"] and rows["3002"]["kam"] is False
    again = env.cli("roster", "customer", "import", str(tmp_path / "c.xlsx"), "-f", "json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
