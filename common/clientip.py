"""The visitor's address behind a reverse proxy, for rate limits (allauth's and the site's).

Behind a proxy every request comes from the proxy's address: rate limits keyed on it lock out
everyone at once (issue 19: 22 failed logins for unknown addresses locked a real user out).
X-Forwarded-For carries the real address, but anyone can send that header, so it is read only
when the request comes from a proxy named in settings.PFCC_TRUSTED_PROXIES (environment
DJANGO_TRUSTED_PROXIES: addresses or networks, comma-separated). The header is read from the
right, skipping trusted proxies; the first other address is the client's (as nginx's
`real_ip_recursive on`). Without trusted proxies the header is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks if network.version == address.version)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For hop a trusted proxy vouches for."""
    cached = getattr(request, "_pfcc_client_ip", None)
    if cached is not None:
        return cached
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "PFCC_TRUSTED_PROXIES", ()) or ()))
    ip = remote
    peer = _parse(remote)
    if networks and peer is not None and _trusted(peer, networks):
        hops = [hop for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            address = _parse(hop)
            if address is None:
                break  # a garbled hop: trust nothing to its left
            ip = str(address)
            if not _trusted(address, networks):
                break
    request._pfcc_client_ip = ip
    return ip


class ClientIPMiddleware:
    """REMOTE_ADDR becomes the client's address (the proxy's stays in PFCC_PROXY_ADDR), so that
    everything keyed on it (allauth's limits, the site's) counts visitors, not the proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = client_ip(request)
        if ip != request.META.get("REMOTE_ADDR"):
            request.META["PFCC_PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = ip
        return self.get_response(request)
