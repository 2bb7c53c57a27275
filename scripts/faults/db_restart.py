#!/usr/bin/env python3
"""Fault drill: restart PostgreSQL under load and check that the site fails fast and recovers.

`make fault-db` runs it. What it does, against 127.0.0.1 only and for a bounded time:

1. Prepares its own database (`pfcc_faults` on the local PostgreSQL): migrate, demo data.
2. Starts gunicorn (DEBUG off, production settings) on a free local port.
3. Loads the site from a few threads (home, blog, hackathon, camp, /healthz) and, while the load
   runs, stops PostgreSQL, keeps it down for OUTAGE seconds, then starts it again.
4. Checks:
   - every request made while the database was down was answered with 503 (the "temporarily
     unavailable" page, or /healthz's 503) in under MAX_LATENCY seconds: nothing hangs;
   - no request anywhere got a 500 or no answer;
   - the site answers 200 again within RECOVERY seconds of PostgreSQL being back, by itself;
   - every row committed before the outage is intact (row counts and a checksum per table).
5. Stops gunicorn; PostgreSQL is always started again, even on errors or Ctrl-C.

Exit status 0 when every check passes. Settings (environment): PG_CLUSTER ("15 main"),
FAULT_DB_URL (postgres://postgres@127.0.0.1:5432/pfcc_faults), OUTAGE (6), MAX_LATENCY (5),
RECOVERY (30), THREADS (6).
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_CLUSTER = os.environ.get("PG_CLUSTER", "15 main").split()
DB_URL = os.environ.get("FAULT_DB_URL", "postgres://postgres@127.0.0.1:5432/pfcc_faults")
OUTAGE = float(os.environ.get("OUTAGE", "6"))
MAX_LATENCY = float(os.environ.get("MAX_LATENCY", "5"))
RECOVERY = float(os.environ.get("RECOVERY", "30"))
THREADS = int(os.environ.get("THREADS", "6"))
PATHS = ["/", "/healthz", "/blog/", "/hackathon/", "/camp/", "/members/"]
TABLES = [
    "pfcc_person",
    "pfcc_user",
    "membership_membershipapplication",
    "blog_post",
    "hackathon_task",
    "hackathon_claim",
    "camp_report",
]

db = urlsplit(DB_URL)
if db.hostname not in ("127.0.0.1", "localhost"):
    sys.exit("FAULT_DB_URL must point at the local PostgreSQL (127.0.0.1)")
PG_ENV = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(db.port or 5432)}
PG_ENV["PGUSER"] = db.username or "postgres"
DB_NAME = db.path.lstrip("/")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def psql(sql: str) -> str:
    return subprocess.run(
        ["psql", "-d", DB_NAME, "-tAc", sql], env=PG_ENV, capture_output=True, text=True, check=True
    ).stdout.strip()


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q"], env=PG_ENV).returncode == 0


def pg_ctl(action: str):
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, action]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run(command, check=True)


def ensure_postgres_running():
    if not pg_ready():
        log("starting PostgreSQL again")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, "start"])
    for _ in range(60):
        if pg_ready():
            return True
        time.sleep(0.5)
    return False


def snapshot() -> dict:
    """Row count and an order-independent checksum of every row, per table."""
    result = {}
    for table in TABLES:
        checksum = "md5(string_agg(t::text, '|' ORDER BY t::text))"
        query = f"SELECT count(*) || ':' || coalesce({checksum}, '') FROM {table} t"  # noqa: S608 - fixed table names
        result[table] = psql(query)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Load:
    """A few threads requesting pages in a loop until stopped; each answer is recorded."""

    def __init__(self, base: str):
        self.base = base
        self.stop = threading.Event()
        self.records = []  # (started, finished, path, status)
        self.lock = threading.Lock()

    def worker(self, offset: int):
        index = offset
        while not self.stop.is_set():
            path = PATHS[index % len(PATHS)]
            index += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + path, timeout=MAX_LATENCY * 3) as answer:  # noqa: S310 - 127.0.0.1 only
                    answer.read()
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except Exception as error:  # noqa: BLE001 - no answer at all is what we look for
                status = f"no answer ({type(error).__name__})"
            with self.lock:
                self.records.append((started, time.monotonic(), path, status))
            time.sleep(0.05)

    def start(self):
        self.threads = [
            threading.Thread(target=self.worker, args=(n,), daemon=True) for n in range(THREADS)
        ]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=MAX_LATENCY * 3 + 5)


def wait_for(url: str, seconds: float) -> float | None:
    """Seconds until `url` answers 200, or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - 127.0.0.1 only
                if answer.status == 200:
                    return time.monotonic() - started
        except Exception:  # noqa: BLE001, S110 - keep trying until the deadline
            pass
        time.sleep(0.25)
    return None


