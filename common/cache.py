"""The anonymous page cache: whole pages for visitors who are not signed in, kept in each
process's memory and invalidated at once by a version stamp that every process shares.

- What is cached: a GET (or HEAD) of a visitor without a session or messages cookie whose
  response is a 200, sets no cookie (so no page with a CSRF token: the token sets one), is not
  marked private/no-store, and is not under /admin/, /accounts/ or /media/. The key is the
  scheme, host, path, query string and the language chosen for the request.
- Invalidation: every INSERT, UPDATE, DELETE or TRUNCATE on a table whose data can show on a
  public page bumps the shared version stamp (seen by an execute wrapper on every database
  connection: it also catches `QuerySet.update()`, bulk operations, m2m changes and raw SQL,
  which model signals miss). The stamp is bumped when the transaction commits, and at once when
  this process has cached a page since the last bump (a page rendered inside the writing
  transaction must not outlive it). A page cached under an older stamp is never served.
- The stamp lives in the shared cache (Redis when REDIS_URL is set), read at most every
  PFCC_PAGE_CACHE_STAMP_INTERVAL seconds (0.2: a Redis round trip per request would cost more
  than serving the page); the process that writes sees its change at once, the others within
  that interval. With the local-memory cache, which other processes cannot see, the stamp is
  also in a small file under var/ that every process of this machine reads on every request.
- While Redis is down (common/cachebackend.py), the stamp cannot be read: pages are neither
  served from nor stored in the cache, every visitor gets a freshly rendered page.
- Time: a page is kept at most PFCC_PAGE_CACHE_SECONDS (60): what changes with the clock alone
  (a scheduled post going live, the current report period) shows within that time.
- The cache steps aside while database queries are logged: with DEBUG on, and while a test
  counts queries (CaptureQueriesContext), which measures what rendering a page costs.
- Each cached page carries an ETag and a Last-Modified date and answers a conditional GET with
  304; browsers are told to revalidate (`Cache-Control: no-cache`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse, HttpResponseNotModified
from django.test.signals import setting_changed
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from django.utils.translation import get_language_from_request
from django.views.i18n import set_language

from .cachebackend import unavailable

STAMP_KEY = "pfcc:page-cache-stamp"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/media/", "/i18n/", "/healthz")
# Apps whose data can show on a page an anonymous visitor sees, each with the models that never
# do (accounts, stored e-mail, reminders): each app registers itself in its AppConfig.ready().
_public_apps: dict[str, frozenset[str]] = {}
_WRITE_RE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?',
    re.IGNORECASE,
)


def _setting(name, default):
    return getattr(settings, name, default)


def enabled() -> bool:
    return bool(_setting("PFCC_PAGE_CACHE", True))


# --- The shared version stamp -----------------------------------------------------------------


class Stamp:
    """The current version of the site's public data, shared by every process.

    With a shared cache (Redis), a read costs a network round trip, which would be most of what
    a cached page costs: a process asks again at most every PFCC_PAGE_CACHE_STAMP_INTERVAL
    seconds (0.2) and sees its own bumps at once. The local-memory cache (and the file that
    goes with it) is read on every request."""

    key = STAMP_KEY

    def __init__(self):
        self._known: tuple[str, float] | None = None  # (value, monotonic time read)

    @property
    def _cache(self):
        return caches[_setting("PFCC_PAGE_CACHE_STAMP_CACHE", "default")]

    def _file(self) -> Path | None:
        if not isinstance(self._cache, LocMemCache):
            return None  # a shared cache needs no file
        path = _setting("PFCC_PAGE_CACHE_STAMP_FILE", None)
        return Path(path) if path else None

    def _interval(self) -> float:
        if isinstance(self._cache, LocMemCache):
            return 0.0
        return float(_setting("PFCC_PAGE_CACHE_STAMP_INTERVAL", 0.2))

    def read(self) -> str | None:
        interval = self._interval()
        known = self._known
        if interval and known is not None and time.monotonic() - known[1] < interval:
            return known[0]
        value = self._cache.get(self.key)
        if value is None and not unavailable(self._cache):
            # Missing (first use, cleared, evicted): a fresh random value invalidates every page
            # cached under the old one; add() lets one process win when several race.
            self._cache.add(self.key, secrets.randbits(62), timeout=None)
            value = self._cache.get(self.key)
        if unavailable(self._cache):
            # Redis is down: no process can tell the others of a write, so no page may be
            # served from (or stored in) the cache until it is back. None says so.
            self._known = None
            return None
        path = self._file()
        if path is None:
            return self._remember(str(value))
        try:
            shared = path.read_bytes()
        except FileNotFoundError:
            shared = self._write_file(path)
        return self._remember(f"{value}:{shared.decode('ascii', 'replace')}")

    def _remember(self, value: str) -> str:
        self._known = (value, time.monotonic())
        return value

    def bump(self) -> None:
        self._known = None
        try:
            self._cache.incr(self.key)
        except ValueError:
            self._cache.add(self.key, secrets.randbits(62), timeout=None)
        path = self._file()
        if path is not None:
            self._write_file(path)

    def _write_file(self, path: Path) -> bytes:
        token = secrets.token_hex(8).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_bytes(token)
        os.replace(temporary, path)
        return token


stamp = Stamp()


# --- Pages kept in this process -----------------------------------------------------------------


@dataclass
class Entry:
    version: str
    stored_at: float
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    etag: str
    last_modified: float


class PageStore:
    """A bounded LRU of pages in this process's memory."""

    def __init__(self):
        self._pages: OrderedDict[str, Entry] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        # True when a page was stored since this process last bumped the stamp.
        self.filled_since_bump = False

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None:
                self._pages.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        limit = _setting("PFCC_PAGE_CACHE_MAX_BYTES", 64 * 1024 * 1024)
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old.content)
            self._pages[key] = entry
            self._size += len(entry.content)
            while self._size > limit and self._pages:
                _key, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.content)
            self.filled_since_bump = True

    def discard(self, key: str) -> None:
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._size -= len(old.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0
            self.filled_since_bump = False

    def __len__(self):
        return len(self._pages)


pages = PageStore()


def bump() -> None:
    """Invalidate every cached page in every process (call after changing data by other means
    than this site's database connections, e.g. a restore)."""
    pages.filled_since_bump = False
    stamp.bump()


@setting_changed.connect
def _on_setting_changed(**kwargs):
    pages.clear()


# --- Seeing writes ------------------------------------------------------------------------------

_public_tables: frozenset[str] | None = None


def register_public_app(app_label: str, private_models=()) -> None:
    """Writes to this app's tables invalidate the page cache, except to `private_models` (model
    names, lower case, including auto-created m2m tables such as `user_groups`)."""
    global _public_tables
    _public_apps[app_label] = frozenset(name.lower() for name in private_models)
    _public_tables = None


def public_tables() -> frozenset[str]:
    global _public_tables
    if _public_tables is None:
        from django.apps import apps

        tables = set()
        for model in apps.get_models(include_auto_created=True):
            label = model._meta.app_label
            if label in _public_apps and model._meta.model_name not in _public_apps[label]:
                tables.add(model._meta.db_table.lower())
        _public_tables = frozenset(tables)
    return _public_tables


def writes_any_data(sql) -> bool:
    if not isinstance(sql, str):
        sql = str(sql)
    return sql[:12].lstrip()[:8].upper().startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE"))


def writes_public_data(sql) -> bool:
    """True for an INSERT, UPDATE or DELETE on a public table, any TRUNCATE, and any write whose
    table cannot be read from the statement."""
    if not isinstance(sql, str):
        sql = str(sql)
    head = sql[:12].lstrip().upper()
    if not head.startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE")):
        return False
    if head.startswith("TRUNCATE"):
        return True
    match = _WRITE_RE.match(sql)
    return match is None or match.group(1).lower().rsplit(".", 1)[-1] in public_tables()


def _bump_on_commit():
    bump()


class WriteWatcher:
    """An execute wrapper: a write to a public table bumps the stamp."""

    def __init__(self, alias: str):
        self.alias = alias

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if writes_any_data(sql):
            # Every write invalidates the signed-in users' pages (common/usercache.py).
            from . import usercache

            usercache.written(self.alias)
            if writes_public_data(sql):
                self.written()
        return result

    def written(self):
        connection = connections[self.alias]
        bumped = False
        if pages.filled_since_bump:
            # A page of this process may hold data this write changes: drop it now, even
            # before the commit (the writing transaction may read that page itself).
            bump()
            bumped = True
        if connection.in_atomic_block:
            # Other processes see the change at the commit: bump then, once per transaction.
            if not any(entry[1] is _bump_on_commit for entry in connection.run_on_commit):
                transaction.on_commit(_bump_on_commit, using=self.alias, robust=True)
        elif not bumped:
            bump()


def watch(connection) -> None:
    if not any(isinstance(w, WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(connection.alias))


def _on_connection_created(sender, connection, **kwargs):
    watch(connection)


def install() -> None:
    """Watch writes on every database connection (called from PfccConfig.ready)."""
    connection_created.connect(_on_connection_created, dispatch_uid="pfcc-page-cache")
    for connection in connections.all(initialized_only=True):
        watch(connection)


# --- The middleware -----------------------------------------------------------------------------


def _bypass(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    if connections["default"].queries_logged:
        # Queries are being logged: DEBUG is on (a developer sees every change of a template at
        # once) or a query-budget test counts them (it measures what rendering a page costs).
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return True  # signed in, or a message to show: this visitor's own page
    path = request.path_info
    return path.startswith(EXCLUDED_PREFIXES)


def _key(request) -> str:
    language = get_language_from_request(request)
    scheme = "https" if request.is_secure() else "http"
    query = request.META.get("QUERY_STRING", "")
    return f"{language}|{scheme}://{request.get_host()}{request.path}?{query}"


def _cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if b'name="csrfmiddlewaretoken"' in response.content:
        # A form with this visitor's CSRF token (no Set-Cookie when they already had the
        # cookie): another visitor posting it would be refused.
        return False
    if len(response.content) > _setting("PFCC_PAGE_CACHE_MAX_PAGE_BYTES", 1024 * 1024):
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _not_modified(request, entry: Entry) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        etags = parse_etags(if_none_match)
        return "*" in etags or entry.etag in etags or entry.etag.removeprefix("W/") in etags
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        since = parse_http_date_safe(if_modified_since)
        return since is not None and int(entry.last_modified) <= since
    return False


def _respond(request, entry: Entry) -> HttpResponse:
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(entry.last_modified)
        return response
    response = HttpResponse(entry.content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response


class AnonymousPageCacheMiddleware:
    """Serves and stores anonymous visitors' pages; see the module's docstring.

    Place it right after WhiteNoiseMiddleware: a cached page skips the session, locale, CSRF,
    authentication and other middleware entirely (their headers are in the stored page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or _bypass(request):
            return self.get_response(request)
        key = _key(request)
        version = stamp.read()
        if version is None:  # the shared cache is down: every page is rendered afresh
            return self.get_response(request)
        entry = pages.get(key)
        max_age = _setting("PFCC_PAGE_CACHE_SECONDS", 60)
        if entry is not None:
            if entry.version == version and time.monotonic() - entry.stored_at < max_age:
                return _respond(request, entry)
            pages.discard(key)
        response = self.get_response(request)
        if request.method == "GET" and _cacheable(request, response):
            entry = self._store(key, version, response)
            response["ETag"] = entry.etag
            response["Last-Modified"] = http_date(entry.last_modified)
            response["Cache-Control"] = "no-cache"
            if _not_modified(request, entry):
                return _respond(request, entry)
        return response

    def _store(self, key, version, response) -> Entry:
        content = response.content
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        now = time.time()
        headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
        headers += [("ETag", etag), ("Last-Modified", http_date(now))]
        if not response.has_header("Cache-Control"):
            headers.append(("Cache-Control", "no-cache"))
        entry = Entry(version, time.monotonic(), response.status_code, headers, content, etag, now)
        pages.put(key, entry)
        return entry

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The language switcher on every (cached, so token-less) page posts to set_language;
        # choosing a language is harmless, so it needs no CSRF token. Answering here skips
        # CsrfViewMiddleware.process_view for this one view.
        if view_func is set_language and request.method == "POST":
            return set_language(request)
        return None
