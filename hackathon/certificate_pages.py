"""What a certificate's addresses answer, whichever app issued it (the hackathon's 结项证书, a
judged contest's 获奖证书): the page for a code that names no certificate, and the PNG download.
"""

import hashlib
import re

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from pfcc.certificates import certificate_lookups

from .certificates import CertificateFontMissing

CERTIFICATE_CODE_RE = re.compile(r"[A-Za-z0-9]{1,32}")
PNG_KEPT_FOR = 7 * 24 * 3600


def not_found(request, code: str) -> HttpResponse:
    """The page that says in words that a code names no certificate, with every app's hint on
    what its codes look like (404)."""
    return render(
        request,
        "certificate_not_found.html",
        {
            "code": code[:64],
            "results_url": reverse("hackathon:index"),
            "hints": certificate_lookups.hints(),
            "links": certificate_lookups.links(),
        },
        status=404,
    )


def png_download(request, certificate, render_png, shown: tuple) -> HttpResponse:
    """The certificate drawn by `render_png(certificate, verify_url)` as a PNG attachment; a
    revoked one is not drawn (404), and without a CJK font the answer says so (503).

    Drawn once and kept in the cache under everything it shows (`shown`, the code, the language
    and the address it names): a drawing costs about 0.1 s of CPU, anyone may ask for it, and
    the page cache keys on the query string, which a visitor chooses."""
    if certificate.revoked:
        raise Http404
    verify_url = request.build_absolute_uri(certificate.get_absolute_url())
    what = (render_png.__module__, certificate.code, get_language(), verify_url, *shown)
    key = "certificate-png:" + hashlib.sha256(repr(what).encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        try:
            png = render_png(certificate, verify_url)
        except CertificateFontMissing as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        cache.set(key, png, PNG_KEPT_FOR)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.png"'
    return response
