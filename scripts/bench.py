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

Search with a new query each request: a wrk Lua script picks words of the bench data (and
numbers) and adds a counter, so no request hits the page cache. On PostgreSQL, `pgbench` then
sends the search's own query alone (a visitor's overview, one of the words at random, from one
connection per worker, no web server running): PostgreSQL's share, the ceiling of the search
pages on the same cores. Signed-in pages use the bench
accounts' sessions (bench-ta, bench-mentor, bench-mentee, and bench-staff with a second factor
for the admin). Each page has a goal (issue 18: anonymous ≥ 0.7 × static, signed in ≥ 0.1 ×,
search with new queries ≥ 0.3 ×); the table says whether it met it.

Environment: SCALE (1), DURATION (10 seconds per page), CONNECTIONS (32), THREADS (2),
WORKERS (2 per core), PORT (8765), WARMUP (3 seconds per page), PAGES (comma-separated names
as the table prints them, to run only some).
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
import urllib.parse
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"

# Goals (issue 18), as a share of the static file's requests per second in the same run.
ANONYMOUS_GOAL, SIGNED_IN_GOAL, SEARCH_GOAL = 0.7, 0.1, 0.3

# (name, path, account or None, goal). `{q}`: wrk asks a new search each time (a Lua script
# picks words of the bench data and adds a counter), so every request is a cache miss.
PAGES = [
    ("home", "/", None, ANONYMOUS_GOAL),
    ("blog list", "/blog/", None, ANONYMOUS_GOAL),
    ("post", "/blog/bench-post-7/", None, ANONYMOUS_GOAL),
    ("rss", "/blog/feed.rss", None, ANONYMOUS_GOAL),
    ("search", "/search/?q=%E7%BC%96%E8%AF%91%E5%99%A8", None, ANONYMOUS_GOAL),
    ("search (a new query each time)", "/search/?q={q}", None, SEARCH_GOAL),
    ("search one kind (a new query each time)", "/search/?kind=task&q={q}", None, SEARCH_GOAL),
    ("search as TA (a new query each time)", "/search/?q={q}", "bench-ta", SEARCH_GOAL),
    ("board (200 tasks)", "/hackathon/1000/tasks/", None, ANONYMOUS_GOAL),
    ("progress", "/hackathon/1000/progress/", None, ANONYMOUS_GOAL),
    ("results", "/hackathon/1000/results/", None, ANONYMOUS_GOAL),
    ("members", "/members/", None, ANONYMOUS_GOAL),
    ("contest gallery (1,000 entries)", "/judging/bench-j0/gallery/", None, ANONYMOUS_GOAL),
    ("contest results (1,000 entries)", "/judging/bench-j0/results/", None, ANONYMOUS_GOAL),
    ("camp cohort", "/camp/bench-c0/", None, ANONYMOUS_GOAL),
    ("TA checklist (30×8)", "/camp/bench-c0/checklist/", "bench-ta", SIGNED_IN_GOAL),
    ("TA checklist (300×10)", "/camp/bench-big/checklist/", "bench-ta", SIGNED_IN_GOAL),
    ("mentor queue", "/camp/reviews/", "bench-mentor", SIGNED_IN_GOAL),
    ("camp/me", "/camp/me/", "bench-mentee", SIGNED_IN_GOAL),
    ("board (200 tasks)", "/hackathon/1000/tasks/", "bench-mentee", SIGNED_IN_GOAL),
    ("task", "/hackathon/1000/tasks/1/", "bench-mentee", SIGNED_IN_GOAL),
    ("account", "/account/", "bench-mentee", SIGNED_IN_GOAL),
    ("admin: claims", "/admin/hackathon/claim/", "bench-staff", SIGNED_IN_GOAL),
    ("admin: reports", "/admin/camp/report/", "bench-staff", SIGNED_IN_GOAL),
]
PGBENCH_ROW = "search query alone in PostgreSQL (pgbench, one client per worker, no web server)"
# Words of the bench data set (posts, tasks, projects, reports, persons) and a few that match
# nothing; the Lua script adds a number to some of them ("贡献者 123" finds that person).
SEARCH_WORDS = [
    "编译器",
    "算子",
    "算子融合",
    "框架开发",
    "科学计算",
    "套件开发",
    "深度学习",
    "社区",
    "飞桨",
    "文章",
    "任务",
    "新增",
    "文档",
    "单测",
    "贡献者",
    "项目",
    "阅读代码",
    "继续开发",
    "标签",
    "Paddle",
    "PyTorch",
    "API",
    "Python",
    "developer",
    "story",
    "contributor",
    "review",
    "lorem",
    "meeting",
    "Thursday",
    "bench-p",
    "量子",
    "quantum",
    "missing",
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
    from tests.security.mfa import mark_session_mfa

    cookies = {}
    for username in {page[2] for page in PAGES if page[2]}:
        client = Client()
        user = _bench_staff() if username == "bench-staff" else User.objects.get(username=username)
        client.force_login(user)
        if user.is_staff:
            mark_session_mfa(client, user)  # as a login with a TOTP code records it
        # A browser holds a CSRF cookie after its first page with a form (every signed-in page
        # has the sign-out form); without one, each page would hand out a new secret.
        client.get("/account/", HTTP_HOST=HOST)
        names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        cookies[username] = "; ".join(f"{name}={client.cookies[name].value}" for name in names)
    queries, sizes = {}, {}
    for name, path, account, _goal in PAGES:
        name = page_label(name, account)
        path = path.replace("{q}", urllib.parse.quote(SEARCH_WORDS[0]))
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
    search_sql = _search_sql_files() if connection.vendor == "postgresql" else []
    print(
        json.dumps(
            {
                "static_url": staticfiles_storage.url("css/site.css"),
                "search_sql": search_sql,
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


def _search_sql_files() -> list[str]:
    """The SQL of a visitor's search overview for each of SEARCH_WORDS, one file each, as the
    search sends it (values inlined): pgbench runs them to measure PostgreSQL's own share."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.query import search

    folder = BASE / "var" / "bench-search-sql"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = []
    for number, word in enumerate(SEARCH_WORDS):
        with CaptureQueriesContext(connection) as captured:
            search(word, AnonymousUser())
        if captured.captured_queries:  # a word without terms sends none
            path = folder / f"{number}.sql"
            path.write_text(captured.captured_queries[-1]["sql"] + ";\n")
            files.append(str(path))
    return files


def run_pgbench(files, database_url, duration, clients) -> dict | None:
    """The search query alone: pgbench sends the files' SQL (one at random each time) from
    `clients` connections, as the web workers would, without a web server; None without
    pgbench. Simple protocol: planned each time, as Django's client-side binding does."""
    if not files or shutil.which("pgbench") is None:
        return None
    print(f"# {PGBENCH_ROW}", file=sys.stderr)
    threads = max(1, min(clients, os.cpu_count() or 1))
    command = ["pgbench", "-n", "-M", "simple", f"-c{clients}", f"-j{threads}", f"-T{duration}"]
    for path in files:
        command += ["-f", path]
    output = subprocess.run(
        [*command, database_url], capture_output=True, text=True, check=True
    ).stdout
    return parse_pgbench(output)


def parse_pgbench(output: str) -> dict:
    tps = float(re.search(r"^tps = ([\d.]+)", output, re.MULTILINE).group(1))
    latency = float(re.search(r"^latency average = ([\d.]+) ms", output, re.MULTILINE).group(1))
    processed = int(re.search(r"number of transactions actually processed: (\d+)", output)[1])
    failed = re.search(r"number of failed transactions: (\d+)", output)
    return {
        "rps": tps,
        "latency_avg_ms": latency,
        "requests": processed,
        "errors": int(failed.group(1)) if failed else 0,
    }


def _bench_staff():
    """The admin's bench account: staff with a TOTP authenticator (the admin asks for one)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from pfcc.models import User

    user, created = User.objects.get_or_create(
        username="bench-staff",
        defaults={"email": "bench-staff@bench.invalid", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def page_label(name, account):
    return f"{name} (signed in as {account})" if account else name


# --- wrk ----------------------------------------------------------------------------------------


def to_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


LUA_NEW_SEARCH = """
local count = 0
function setup(thread) count = count + 1; thread:set("id", count) end
function init(args) n = 0; math.randomseed(id * 7919) end
function request()
  n = n + 1
  local q = words[math.random(#words)]
  if math.random() < 0.4 then q = q .. "+" .. math.random(999) end
  -- r: a counter, so that even a repeated query is a new address (no cached page)
  -- a function as the replacement: "%" in the encoded words would be a capture reference
  local query = string.gsub(path, "{q}", function() return q end) .. "&r=" .. id .. "x" .. n
  return wrk.format("GET", query)
end
"""


def lua_new_search(path: str) -> str:
    words = ", ".join(f'"{urllib.parse.quote(word)}"' for word in SEARCH_WORDS)
    return f'path = "{path}"\nwords = {{{words}}}\n' + LUA_NEW_SEARCH


def run_wrk(url, cookie, duration, connections, threads) -> dict:
    # A long timeout: a slow page shows in its latency, and wrk does not leave abandoned
    # connections queued in the server for the next page to wait behind.
    command = ["wrk", "--latency", "--timeout", "10s", f"-c{connections}", f"-t{threads}"]
    command.append(f"-d{duration}s")
    if "{q}" in url:
        script = BASE / "var" / "bench-new-search.lua"
        script.write_text(lua_new_search("/" + url.split("/", 3)[3]))
        command += ["-s", str(script)]
        url = url.split("?")[0]
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
    # Names are separated by commas, but not the one in "1,000".
    only = {
        name.strip() for name in re.split(r",(?!\d)", os.environ.get("PAGES", "")) if name.strip()
    }
    pages = [page for page in PAGES if not only or page_label(page[0], page[2]) in only]
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
        targets = [
            ("static file", static, None, None),
            *pages,
            ("static file (end)", static, None, None),
        ]
        for name, path, account, goal in targets:
            name = page_label(name, account)
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
                    "account": account,
                    "goal": goal,
                    "queries": info["queries"].get(name, 0),
                    "bytes": info["sizes"].get(name),
                    **result,
                }
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    # What PostgreSQL alone makes of the search (no web server running): the ceiling for the
    # search pages, since every search request sends this query from the same cores.
    searched = any("{q}" in page[1] for page in pages)
    alone = (
        run_pgbench(info["search_sql"], env["DATABASE_URL"], duration, workers)
        if searched
        else None
    )
    if alone is not None:
        rows.insert(
            len(rows) - 1,
            {
                "page": PGBENCH_ROW,
                "path": None,
                "signed_in": False,
                "account": None,
                "goal": None,
                "queries": 1,
                "bytes": None,
                **alone,
            },
        )

    static_rps = (rows[0]["rps"] + rows[-1]["rps"]) / 2
    for row in rows:
        row["vs_static"] = round(row["rps"] / static_rps, 3) if static_rps else None
        # An error answer is not a fast page: a page with errors misses its goal.
        row["goal_met"] = (
            None
            if row["goal"] is None
            else bool(row["vs_static"] is not None and row["vs_static"] >= row["goal"])
            and row["errors"] == 0
        )
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
        "| page | req/s | × static (mean of both runs) | goal | met | p50 ms | p99 ms | errors "
        "| SQL queries |"
    )
    print("| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        goal = "" if row["goal"] is None else f"≥ {row['goal']:.1f}"
        met = {None: "", True: "yes", False: "**no**"}[row["goal_met"]]
        if "latency_avg_ms" in row:  # pgbench gives the mean only
            latency = f"{row['latency_avg_ms']:.2f} (mean) | –"
        elif row["requests"]:
            latency = f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f}"
        else:  # no request finished within the run (each waits up to wrk's 10 s timeout)
            latency = "none finished | none finished"
        print(
            f"| {row['page']} | {row['rps']:,.0f} | {row['vs_static']:.2f} | {goal} | {met} | "
            f"{latency} | {row['errors']} | {row['queries']} |"
        )
    goals = [row for row in rows if row["goal"] is not None]
    print(f"\n{sum(row['goal_met'] for row in goals)} of {len(goals)} pages meet their goal.")
    print(f"\nJSON: {path.relative_to(BASE)} ({report['seconds']} s)")


if __name__ == "__main__":
    if "--django-info" in sys.argv:
        sys.path.insert(0, str(BASE))
        django_info()
    else:
        main()
