#!/usr/bin/env python3
"""The load benchmark behind `make bench`.

Production settings (DEBUG off) under gunicorn on 127.0.0.1; PostgreSQL when DATABASE_URL is
set (a SQLite file var/bench.sqlite3 otherwise); Redis when REDIS_URL is set. It seeds the bench
data set (`manage.py seed_bench --scale $SCALE`), collects static files, signs in the bench
accounts (session cookies passed to wrk), warms every page up, then runs Debian's `wrk` against
each page and against a static file served by the same server, and counts each page's SQL
queries (one request through Django's test client, with the page cache stepping aside, so the
count is what rendering the page costs).

Output: a Markdown table on stdout, JSON in bench-results/<UTC time>.json.

Environment: SCALE (1), DURATION (10 seconds per page), CONNECTIONS (32), THREADS (2),
WORKERS (2 per core), PORT (8765), WARMUP (3 seconds per page), PAGES (comma-separated names
to run only some).
"""

import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"

# (name, path, account or None, anonymous public page?)
PAGES = [
    ("home", "/", None),
    ("blog list", "/blog/", None),
    ("post", "/blog/bench-post-7/", None),
    ("rss", "/blog/feed.rss", None),
    ("search", "/blog/search/?q=%E7%BC%96%E8%AF%91%E5%99%A8", None),
    # {n}: wrk asks a new query each time (a Lua script), so every request is a cache miss.
    ("search (a new query each time)", "/blog/search/?q=%E7%BC%96%E8%AF%91%E5%99%A8+{n}", None),
    ("board (200 tasks)", "/hackathon/1000/tasks/", None),
    ("progress", "/hackathon/1000/progress/", None),
    ("results", "/hackathon/1000/results/", None),
    ("members", "/members/", None),
    ("contest gallery (1,000 entries)", "/judging/bench-j0/gallery/", None),
    ("contest results (1,000 entries)", "/judging/bench-j0/results/", None),
    ("camp cohort", "/camp/bench-c0/", None),
    ("TA checklist (30×8)", "/camp/bench-c0/checklist/", "bench-ta"),
    ("mentor queue", "/camp/reviews/", "bench-mentor"),
    ("camp/me", "/camp/me/", "bench-mentee"),
]


def env_int(name, default):
    return int(os.environ.get(name) or default)


def django_env() -> dict:
    env = dict(os.environ)
    for name in ("DJANGO_DEBUG", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "EMAIL_URL": "console://",
            "DJANGO_TASKS_BACKEND": "immediate",
        }
    )
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{BASE / 'var' / 'bench.sqlite3'}"
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE, env=env, check=True)


# --- inside Django (a subprocess): sessions, static URL, query counts ---------------------------


def django_info():
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pfcc.models import User

    cookies = {}
    for username in {account for _n, _p, account in PAGES if account}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    queries, sizes = {}, {}
    for name, path, account in PAGES:
        path = path.replace("{n}", "1")
        client = Client(HTTP_HOST=HOST)
        if account:
            client.cookies.load(cookies[account])
        client.get(path)  # warm per-process caches (the current Site, translations)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: status {response.status_code}")
        queries[name] = len(captured.captured_queries)
        sizes[name] = len(response.content)
    print(
        json.dumps(
            {
                "static_url": staticfiles_storage.url("css/site.css"),
                "cookies": cookies,
                "queries": queries,
                "sizes": sizes,
                "database": connection.vendor,
                "database_version": ".".join(map(str, connection.Database.version_info))
                if connection.vendor == "sqlite"
                else str(connection.pg_version),
                "cache": caches["default"].__class__.__name__,
                "page_cache": settings.PFCC_PAGE_CACHE,
            }
        )
    )


# --- wrk ----------------------------------------------------------------------------------------


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


LUA_NEW_QUERY = """
local count = 0
function setup(thread) count = count + 1; thread:set("id", count) end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format("GET", (string.gsub(path, "{n}", id .. "x" .. n)))
end
"""


