"""Redis as the shared cache, without making Redis a reason for an error page.

What the cache holds is either rebuilt from the database (pages) or short-lived counters (rate
limits, used TOTP codes): losing it for a while must not stop the site. With Django's own Redis
backend, a stopped Redis turns every request that touches the cache into a 500. This backend
answers as if the cache were empty instead, and reports it:

- a read is a miss, a write is dropped, `add` succeeds (it serves as a lock), `incr` says the
  key is missing (ValueError);
- after a failure Redis is not asked again for RETRY_SECONDS (1 s), so that a Redis that hangs
  costs each request nothing rather than a connection timeout; then it is tried again, and the
  site is back on Redis as soon as it answers, with nothing to restart;
- `unavailable(cache)` tells a caller (the page cache) that its last read was not a real one.

How each user of the cache degrades is in the README's Security section ("Cache outage").
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._local = threading.local()

    def _call(self, method: str, default, *args, **kwargs):
        self._local.failed = False
        if time.monotonic() < self._down_until:
            self._local.failed = True
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            if not self._down_until:
                logger.error("Redis unavailable, serving without the cache: %s", error)
            self._down_until = time.monotonic() + RETRY_SECONDS
            self._local.failed = True
            return default

    def _succeeded(self) -> None:
        if self._down_until and not getattr(self._local, "failed", False):
            logger.warning("Redis answers again")
            self._down_until = 0.0

    def _wrap(self, method, default, *args, **kwargs):
        value = self._call(method, default, *args, **kwargs)
        self._succeeded()
        return value

    def get(self, key, default=None, version=None):
        return self._wrap("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._wrap("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._wrap("has_key", False, key, version)

    def set(self, *args, **kwargs):
        return self._wrap("set", None, *args, **kwargs)

    def add(self, *args, **kwargs):
        # True while Redis is down: callers use add() as a lock (allauth's rate limits wait on
        # it, then refuse); a lock nobody can hold must not hold everyone up.
        return self._wrap("add", True, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._wrap("touch", False, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._wrap("set_many", list(data), data, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._wrap("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._wrap("delete_many", None, *args, **kwargs)

    def clear(self):
        return self._wrap("clear", None)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._wrap("incr", missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable)")
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    @property
    def last_call_failed(self) -> bool:
        return bool(getattr(self._local, "failed", False))


def unavailable(cache) -> bool:
    """Whether this thread's last call to `cache` could not reach it (always False for other
    backends)."""
    return bool(getattr(cache, "last_call_failed", False))
