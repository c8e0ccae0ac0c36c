"""The SLA support code: salted scrypt hash only, constant-time check, audit, lock-out."""

from __future__ import annotations

import pytest
from helpers import db as store_db

from ops_cli import sla
from ops_cli.errors import CheckFailed, Conflict, InvalidInput, NotFound

CODE = "Rakel-4711-Göteborg"


@pytest.fixture
def store(ops):
    with ops.store.write() as st:
        for number, name in (("2001", "Nordbygg AB"), ("2002", "Café Bönan")):
            st.execute(
                "INSERT INTO customers (number, name, agreement, binding_until, sla_tier, created_at,"
                " updated_at)"
                " VALUES (?, ?, 'business', '2027-12-31', 'gold', '2026-01-01T00:00:00+00:00',"
                " '2026-01-01T00:00:00+00:00')",
                (number, name),
            )
    return ops


def _db_bytes(env) -> bytes:
    if store_db.is_pg(env.db):  # the server's files: every value of the store instead
        return "\n".join(store_db.dump(env.db)).encode("utf-8")
    data = b""
    for path in env.tmp.iterdir():
        if path.name.startswith(env.db.name):  # ops.db, ops.db-wal, ops.db-shm
            data += path.read_bytes()
    return data


def test_code_never_reaches_the_store_in_clear_text(store, env):
    env.now = "2026-11-20T10:00"
    r = env.run("sla", "set-code", "2001", input=CODE + "\n")
    assert r.code == 0, r.stderr
    assert CODE not in r.stdout + r.stderr
    ok = env.run("sla", "verify-code", "2001", input=CODE + "\n")
    assert ok.code == 0, ok.stderr
    bad = env.run("sla", "verify-code", "2001", input="Rakel-4711-Malmö\n")
    assert bad.code == 1
    data = _db_bytes(env)
    for needle in (CODE, "Rakel-4711-Malmö", "Rakel-4711"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert needle.encode(encoding) not in data
        assert needle.encode("utf-8").hex().encode() not in data
    conn = store_db.connect(env.db)
    try:
        kdf, salt, digest = conn.execute(
            "SELECT kdf, salt, hash FROM sla_codes WHERE customer = '2001'"
        ).fetchone()
        audit = " ".join(str(r) for r in conn.execute("SELECT * FROM audit"))
    finally:
        conn.close()
    assert kdf.startswith("scrypt:") and len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert CODE not in audit


def test_same_code_gets_a_different_salt_and_hash(store):
    sla.set_code(store, "2001", CODE)
    sla.set_code(store, "2002", CODE)
    rows = store.store.query("SELECT salt, hash FROM sla_codes ORDER BY customer")
    assert rows[0]["salt"] != rows[1]["salt"] and rows[0]["hash"] != rows[1]["hash"]


def test_verify_right_and_wrong_and_audit(store):
    store.config["desk"]["agents"] = ["desk@desk.example"]
    sla.set_code(store, "2001", CODE, by="desk@desk.example")
    assert sla.verify_code(store, "2001", CODE + "\n") == {"customer": "2001", "valid": True}
    with pytest.raises(CheckFailed, match="wrong support code for customer 2001"):
        sla.verify_code(store, "2001", CODE.lower())
    with pytest.raises(CheckFailed):
        sla.verify_code(store, "2002", CODE)  # 2002 has no code
    actions = [r["action"] for r in store.store.audit_log(10)]
    assert actions[:3] == ["sla.code.failed", "sla.code.verified", "sla.code.set"]


def test_replacing_a_code(store):
    assert sla.set_code(store, "2001", CODE)["code"] == "set"
    assert sla.set_code(store, "2001", "new-code-1")["code"] == "replaced"
    with pytest.raises(CheckFailed):
        sla.verify_code(store, "2001", CODE)
    assert sla.verify_code(store, "2001", "new-code-1")["valid"] is True


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "the support code is empty"),
        ("abc", "too short"),
        (" abcd", "starts or ends with a space"),
        ("x" * 65, "too long"),
    ],
)
def test_bad_codes_are_refused_and_nothing_is_written(store, env, code, message):
    with pytest.raises(InvalidInput, match=message):
        sla.set_code(store, "2001", code)
    before = env.snapshot()
    r = env.cli("sla", "set-code", "2001", input=code + "\n")
    assert r.code == 3
    assert message in r.stderr
    assert env.snapshot() == before


def test_unknown_customer(store, env):
    with pytest.raises(NotFound):
        sla.set_code(store, "9999", CODE)
    before = env.snapshot()
    for cmd in ("set-code", "verify-code"):
        r = env.cli("sla", cmd, "9999", input=CODE + "\n")
        assert r.code == 4
        assert "customer 9999 not found" in r.stderr
    assert env.snapshot() == before


def test_code_is_never_an_argument(store, env):
    before = env.snapshot()
    r = env.cli("sla", "set-code", "2001", CODE)
    assert r.code == 2
    assert env.snapshot() == before
    empty = env.cli("sla", "set-code", "2001", input="")
    assert empty.code == 3 and "no support code on stdin" in empty.stderr
    assert env.snapshot() == before


def _verify(env, now, code):
    env.now = now
    return env.cli("sla", "verify-code", "2001", input=code + "\n")


