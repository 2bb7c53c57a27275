"""Signed-in pages kept per user: `@per_user_cache` on a view stores its rendered response in
this process's memory, keyed by the user, their CSRF cookie, the language, the address and the
day, and serves it again until any write to the database.

The anonymous page cache (common/cache.py) cannot serve signed-in visitors: their pages hold
their own data, their CSRF token and their messages. This cache keeps one visitor's own page
for that visitor only:

- Key: the user's id, a hash of their CSRF cookie (a stored page's form tokens belong to it), the
  request's language, the path with its query string, and today's date (pages that depend on
  the day, such as which report is due, change at midnight). At most
  PFCC_USER_CACHE_SECONDS (60) old, as anonymous pages: "waiting 2 hours" shows within a minute.
- Invalidation: a second version stamp, bumped by *every* INSERT, UPDATE, DELETE or TRUNCATE on
  any table (accounts, sessions and e-mail included; the public stamp of common/cache.py skips
  those), read from the shared cache (Redis) on every request — never a fifth of a second
  late: the page a user is redirected to after their own change is always fresh, whichever
  process serves it. A role taken away, an address changed, a report submitted: the next
  request renders afresh. While Redis is down nothing is served from or stored in it.
- The view runs its permission checks again on every miss; on a hit, the middleware before it
  (session, authentication, the staff second factor) still ran, and the user is the same user
  whose stamp-era data rendered the page.
- Never stored: responses other than 200, responses that set a cookie or say private/no-store
  (`never_cache`), requests with pending messages (a stored page must not repeat or swallow
  them), requests that changed the session, non-GET requests, and while queries are logged
  (DEBUG, query-budget tests: they measure what rendering costs).

Only views whose output depends on nothing but the database, the user, the address, the
language and the day may carry the decorator."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps
from threading import Lock

from django.conf import settings
from django.db import connections, transaction
from django.http import HttpResponse
from django.test.signals import setting_changed
from django.utils import timezone
from django.utils.translation import get_language

from .cache import Stamp

USER_STAMP_KEY = "pfcc:user-cache-stamp"


def _setting(name, default):
    return getattr(settings, name, default)


def enabled() -> bool:
    return bool(_setting("PFCC_USER_CACHE", True))


class UserStamp(Stamp):
    """The version of all data: read on every request (interval 0), its own key and file."""

    key = USER_STAMP_KEY

    def _interval(self) -> float:
        return 0.0

    def _file(self):
        path = super()._file()
        return path.with_name(path.name + "-user") if path is not None else None


stamp = UserStamp()


@dataclass
class Entry:
    version: str
    stored_at: float
    headers: list[tuple[str, str]]
    content: bytes


class Store:
    """A bounded LRU of responses in this process's memory."""

    def __init__(self):
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._size = 0
        self._lock = Lock()
        self.filled_since_bump = False

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = _setting("PFCC_USER_CACHE_MAX_BYTES", 32 * 1024 * 1024)
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.content)
            self._entries[key] = entry
            self._size += len(entry.content)
            while self._size > limit and self._entries:
                _key, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped.content)
            self.filled_since_bump = True

    def discard(self, key):
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.content)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0
            self.filled_since_bump = False

    def __len__(self):
        return len(self._entries)


store = Store()


@setting_changed.connect
def _on_setting_changed(**kwargs):
    store.clear()


def bump() -> None:
    store.filled_since_bump = False
    stamp.bump()


def _bump_on_commit():
    bump()


def written(alias: str) -> None:
    """A write on connection `alias` (called by common.cache.WriteWatcher): bump the stamp at
    the commit, and at once when this process stored a page since its last bump (the writing
    request may read that page itself)."""
    connection = connections[alias]
    bumped = False
    if store.filled_since_bump:
        bump()
        bumped = True
    if connection.in_atomic_block:
        if not any(entry[1] is _bump_on_commit for entry in connection.run_on_commit):
            transaction.on_commit(_bump_on_commit, using=alias, robust=True)
    elif not bumped:
        bump()


def _key(request, name) -> str:
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    csrf_hash = hashlib.blake2b(csrf.encode(), digest_size=8).hexdigest()
    return (
        f"{name}|{request.user.pk}|{csrf_hash}|{get_language()}|{timezone.localdate()}|"
        f"{request.get_full_path()}"
    )


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _bypass(request) -> bool:
    return (
        not enabled()
        or request.method != "GET"
        or not request.user.is_authenticated
        # Without a CSRF cookie the page would carry tokens of a secret only this response
        # hands out: another tab of the same user would get forms it cannot post.
        or settings.CSRF_COOKIE_NAME not in request.COOKIES
        or connections["default"].queries_logged
        or _has_messages(request)
    )


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    # The CSRF cookie is sent again with every page that uses it (to renew its expiry; the
    # admin's views do so themselves): the same secret, not a cookie of this page's own.
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    control = response.get("Cache-Control", "").lower()
    if "private" in control or "no-store" in control or "no-cache" in control:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.used or storage._queued_messages):
        return False
    return len(response.content) <= _setting("PFCC_USER_CACHE_MAX_PAGE_BYTES", 1024 * 1024)


def per_user_cache(view):
    """Serve the signed-in user's own page from memory while no data changed (see above)."""
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _bypass(request):
            return view(request, *args, **kwargs)
        version = stamp.read()
        if version is None:  # the shared cache is down
            return view(request, *args, **kwargs)
        key = _key(request, name)
        entry = store.get(key)
        max_age = _setting("PFCC_USER_CACHE_SECONDS", 60)
        if entry is not None:
            if entry.version == version and time.monotonic() - entry.stored_at < max_age:
                response = HttpResponse(entry.content)
                for header, value in entry.headers:
                    response[header] = value
                return response
            store.discard(key)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _storable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            store.put(key, Entry(version, time.monotonic(), headers, response.content))
        return response

    return wrapper
