"""Hackathon pieces of the person page and the home page (a fixed number of queries each), and
the registry of other apps' pieces of the edition page.

`edition_sections`: an app that has things belonging to an edition (a judged contest that is a
track of it) shows them on /hackathon/<n>/ without the hackathon importing it. In its
AppConfig.ready():

    from hackathon.sections import edition_sections
    edition_sections.register("judging/edition_section.html", contests_of_edition, order=50)

`get_context(edition, request)` returns a dict for the template (read as `section.<key>`) or
None to leave the section out, in a fixed number of queries.
"""

from django.db.models import Q

from pfcc.sections import SectionRegistry

from .models import Claim, Edition, Result, Task, TaskSet, format_stars
from .stats import edition_totals


def person_claims(person, request):
    """The person's claims and published results; `?set=<slug>` narrows both to one task set
    (each claim names its set, each result its sets)."""
    claims = Claim.objects.filter(person=person)
    only = (request.GET.get("set", "") if request is not None else "")[:80]
    if only:
        claims = claims.filter(task__task_set__slug=only)
    claims = list(
        claims.select_related("task__edition", "task__task_set__edition").order_by(
            "-task__edition__number", "task__task_set__order", "task__number"
        )[:200]
    )
    # An edition's published results, and a standalone activity's (a set without an edition).
    published = Q(edition__state=Edition.State.RESULTS_PUBLISHED) | Q(
        task_set__edition__isnull=True, task_set__state=TaskSet.State.RESULTS_PUBLISHED
    )
    results = list(
        Result.objects.filter(published, person=person).select_related(
            "edition", "task_set", "certificate"
        )
    )
    if only:
        results = [r for r in results if any(part["set"] == only for part in r.by_set)]
    if not claims and not results and not only:
        return None
    completed = [claim for claim in claims if claim.is_completed]
    stars = sum((claim.task.difficulty for claim in completed), start=0)
    return {
        "hackathon_claims": claims,
        "hackathon_completed": len(completed),
        "hackathon_stars": format_stars(stars),
        "hackathon_results": results,
        "hackathon_set": only,
    }


def current_edition_progress(request):
    edition = Edition.objects.current()
    if edition is None or not Task.objects.filter(edition=edition).exists():
        return None
    return {"hackathon_edition": edition, "hackathon_totals": edition_totals(edition)}


edition_sections = SectionRegistry()