def _failed_tries(ops, customer, moments):
    """Record failed tries at given (real-clock) moments, as verify-code does."""
    from ops_cli import clock
    from ops_cli.store import sla as q

    with ops.store.write() as st:
        for moment in moments:
            q.add_try(st, customer, clock.to_db(moment), "fail")


def test_lock_out_after_five_failures_in_fifteen_minutes(store):
    from datetime import UTC, datetime, timedelta

    sla.set_code(store, "2001", CODE)
    t0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 10:00 CET
    _failed_tries(store, "2001", [t0 + timedelta(minutes=m) for m in range(5)])  # 10:00 .. 10:04
    until = sla._locked_until(store, "2001", t0 + timedelta(minutes=5))
    assert until.strftime("%Y-%m-%d %H:%M %Z") == "2026-11-20 10:19 CET"
    assert sla._locked_until(store, "2001", t0 + timedelta(minutes=18)) is not None
    assert sla._locked_until(store, "2001", t0 + timedelta(minutes=19)) is None
    # Another customer is not locked by 2001's failures.
    assert sla._locked_until(store, "2002", t0 + timedelta(minutes=5)) is None


def test_failures_spread_over_more_than_the_window_do_not_lock(store):
    from datetime import timedelta

    sla.set_code(store, "2001", CODE)
    real = sla.security_now(store)
    # never 5 within 15 minutes: 20, 16, 12, 8, 4 and 0 minutes ago
    _failed_tries(store, "2001", [real - timedelta(minutes=m) for m in (20, 16, 12, 8, 4, 0)])
    assert sla.verify_code(store, "2001", CODE) == {"customer": "2001", "valid": True}


@pytest.mark.parametrize("moved", ["2020-01-01T10:00", "2026-11-20T10:30", "2031-06-01T12:00"])
def test_lock_out_runs_on_the_real_clock_not_ops_now(store, env, moved):
    """OPS_NOW moves the business clock, never the security clock: after 5 failed tries the
    lock-out holds whether OPS_NOW says a past or a future time."""
    env.now = "2026-11-20T09:59"
    assert env.cli("sla", "set-code", "2001", input=CODE + "\n").code == 0
    for minute in range(5):
        r = _verify(env, f"2026-11-20T10:0{minute}", "wrong-code")
        assert r.code == 1
    assert "error: wrong support code for customer 2001; further tries are refused until" in r.stderr
    codes = env.snapshot()["sla_codes"]
    locked = _verify(env, moved, CODE)
    assert locked.code == 6
    assert "error: too many wrong support codes for customer 2001; tries are refused until" in locked.stderr
    after = env.snapshot()
    assert after["sla_codes"] == codes  # the code is untouched; only the refused try is recorded
    assert [r[-1] for r in after["sla_code_tries"]][-1] == "refused"


def test_lock_out_in_the_core_raises_conflict(store):
    from datetime import timedelta

    sla.set_code(store, "2001", CODE)
    for _ in range(5):
        with pytest.raises(CheckFailed):
            sla.verify_code(store, "2001", "wrong-code")
    with pytest.raises(Conflict, match="too many wrong support codes"):
        sla.verify_code(store, "2001", CODE)
    tries = [r["outcome"] for r in store.store.query("SELECT outcome FROM sla_code_tries ORDER BY id")]
    assert tries == ["set", "fail", "fail", "fail", "fail", "fail", "refused"]
    assert sla._locked_until(store, "2001", store.now() + timedelta(minutes=16)) is None


def _on_a_terminal(env, args, typed, timeout=30):
    """Run `ops` on a pseudo-terminal, answering each prompt once; returns (exit code, output).

    The child is killed if it is still running after ``timeout`` seconds, so a
    prompt that is never answered fails the test instead of hanging it.
    """
    import os
    import pty
    import select
    import signal
    import termios
    import time

    from conftest import OPS_BIN

    prompts = (b"Support code:", b"Repeat for confirmation:")
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin/stdout are the terminal
        os.execve(str(OPS_BIN), [str(OPS_BIN), *args], env.environ())
    out = b""
    answered = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break  # the child closed the terminal
            if not chunk:
                break
            out += chunk
            asked = sum(out.count(p) for p in prompts)
            if asked > answered and answered < len(typed):
                # click prints the prompt before getpass turns echo off, and turning
                # it off flushes pending input: answer only once echo is off.
                echo_wait = time.monotonic() + 10
                while time.monotonic() < echo_wait and termios.tcgetattr(fd)[3] & termios.ECHO:
                    time.sleep(0.01)
                os.write(fd, typed[answered].encode() + b"\n")
                answered += 1
    finally:
        done, status = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


def test_set_code_on_a_terminal_asks_twice_and_hides_the_code(store, env):
    code, out = _on_a_terminal(
        env, ["sla", "set-code", "2001"], ["abcd-1234", "abcd-9999", "abcd-1234", "abcd-1234"]
    )
    assert code == 0, out
    assert out.count("Support code:") == 2 and out.count("Repeat for confirmation:") == 2
    assert "do not match" in out
    assert "abcd-1234" not in out  # never echoed
    assert sla.verify_code(store, "2001", "abcd-1234")["valid"] is True
