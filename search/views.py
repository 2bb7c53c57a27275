from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.http import require_GET

from pfcc.search_registry import search_providers

from .query import search

MAX_QUERY = 200


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@require_GET
def results(request):
    """The site-wide search: every kind's best matches, or one kind's results page by page."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    kind = request.GET.get("kind", "")
    if search_providers.get(kind) is None:
        kind = ""
    page = _page_number(request.GET.get("page")) if kind else 1
    found = search(query, request.user, kind=kind or None, page=page)

    # Links built here rather than with {% querystring %} in the template: a dozen of them cost
    # more than the rest of the page. The query encoded once; kinds are letters and "_".
    encoded = "?" + urlencode({"q": query})

    def link(**params):
        return encoded + "".join(f"&{name}={value}" for name, value in params.items())

    kinds = [(provider, link(kind=provider.kind)) for provider in search_providers.ordered()]
    for group in found.groups:
        group.link = link(kind=group.kind)
    context = {
        "results": found,
        "search_query": query,
        "kind": kind,
        "kinds": kinds,
        "all_link": link(),
        "previous_link": link(kind=kind, page=found.page - 1),
        "next_link": link(kind=kind, page=found.page + 1),
    }
    return render(request, "search/results.html", context)
