#!/usr/bin/env python3
"""Fault drill: stop PostgreSQL under load and check that the site fails well and recovers.

`make fault-db` runs it. What it does, against 127.0.0.1 only and for a bounded time:

1. Uses a PostgreSQL cluster of its own (PG_CLUSTER, "<version> pfcc_faults" on port 5439,
   created when missing), so that stopping it stops nobody else's tests; its own database
   there: migrate, demo data, two signed-in visitors (sessions made directly).
2. Starts gunicorn (DEBUG off, production settings, the anonymous page cache on) on a free
   local port.
3. Loads the site from a few threads, as anonymous visitors and as the two signed-in visitors,
   and, while the load runs, stops PostgreSQL, keeps it down for OUTAGE seconds, starts it again.
4. The rule, checked on every answer:
   - during the outage each answer is a correct cached page or a 503, in under MAX_LATENCY
     seconds: a 200 to an anonymous visitor is byte for byte a page that path served before the
     outage (the page cache), and a signed-in visitor never gets a 200 then (their pages need
     the database: 503);
   - never a 500, never no answer, and never another visitor's page: no anonymous 200 carries a
     signed-in visitor's name, no signed-in 200 carries the other visitor's name;
   - recovery at once: the site answers 200 within RECOVERY seconds of PostgreSQL being back;
   - every row committed before the outage is intact (row counts and a checksum per table).
5. Stops gunicorn and the drill's cluster; PostgreSQL is always started again before that,
   even on errors or Ctrl-C.

Exit status 0 when every check passes. Settings (environment): PG_CLUSTER ("15 pfcc_faults"),
FAULT_DB_URL (postgres://postgres@127.0.0.1:5439/pfcc_faults), OUTAGE (6), MAX_LATENCY (5),
RECOVERY (10), THREADS (6).
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


def _pg_version() -> str:
    versions = sorted(Path("/etc/postgresql").glob("*"), key=lambda p: int(p.name), reverse=True)
    return versions[0].name if versions else "15"


PG_CLUSTER = os.environ.get("PG_CLUSTER", f"{_pg_version()} pfcc_faults").split()
DB_URL = os.environ.get("FAULT_DB_URL", "postgres://postgres@127.0.0.1:5439/pfcc_faults")
OUTAGE = float(os.environ.get("OUTAGE", "6"))
MAX_LATENCY = float(os.environ.get("MAX_LATENCY", "5"))
RECOVERY = float(os.environ.get("RECOVERY", "10"))
VISITORS = {"drill-a": "Drill Visitor Alpha", "drill-b": "Drill Visitor Bravo"}
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


def ensure_cluster():
    """The drill's own cluster, created on first use (trust on 127.0.0.1, like the shared one)."""
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == PG_CLUSTER for line in listed.splitlines()):
        log(f"creating the drill's PostgreSQL cluster {' '.join(PG_CLUSTER)} on port {db.port}")
        subprocess.run(
            ["pg_createcluster", *PG_CLUSTER, "-p", str(db.port or 5439), "--",
             "--auth-host=trust", "--auth-local=trust"],
            check=True, capture_output=True,
        )  # fmt: skip
    if not pg_ready():
        pg_ctl("start")
    ensure_postgres_running()


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
    """A few threads requesting pages in a loop until stopped, as anonymous visitors and as the
    signed-in ones (`sessions`: who → session key); each answer is recorded with its body."""

    def __init__(self, base: str, sessions: dict | None = None):
        self.base = base
        self.stop = threading.Event()
        self.records = []  # (started, finished, path, status, who, body)
        self.lock = threading.Lock()
        self.visitors = [None, *sorted(sessions or {})]
        self.sessions = sessions or {}

    def fetch(self, path, who):
        request = urllib.request.Request(self.base + path)  # noqa: S310 - 127.0.0.1 only
        if who is not None:
            request.add_header("Cookie", f"sessionid={self.sessions[who]}")
        try:
            with urllib.request.urlopen(request, timeout=MAX_LATENCY * 3) as answer:  # noqa: S310 - 127.0.0.1 only
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except Exception as error:  # noqa: BLE001 - no answer at all is what we look for
            return f"no answer ({type(error).__name__})", b""

    def worker(self, offset: int):
        index = offset
        while not self.stop.is_set():
            path = PATHS[index % len(PATHS)]
            who = self.visitors[(index // len(PATHS)) % len(self.visitors)]
            index += 1
            started = time.monotonic()
            status, body = self.fetch(path, who)
            with self.lock:
                self.records.append((started, time.monotonic(), path, status, who, body))
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


SESSIONS_SCRIPT = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from pfcc.models import User
for username, name in VISITORS.items():
    user, _ = User.objects.get_or_create(username=username, defaults={"email": username + "@drill.invalid"})
    user.name = name
    user.set_unusable_password()
    user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(username, session.session_key)
"""


def signed_in_sessions(env) -> dict[str, str]:
    """username → session key, for the two drill visitors."""
    code = f"VISITORS = {VISITORS!r}\n{SESSIONS_SCRIPT}"
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    lines = [line.split() for line in done.stdout.splitlines()]
    return {words[0]: words[1] for words in lines if len(words) == 2 and words[0] in VISITORS}


def prepare(env):
    ensure_cluster()
    if not pg_ready():
        sys.exit("the drill's PostgreSQL is not running on 127.0.0.1 (pg_lsclusters)")
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


def site_env(static_root: str, **extra: str) -> dict:
    """The environment of a drill's site (this one's and cache_stop's): production settings on
    127.0.0.1, the drill's database, e-mail kept in memory, no Redis unless `extra` names one."""
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
    return {**env, **extra}


def main() -> int:
    static_root = tempfile.mkdtemp(prefix="pfcc-faults-static-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = site_env(static_root)
    prepare(env)
    sessions = signed_in_sessions(env)
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
        load = Load(base, sessions)
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
    after_rows = snapshot()
    pg_ctl("stop")  # the drill's own cluster: nothing else uses it

    records = load.records if load else []
    down_at, up_requested = outage
    during = [r for r in records if down_at and r[0] >= down_at + 0.5 and r[1] <= up_requested]
    before_outage = [r for r in records if down_at and r[1] < down_at]
    cached = {(r[2], r[5]) for r in before_outage if r[4] is None and r[3] == 200}
    slow = [r for r in records if r[1] - r[0] > MAX_LATENCY]
    errors = [r for r in records if r[3] not in (200, 503)]
    wrong_during = [
        r for r in during
        if r[3] != 503 and not (r[3] == 200 and r[4] is None and (r[2], r[5]) in cached)
    ]  # fmt: skip
    names = {who: VISITORS[who].encode() for who in VISITORS}
    leaks = [
        r for r in records
        if r[3] == 200
        and any(name in r[5] for who, name in names.items() if who != r[4])
    ]  # fmt: skip
    after = [r for r in records if r[0] > up_at + max(recovered or 0, home or 0) + 1]
    log(
        f"{len(records)} requests: {len(during)} during the outage "
        f"({sum(r[3] == 503 for r in during)} × 503, "
        f"{sum(r[3] == 200 for r in during)} × 200 from the page cache), "
        f"slowest {max((r[1] - r[0] for r in records), default=0):.2f} s, "
        f"slowest during the outage {max((r[1] - r[0] for r in during), default=0):.2f} s"
    )
    if not during:
        failures.append("no request was made while PostgreSQL was down")
    if wrong_during:
        sample = [r[:5] for r in wrong_during[:3]]
        failures.append(
            f"{len(wrong_during)} answers during the outage were neither 503 nor a page cached "
            f"before it: {sample}"
        )
    if leaks:
        failures.append(
            f"{len(leaks)} answers carried another visitor's page: {[r[:5] for r in leaks[:3]]}"
        )
    if slow:
        failures.append(
            f"{len(slow)} requests took over {MAX_LATENCY:.0f} s: {[r[:5] for r in slow[:3]]}"
        )
    if errors:
        failures.append(
            f"{len(errors)} requests got neither 200 nor 503: {[r[:5] for r in errors[:3]]}"
        )
    if after and any(r[3] != 200 for r in after):
        failures.append("requests after the recovery still failed")
    return verdict(
        failures,
        before,
        after_rows,
        "PASS: cached pages or 503, never a 500 or another visitor's page, recovers at once, "
        "loses nothing",
    )


def verdict(failures: list[str], before: dict, after_rows: dict, passed: str) -> int:
    """A drill's end (this one's and cache_stop's): the rows compared with the snapshot taken
    before, every failure logged, PASS or FAILED; the exit status."""
    changed = [table for table in TABLES if before[table] != after_rows[table]]
    if changed:
        failures.append(f"rows changed during the drill: {changed}")
    else:
        log(f"every row committed before is intact ({len(TABLES)} tables, counts and checksums)")
    for failure in failures:
        log(f"FAIL: {failure}")
    log(passed if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