def prepare(env):
    if not pg_ready():
        sys.exit("PostgreSQL is not running on 127.0.0.1: start it first (pg_lsclusters)")
    exists = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", "SELECT datname FROM pg_database"],
        env=PG_ENV,
        capture_output=True,
        text=True,
    ).stdout.split()
    if DB_NAME not in exists:
        subprocess.run(["createdb", DB_NAME], env=PG_ENV, check=True)
    log(f"database {DB_NAME}: migrate, demo data, static files")
    manage = [PYTHON, "manage.py"]
    for args in (
        ["migrate", "--no-input", "-v0"],
        ["seed_demo"],
        ["collectstatic", "--no-input", "-v0"],
    ):
        done = subprocess.run(manage + args, cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def main() -> int:
    static_root = tempfile.mkdtemp(prefix="pfcc-faults-static-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "fault-drill-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_TASKS_BACKEND": "immediate",
        "EMAIL_URL": "locmem://",
        "DATABASE_URL": DB_URL,
        "STATIC_ROOT": static_root,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    prepare(env)
    before = snapshot()
    log(f"rows before: { {table: value.split(':')[0] for table, value in before.items()} }")

    server = subprocess.Popen(
        [GUNICORN, "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(static_root) / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
        start_new_session=True,
    )
    load = None
    failures = []
    outage = (None, None)
    recovered = home = None
    up_at = 0.0
    try:
        if wait_for(base + "/healthz", 30) is None:
            failures.append("gunicorn did not start")
            return 1
        log(f"gunicorn on {base}; load from {THREADS} threads")
        load = Load(base)
        load.start()
        time.sleep(3)
        log(f"stopping PostgreSQL ({' '.join(PG_CLUSTER)}) for {OUTAGE:.0f} s")
        pg_ctl("stop")
        down_at = time.monotonic()
        time.sleep(OUTAGE)
        up_requested = time.monotonic()
        log("starting PostgreSQL")
        pg_ctl("start")
        ensure_postgres_running()
        up_at = time.monotonic()
        outage = (down_at, up_requested)
        recovered = wait_for(base + "/healthz", RECOVERY)
        home = wait_for(base + "/", RECOVERY)
        if recovered is None or home is None:
            failures.append(f"the site did not answer 200 within {RECOVERY:.0f} s of PostgreSQL")
        else:
            log(f"site answers 200 again {max(recovered, home):.1f} s after PostgreSQL is back")
        time.sleep(3)  # some load after the recovery
    finally:
        if load is not None:
            load.finish()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        if not ensure_postgres_running():
            failures.append("PostgreSQL is not running again: start it by hand!")

    records = load.records if load else []
    down_at, up_requested = outage
    during = [r for r in records if down_at and r[0] >= down_at + 0.5 and r[1] <= up_requested]
    slow = [r for r in records if r[1] - r[0] > MAX_LATENCY]
    errors = [r for r in records if r[3] not in (200, 503)]
    not_503 = [r for r in during if r[3] != 503]
    after = [r for r in records if r[0] > up_at + max(recovered or 0, home or 0) + 1]
    log(
        f"{len(records)} requests: {len(during)} during the outage "
        f"({sum(r[3] == 503 for r in during)} × 503), "
        f"slowest {max((r[1] - r[0] for r in records), default=0):.2f} s, "
        f"slowest during the outage {max((r[1] - r[0] for r in during), default=0):.2f} s"
    )
    if not during:
        failures.append("no request was made while PostgreSQL was down")
    if not_503:
        failures.append(f"{len(not_503)} requests during the outage were not 503: {not_503[:3]}")
    if slow:
        failures.append(f"{len(slow)} requests took over {MAX_LATENCY:.0f} s: {slow[:3]}")
    if errors:
        failures.append(f"{len(errors)} requests got neither 200 nor 503: {errors[:3]}")
    if after and any(r[3] != 200 for r in after):
        failures.append("requests after the recovery still failed")

    after_rows = snapshot()
    changed = [table for table in TABLES if before[table] != after_rows[table]]
    if changed:
        failures.append(f"rows changed during the drill: {changed}")
    else:
        log(f"every row committed before is intact ({len(TABLES)} tables, counts and checksums)")

    for failure in failures:
        log(f"FAIL: {failure}")
    log(
        "PASS: fails fast with 503, recovers by itself, loses nothing" if not failures else "FAILED"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
