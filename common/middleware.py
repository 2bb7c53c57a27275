"""Site-wide middleware: a 503 page when the database is down, a second factor for staff, and
no NUL characters in requests."""

import logging
import sys
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from .staff import is_staff_account, second_factor_redirect
from .text import NUL, without_nul

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached", not "this query is wrong".
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def _is_unavailable(error) -> bool:
    if isinstance(error, UNAVAILABLE_ERRORS):
        return True
    # psycopg_pool.PoolTimeout when a pool is configured and the server is gone.
    return type(error).__name__ == "PoolTimeout"


def unavailable_response(request=None) -> HttpResponse:
    """The 503 page. Rendered without a request context: nothing in it touches the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a view into a quick 503 instead of a 500.

    Errors raised outside views (e.g. saving the session) reach `server_error` below, which
    answers 503 for the same errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if _is_unavailable(exception):
            logger.error("Database unavailable: %s", exception)
            return unavailable_response(request)
        return None


def server_error(request, template_name="500.html"):
    """handler500: 503 when the uncaught error is a lost database, Django's 500 otherwise."""
    error = sys.exc_info()[1]
    if error is not None and _is_unavailable(error):
        return unavailable_response(request)
    return defaults.server_error(request, template_name)


def _admin_prefix() -> str:
    return reverse("admin:index")


def _open_prefixes() -> tuple[str, ...]:
    """Where a staff account without a second factor may still go: the sign-in, second-factor
    and account pages (allauth), the language switch, files and the health check."""
    accounts = reverse("account_login").rsplit("login/", 1)[0]
    return (
        accounts,
        reverse("set_language").rsplit("setlang/", 1)[0],
        settings.STATIC_URL,
        settings.MEDIA_URL,
        reverse("healthz"),
    )


class StaffMFAMiddleware:
    """A staff account acts only in a session that passed a second factor (TOTP), on every
    page, not only the admin: staff powers are also used in pages open to others (drafts,
    anyone's claim, every report). Staff-only views carry `common.staff.staff_required` too.

    - The admin's own login form (which would skip allauth's login stages) sends people to
      allauth's login, which asks for the code when the account has TOTP.
    - Staff without TOTP are sent to set it up; staff with TOTP whose session did not pass it
      (signed in before setting it up, or through Django's own login) are asked for a code.
      Only the sign-in and account pages stay open to them meanwhile.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        if response is not None:
            return response
        return self.get_response(request)

    def check(self, request):
        prefix = _admin_prefix()
        if request.path == reverse("admin:login"):
            target = request.GET.get("next") or prefix
            return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
        if not is_staff_account(request.user):
            return None  # the admin itself sends visitors to its login, which comes back here
        if request.path.startswith(_open_prefixes()):
            return None
        return second_factor_redirect(request, _next_url(request))


def _next_url(request) -> str:
    """Where to come back after the second factor: this page, or for a form sent without one,
    the page the form was on (a POST cannot be replayed by a redirect)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


# NUL characters never reach a view.
#
# PostgreSQL cannot store or even compare text containing NUL (\x00): a NUL in an address, a query
# parameter or a form field would reach the database as a 500 error. No legitimate request
# carries one. An address with a NUL names nothing (404); query parameters (filters, search,
# page numbers) lose their NULs, so an absurd filter is ignored like any other; a form posted
# with one is refused with a 400 that says why. Uploaded file contents are not text and are not
# checked here.


def _has_nul(query_dict) -> bool:
    for key, values in query_dict.lists():
        if NUL in key or any(NUL in value for value in values if isinstance(value, str)):
            return True
    return False


def _query_without_nul(query_dict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in query_dict.lists():
        clean.setlist(without_nul(key), without_nul(values))
    clean._mutable = False
    return clean


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or NUL in request.path_info:
            raise Http404  # no address contains one
        if _has_nul(request.GET):
            request.GET = _query_without_nul(request.GET)
            request.META["QUERY_STRING"] = request.GET.urlencode()
        if request.method == "POST" and _has_nul(request.POST):
            return HttpResponseBadRequest(
                _(
                    "The form contains a NUL character, which is not allowed. "
                    "Remove it and send the form again."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