def run_wrk(url, cookie, duration, connections, threads) -> dict:
    # A long timeout: a slow page shows in its latency, and wrk does not leave abandoned
    # connections queued in the server for the next page to wait behind.
    command = ["wrk", "--latency", "--timeout", "10s", f"-c{connections}", f"-t{threads}"]
    command.append(f"-d{duration}s")
    if "{n}" in url:
        script = BASE / "var" / "bench-new-query.lua"
        path = url.split("/", 3)[3]
        script.write_text(f'path = "/{path}"\n' + LUA_NEW_QUERY)
        command += ["-s", str(script)]
        url = url.split("{n}")[0]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for label, key in (("50%", "p50_ms"), ("99%", "p99_ms")):
        match = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", output, re.MULTILINE)
        result[key] = to_ms(match.group(1)) if match else None
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    result["socket_errors"] = sum(map(int, sockets.groups())) if sockets else 0
    result["errors"] = result["non_2xx"] + result["socket_errors"]
    return result


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url}")


def drain(url, timeout=180):
    """Wait until the server answers at once again: requests that a slow page left queued
    must not count against the next page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
                response.read()
        except OSError:
            pass
        if time.monotonic() - started < 0.2:
            return
        time.sleep(0.5)


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it as root)")
    scale = env_int("SCALE", 1)
    duration = env_int("DURATION", 10)
    connections = env_int("CONNECTIONS", 32)
    threads = env_int("THREADS", 2)
    cores = os.cpu_count() or 1
    workers = env_int("WORKERS", 2 * cores)
    port = env_int("PORT", 8765)
    warmup = env_int("WARMUP", 3)
    only = {name.strip() for name in os.environ.get("PAGES", "").split(",") if name.strip()}
    pages = [page for page in PAGES if not only or page[0] in only]
    env = django_env()
    started = time.monotonic()
    load_before = os.getloadavg()

    print(f"# seeding at scale {scale}, collecting static files", file=sys.stderr)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_bench", "--scale", str(scale))
    manage(env, "collectstatic", "--no-input", "-v0")
    info = json.loads(
        subprocess.run(
            [PYTHON, __file__, "--django-info"],
            cwd=BASE,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )

    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env=env,
        start_new_session=True,
    )
    rows = []
    try:
        wait_for(base + info["static_url"])
        # The static file at the start and at the end: the machine's load may change meanwhile.
        static = info["static_url"]
        targets = [("static file", static, None), *pages, ("static file (end)", static, None)]
        for name, path, account in targets:
            cookie = info["cookies"].get(account) if account else None
            print(f"# {name}: {path}", file=sys.stderr)
            drain(base + static)
            if warmup:
                run_wrk(base + path, cookie, warmup, connections, threads)
                time.sleep(0.5)
            result = run_wrk(base + path, cookie, duration, connections, threads)
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "signed_in": bool(account),
                    "queries": info["queries"].get(name, 0),
                    "bytes": info["sizes"].get(name),
                    **result,
                }
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    static_rps = (rows[0]["rps"] + rows[-1]["rps"]) / 2
    for row in rows:
        row["vs_static"] = round(row["rps"] / static_rps, 3) if static_rps else None
    report = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": cores,
        "load_average_before": load_before,
        "settings": {
            "scale": scale,
            "database": f"{info['database']} {info['database_version']}",
            "cache": info["cache"],
            "page_cache": info["page_cache"],
            "gunicorn_workers": workers,
            "static_rps_mean": round(static_rps, 1),
            "wrk": f"--latency -c{connections} -t{threads} -d{duration}s --timeout 10s "
            f"(warm-up {warmup}s)",
            "debug": False,
        },
        "results": rows,
        "seconds": round(time.monotonic() - started, 1),
    }
    out = BASE / "bench-results"
    out.mkdir(exist_ok=True)
    path = out / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    s = report["settings"]
    print(
        f"\nPFCC bench: scale {scale}, {s['database']}, cache {s['cache']}, "
        f"{cores} cores (load average {load_before[0]:.1f} before), gunicorn {workers} workers, "
        f"wrk {s['wrk']}\n"
    )
    print(
        "| page | req/s | × static (mean of both runs) | p50 ms | p99 ms | errors | SQL queries |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        label = row["page"] + (" (signed in)" if row["signed_in"] else "")
        print(
            f"| {label} | {row['rps']:,.0f} | {row['vs_static']:.2f} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['errors']} | {row['queries']} |"
        )
    print(f"\nJSON: {path.relative_to(BASE)} ({report['seconds']} s)")


if __name__ == "__main__":
    if "--django-info" in sys.argv:
        sys.path.insert(0, str(BASE))
        django_info()
    else:
        main()
