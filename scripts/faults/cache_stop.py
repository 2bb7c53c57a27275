#!/usr/bin/env python3
"""Fault drill: stop Redis under load and check that the site keeps serving and recovers.

`make fault-cache` runs it. Against 127.0.0.1 only, for a bounded time:

1. The database of `make fault-db` (its own PostgreSQL cluster, demo data, two signed-in
   visitors) and a Redis of its own (redis-server on a free port, nothing saved to disk).
2. gunicorn (DEBUG off, production settings, REDIS_URL at that Redis) under load from a few
   threads, as anonymous and signed-in visitors; Redis is stopped for OUTAGE seconds, then
   started again (empty, as after a crash).
3. The rule, checked on every answer:
   - pages keep being served: every answer is a 200 (never a 500, a 503 or no answer), in under
     MAX_LATENCY seconds, and never another visitor's page;
   - the page cache degrades as documented: while Redis is down no page comes from it (no
     ETag: every page is rendered afresh, since no process could hear of another's writes),
     and it serves again by itself once Redis is back;
   - rate limits degrade as documented: while Redis is down they count nothing (failed logins
     past allauth's limit are still answered as failed logins, not 429); once it is back they
     hold again;
   - nothing is lost: signed-in visitors stay signed in (sessions live in the database), every
     committed row is intact.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import db_restart as drill

OUTAGE = float(os.environ.get("OUTAGE", "6"))
MAX_LATENCY = drill.MAX_LATENCY
RECOVERY = float(os.environ.get("RECOVERY", "10"))
log = drill.log


def start_redis(port: int, workdir: str) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    for _ in range(50):
        ping = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
        ).stdout
        if "PONG" in ping:
            return server
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def stop(process: subprocess.Popen | None):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def failed_logins(base: str, count: int) -> list[str]:
    """`count` wrong passwords for one address through the real form: for each, "refused" (the
    wrong password said so), "limited" (allauth's limit: too many failures) or the status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept-Language", "en")]
    statuses = []
    for _ in range(count):
        page = opener.open(base + "/accounts/login/", timeout=MAX_LATENCY * 3).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        data = urllib.parse.urlencode(
            {"login": "drill-a@drill.invalid", "password": "wrong", "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(base + "/accounts/login/", data=data)  # noqa: S310
        request.add_header("Referer", base + "/accounts/login/")
        try:
            with opener.open(request, timeout=MAX_LATENCY * 3) as answer:
                body = answer.read().decode()
            limited = "Too many failed login attempts" in body
            statuses.append("limited" if limited else "refused")
        except urllib.error.HTTPError as error:
            statuses.append("limited" if error.code == 429 else str(error.code))
    return statuses


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="pfcc-fault-cache-")
    redis_port, port = drill.free_port(), drill.free_port()
    base = f"http://127.0.0.1:{port}"
    env = drill.site_env(
        workdir, DJANGO_SECURE_COOKIES="0", REDIS_URL=f"redis://127.0.0.1:{redis_port}/0"
    )
    drill.prepare(env)
    sessions = drill.signed_in_sessions(env)
    before = drill.snapshot()
    redis = server = load = None
    failures = []
    window = (0.0, 0.0)
    limits_during = limits_after = []
    back = None
    try:
        redis = start_redis(redis_port, workdir)
        server = subprocess.Popen(
            [drill.GUNICORN, "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
            cwd=drill.ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=open(Path(workdir) / "gunicorn.log", "w"),  # noqa: SIM115 - closed with the process
            start_new_session=True,
        )  # fmt: skip
        if drill.wait_for(base + "/healthz", 30) is None:
            failures.append("gunicorn did not start")
            return 1
        log(f"gunicorn on {base}, Redis on port {redis_port}; load from {drill.THREADS} threads")
        load = drill.Load(base, sessions)
        load.start()
        time.sleep(3)
        log(f"stopping Redis for {OUTAGE:.0f} s")
        stop(redis)
        down_at = time.monotonic()
        limits_during = failed_logins(base, 8)
        time.sleep(max(0.0, OUTAGE - (time.monotonic() - down_at)))
        up_requested = time.monotonic()
        log("starting Redis (empty)")
        redis = start_redis(redis_port, workdir)
        window = (down_at, up_requested)
        started = time.monotonic()
        while time.monotonic() - started < RECOVERY:
            with urllib.request.urlopen(base + "/blog/", timeout=5) as answer:  # noqa: S310
                if answer.headers.get("ETag"):
                    back = time.monotonic() - started
                    break
            time.sleep(0.1)
        if back is None:
            failures.append(f"the page cache did not serve again within {RECOVERY:.0f} s")
        else:
            log(f"page cache serves again {back:.1f} s after Redis is back")
        limits_after = failed_logins(base, 8)
        time.sleep(2)
    finally:
        if load is not None:
            load.finish()
        stop(server)
        stop(redis)
    after_rows = drill.snapshot()
    drill.pg_ctl("stop")  # the drill's own cluster
    shutil.rmtree(workdir, ignore_errors=True)

    records = load.records if load else []
    down_at, up_requested = window
    during = [r for r in records if down_at and r[0] >= down_at + 0.2 and r[1] <= up_requested]
    not_200 = [r[:5] for r in records if r[3] != 200 and r[2] != "/healthz"]
    not_200 += [r[:5] for r in records if r[2] == "/healthz" and r[3] != 200]
    slow = [r[:5] for r in records if r[1] - r[0] > MAX_LATENCY]
    names = {who: name.encode() for who, name in drill.VISITORS.items()}
    leaks = [
        r[:5] for r in records
        if r[3] == 200 and any(name in r[5] for who, name in names.items() if who != r[4])
    ]  # fmt: skip
    signed_out = [
        r[:5] for r in records if r[4] is not None and r[3] == 200 and names[r[4]] not in r[5]
        and r[2] == "/"
    ]  # fmt: skip
    log(
        f"{len(records)} requests: {len(during)} while Redis was down "
        f"({sum(r[3] == 200 for r in during)} × 200), slowest "
        f"{max((r[1] - r[0] for r in records), default=0):.2f} s, slowest while down "
        f"{max((r[1] - r[0] for r in during), default=0):.2f} s"
    )
    log(f"8 failed logins while Redis was down: {limits_during}; after: {limits_after}")
    if not during:
        failures.append("no request was made while Redis was down")
    if not_200:
        failures.append(f"{len(not_200)} answers were not 200: {not_200[:3]}")
    if slow:
        failures.append(f"{len(slow)} requests took over {MAX_LATENCY:.0f} s: {slow[:3]}")
    if leaks:
        failures.append(f"{len(leaks)} answers carried another visitor's page: {leaks[:3]}")
    if signed_out:
        failures.append(f"{len(signed_out)} signed-in answers lost the visitor: {signed_out[:3]}")
    if any(status != "refused" for status in limits_during):
        failures.append(f"rate limits did not fail open while Redis was down: {limits_during}")
    if "limited" not in limits_after:
        failures.append(f"rate limits did not hold again after Redis came back: {limits_after}")
    return drill.verdict(
        failures,
        before,
        after_rows,
        "PASS: pages served throughout, page cache and rate limits off while Redis is down and "
        "back by themselves, nothing lost",
    )


if __name__ == "__main__":
    sys.exit(main())
