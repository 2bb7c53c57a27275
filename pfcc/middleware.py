"""NUL characters never reach a view.

PostgreSQL cannot store or even compare text containing NUL (\\x00): a NUL in an address, a query
parameter or a form field would reach the database as a 500 error. No legitimate request
carries one. An address with a NUL names nothing (404); query parameters (filters, search,
page numbers) lose their NULs, so an absurd filter is ignored like any other; a form posted
with one is refused with a 400 that says why. Uploaded file contents are not text and are not
checked here."""

from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(query_dict) -> bool:
    for key, values in query_dict.lists():
        if NUL in key or any(NUL in value for value in values if isinstance(value, str)):
            return True
    return False


def _without_nul(query_dict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in query_dict.lists():
        clean.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    clean._mutable = False
    return clean


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or NUL in request.path_info:
            raise Http404  # no address contains one
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
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
