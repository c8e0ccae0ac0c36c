"""Ctrl-C (SIGINT) on the installed `ops`: exit 130 and one line that says whether the command's
write was saved. A write is one transaction, so the store holds all of it or none; the line says
which, with the changeset `ops undo` reverts when it was saved.

The signal is sent where the process provably is (Linux's /proc/PID/wchan): blocked reading the
import from standard input (before any write), or blocked writing its output to a full pipe
(after the COMMIT)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import OPS_BIN
from helpers.changesets import last_changeset
from helpers.seed import demo_store, seed_subscriptions
from helpers.sheets import write_csv

ANNA = "anna.berg@polisen.example"  # orderer of 1001
FIRST = 2_500_000
pytestmark = pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux's /proc")


@pytest.fixture
def demo(env):
    return demo_store(env, "2026-11-18T10:00")


def start(env, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(OPS_BIN), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env.environ(),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def interrupt_when(proc: subprocess.Popen, waiting_on: str) -> tuple[int, str]:
    """SIGINT once the process waits in ``waiting_on`` (a kernel wait channel); its exit code
    and standard error."""
    deadline = time.monotonic() + 60
    while waiting_on not in Path(f"/proc/{proc.pid}/wchan").read_text():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the process never got there"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    proc.stdout.close()  # (a reader gone: nothing more to drain)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err.decode()


def test_ctrl_c_before_the_write_says_nothing_was_changed(demo):
    before = demo.snapshot()
    proc = start(demo, "sub", "import", "-", "--by", ANNA)
    proc.stdin.write(b"customer,issi,tei,msisdn,kind,status\n1001,2500001,,,,\n")
    proc.stdin.flush()  # the rest never comes: `ops` waits reading the file from stdin
    code, err = interrupt_when(proc, "pipe_read")
    assert code == 130, err
    assert err.strip() == "interrupted; nothing was changed"
    assert demo.snapshot() == before


def test_ctrl_c_after_the_commit_names_the_saved_changeset(demo, ops, tmp_path):
    seed_subscriptions(ops, tmp_path, ([1001, FIRST + i, "", "", "", "active"] for i in range(3000)))
    path = write_csv(tmp_path / "off.csv", ["issi"], ([FIRST + i] for i in range(3000)))
    proc = start(demo, "sub", "deactivate", "--file", str(path), "--by", ANNA, "-f", "json")
    # The JSON of 3,000 subscriptions outgrows the pipe: `ops` waits writing it, after the COMMIT.
    code, err = interrupt_when(proc, "pipe_write")
    number = last_changeset(demo)
    assert code == 130, err
    saved = f"interrupted after the change was saved as changeset {number} (`ops undo {number}` reverts it)"
    assert err.splitlines()[-1] == saved, err  # after the command's own line ("deactivated 3000, ...")
    assert demo.cli("sub", "show", str(FIRST), "-f", "json").json()["status"] == "inactive"
