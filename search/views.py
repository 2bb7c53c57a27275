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
    context = {
        "results": found,
        "search_query": query,
        "kind": kind,
        "providers": search_providers.ordered(),
        "previous_page": found.page - 1,
        "next_page": found.page + 1,
    }
    return render(request, "search/results.html", context)
