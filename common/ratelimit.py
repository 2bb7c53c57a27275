"""Rate limits for the site's own forms: `@rate_limited("app.form")` on a view.

Each POST counts against fixed windows (e.g. 10 a minute and 100 a day) per signed-in user, or
per client address for visitors. Past a limit the view is not run: the answer is 429 with a
translated page and a Retry-After header. Counters live in the cache: Redis in production
(REDIS_URL), so that every worker process shares them; local memory in development and tests.

Limits: settings.PFCC_RATE_LIMITS[scope], else settings.PFCC_RATE_LIMIT_DEFAULT, as
"count/period" pairs separated by commas, period = [n]s|m|h|d ("10/m,100/d", "3/30s").
"""

import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .clientip import client_ip

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rates(text: str) -> list[tuple[int, int]]:
    """ "10/m,100/d" → [(10, 60), (100, 86400)]."""
    rates = []
    for part in text.split(","):
        if not part.strip():
            continue
        match = RATE_RE.match(part)
        if match is None:
            raise ValueError(f"Bad rate limit {part!r}: use count/period, e.g. 10/m or 3/30s")
        count, multiplier, unit = match.groups()
        rates.append((int(count), int(multiplier or 1) * UNITS[unit]))
    return rates


def rates_for(scope: str) -> list[tuple[int, int]]:
    limits = getattr(settings, "PFCC_RATE_LIMITS", {}) or {}
    return parse_rates(limits.get(scope, getattr(settings, "PFCC_RATE_LIMIT_DEFAULT", "")))


def client_key(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request)}"


def consume(request, scope: str) -> int:
    """Count one use of `scope`; 0 when allowed, else the seconds until the window resets."""
    now = int(time.time())
    who = client_key(request)
    retry_after = 0
    for count, period in rates_for(scope):
        window = now // period
        key = f"ratelimit:{scope}:{who}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            used = 1
        if used > count:
            retry_after = max(retry_after, (window + 1) * period - now)
    return retry_after


def too_many_requests(request, retry_after: int):
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


def rate_limited(scope: str):
    """Limit the POSTs a view handles; GETs are never counted."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                retry_after = consume(request, scope)
                if retry_after:
                    logger.warning("Rate limit %s hit by %s", scope, client_key(request))
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
