import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.csvsafe import csv_response
from common.ratelimit import rate_limited
from common.usercache import per_user_cache
from pfcc.certificates import certificate_lookups
from pfcc.models import Person

from . import certificate_pages, exports, permissions, stats, transitions
from .certificate_pages import CERTIFICATE_CODE_RE
from .certificates import certificate_shown, render_certificate_png
from .forms import AdvanceClaimForm, BoardFilterForm, ClaimForm, ObjectionForm, PullRequestForm
from .models import (
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    Objection,
    PullRequest,
    Result,
    Task,
    TaskSet,
    Track,
)
from .sections import edition_sections


def _edition(request, number) -> Edition:
    editions = Edition.objects.all() if request.user.is_staff else Edition.objects.visible()
    return get_object_or_404(editions, number=number)


def _person(request) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.of_user(request.user)


def index(request):
    editions = list(Edition.objects.visible().order_by("-number"))
    totals = {
        row["edition"]: row
        for row in Task.objects.active()
        .filter(edition__in=editions)
        .values("edition")
        .annotate(**stats._counts())
        .order_by()
    }
    rows = []
    for edition in editions:
        counts = totals.get(edition.pk, {})
        rows.append(
            {
                "edition": edition,
                "progress": stats.ProgressRow(
                    "",
                    "",
                    counts.get("total", 0),
                    counts.get("claimed", 0),
                    counts.get("submitted", 0),
                    counts.get("completed", 0),
                ),
            }
        )
    return render(request, "hackathon/index.html", {"rows": rows})


def edition_detail(request, number):
    edition = _edition(request, number)
    tracks = list(Track.objects.filter(edition=edition).prefetch_related("directions"))
    progress = stats.by_direction(stats.direction_progress(edition))
    track_rows = [
        {
            "track": track,
            "directions": [
                {"direction": d, "progress": progress.get((track.name, d.name))}
                for d in track.directions.all()
            ],
        }
        for track in tracks
    ]
    context = {
        "edition": edition,
        "section": "overview",
        "tracks": track_rows,
        "totals": stats.edition_totals(edition),
        "edition_sections": edition_sections.render_list(edition, request),
    }
    return render(request, "hackathon/edition_detail.html", context)


def _set_of(request, edition) -> TaskSet:
    """The edition's set the page shows: `?set=<slug>`, else its main set."""
    slug = request.GET.get("set", "")
    if slug:
        return get_object_or_404(
            TaskSet.objects.select_related("edition"), edition=edition, slug=slug[:80]
        )
    return TaskSet.main_of(edition)


def _set_filter(request, edition) -> TaskSet | None:
    """`?set=<slug>`: one of the edition's sets (404 for another's), or None for them all."""
    slug = request.GET.get("set", "")
    if not slug:
        return None
    return get_object_or_404(
        TaskSet.objects.select_related("edition"), edition=edition, slug=slug[:80]
    )


def _visible_set(request, slug) -> TaskSet:
    task_set = get_object_or_404(TaskSet.objects.select_related("edition"), slug=slug)
    draft = task_set.edition_id and task_set.edition.state == Edition.State.DRAFT
    if draft and not request.user.is_staff:
        raise Http404
    return task_set


def _board(request, task_set):
    edition = task_set.edition
    difficulties = (
        Task.objects.filter(task_set=task_set)
        .order_by("difficulty")
        .values_list("difficulty", flat=True)
        .distinct()
    )
    form = BoardFilterForm(edition, request.GET or None, difficulties=list(difficulties))
    tasks = Task.objects.filter(task_set=task_set).annotate(top_state=Max("claims__state"))
    tasks = form.apply(tasks).for_board().order_by("number")
    tasks = list(tasks)
    for task in tasks:
        task.task_set = task_set
    return form, tasks


def _groups(tasks):
    """Tasks grouped by track / direction in board order (the tasks are already loaded)."""
    groups = {}
    for task in tasks:
        direction = task.direction
        key = (
            (direction.track.order, direction.track_id, direction.order, direction.pk)
            if direction
            else (10_000, 0, 0, 0)
        )
        if key not in groups:
            title = f"{direction.track.name} · {direction.name}" if direction else _("Other tasks")
            groups[key] = {"title": title, "tasks": []}
        groups[key]["tasks"].append(task)
    return [groups[key] for key in sorted(groups)]


def _set_urls(task_set) -> dict:
    if task_set.edition_id:
        number = task_set.edition.number
        suffix = "" if task_set.is_main else f"?set={task_set.slug}"
        return {
            "claim": reverse("hackathon:claim", kwargs={"number": number}) + suffix,
            "board": reverse("hackathon:board", kwargs={"number": number}) + suffix,
            "md": reverse("hackathon:board_md", kwargs={"number": number}),
            "csv": reverse("hackathon:board_csv", kwargs={"number": number}),
            "json": reverse("hackathon:board_json", kwargs={"number": number}),
        }
    base = reverse("hackathon:set_board", kwargs={"slug": task_set.slug})
    return {
        "claim": reverse("hackathon:set_claim", kwargs={"slug": task_set.slug}),
        "board": base,
        "md": reverse("hackathon:set_board_md", kwargs={"slug": task_set.slug}),
        "csv": reverse("hackathon:set_board_csv", kwargs={"slug": task_set.slug}),
        "json": reverse("hackathon:set_board_json", kwargs={"slug": task_set.slug}),
    }


@per_user_cache
def board(request, number):
    edition = _edition(request, number)
    return _render_board(request, _set_of(request, edition))


@per_user_cache
def set_board(request, slug):
    return _render_board(request, _visible_set(request, slug))


def _render_board(request, task_set):
    edition = task_set.edition
    form, tasks = _board(request, task_set)
    person = _person(request)
    claim_form = None
    if request.user.is_authenticated and task_set.accepts_claims:
        claim_form = ClaimForm(needs_login=person is None)
    query = request.GET.urlencode()
    context = {
        "edition": edition,
        "task_set": task_set,
        "task_sets": list(TaskSet.objects.filter(edition=edition)) if edition else [],
        "urls": _set_urls(task_set),
        "set_links": _set_links(task_set),
        "section": "tasks",
        "form": form,
        "groups": _groups(tasks),
        "count": len(tasks),
        "claim_form": claim_form,
        "person": person,
        "query": f"?{query}" if query else "",
        "states": list(ClaimState),
    }
    return render(request, "hackathon/board.html", context)


def board_export(request, number, fmt):
    edition = _edition(request, number)
    return _board_export(request, _set_of(request, edition), fmt)


def set_board_export(request, slug, fmt):
    return _board_export(request, _visible_set(request, slug), fmt)


def _board_export(request, task_set, fmt):
    edition = task_set.edition
    _form, tasks = _board(request, task_set)
    name = f"hackathon-{edition.number}" if task_set.is_main and edition else task_set.slug
    if fmt == "md":
        return exports.markdown_response(
            exports.board_markdown(edition or task_set, _groups(tasks))
        )
    if fmt == "csv":
        return csv_response(
            f"{name}-tasks.csv", exports.BOARD_CSV_HEADER, exports.board_csv_rows(tasks)
        )
    return exports.json_response(
        {
            "edition": edition.number if edition else None,
            "set": task_set.slug,
            "tasks": [exports.task_record(task) for task in tasks],
        }
    )


@per_user_cache
def task_detail(request, number, task):
    edition = _edition(request, number)
    return _task_detail(request, _set_of(request, edition), task)


@per_user_cache
def set_task(request, slug, task):
    return _task_detail(request, _visible_set(request, slug), task)


def _task_detail(request, task_set, task, pr_form=None):
    """`pr_form`: a pull-request form refused on its claim's row, shown again as typed."""
    edition = task_set.edition
    claims = Claim.objects.select_related("person").prefetch_related(
        "pull_requests",
        Prefetch("history", queryset=ClaimStateChange.objects.order_by("created_at", "pk")),
    )
    task = get_object_or_404(
        Task.objects.select_related(
            "direction__track", "completed_claim__person", "task_set__edition"
        ).prefetch_related(Prefetch("claims", queryset=claims.order_by("created_at", "pk"))),
        task_set=task_set,
        number=task,
    )
    task.task_set = task_set
    user = request.user
    person = _person(request)
    rows = []
    mine = False
    for claim in task.claims.all():
        claim.task = task
        task.edition = edition
        # A standalone activity's claims move by GitHub (webhook) and staff only.
        states = permissions.allowed_states(user, claim) if edition else []
        editable = edition is not None and permissions.can_update_claim(user, claim)
        mine = mine or (person is not None and claim.person_id == person.pk)
        rows.append(
            {
                "claim": claim,
                "advance_form": AdvanceClaimForm(states=states, prefix=f"c{claim.pk}")
                if states
                else None,
                "pr_form": (
                    pr_form
                    if pr_form is not None and pr_form.prefix == f"c{claim.pk}"
                    else PullRequestForm(prefix=f"c{claim.pk}")
                )
                if editable
                else None,
                "editable": editable,
            }
        )
    claim_form = None
    if (
        user.is_authenticated
        and task_set.accepts_claims
        and task.is_open
        and not task.completed_claim_id
        and not mine
    ):
        claim_form = ClaimForm(initial={"numbers": str(task.number)}, needs_login=person is None)
    context = {
        "edition": edition,
        "task_set": task_set,
        "urls": _set_urls(task_set),
        "section": "tasks",
        "task": task,
        "rows": rows,
        "claim_form": claim_form,
        "mine": mine,
    }
    return render(request, "hackathon/task_detail.html", context)


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would read anything else ("0", "home") as a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@rate_limited("hackathon.claim")
@login_required
@require_http_methods(["GET", "POST"])
def claim(request, number):
    edition = _edition(request, number)
    return _claim(request, _set_of(request, edition))


@rate_limited("hackathon.claim")
@login_required
@require_http_methods(["GET", "POST"])
def set_claim(request, slug):
    return _claim(request, _visible_set(request, slug))


# Where a refusal of the whole claim belongs on the form (the rest are about the numbers).
CLAIM_ERROR_FIELDS = {"needs_login": "github_login", "closed": None}


def _claim(request, task_set):
    """The claim form as a page of its own: GET shows it (the board and task pages post to it);
    a POST that claims nothing shows it again with what was typed and each error on its field;
    a POST that claims something goes back where the user came from."""
    back = _back(request, _set_urls(task_set)["board"])
    needs_login = _person(request) is None
    if request.method == "GET":
        numbers = request.GET.get("numbers", "")[:500]
        form = ClaimForm(initial={"numbers": numbers}, needs_login=needs_login)
        return _claim_page(request, task_set, form, back)
    form = ClaimForm(request.POST, needs_login=needs_login)
    if not form.is_valid():
        return _claim_page(request, task_set, form, back)
    try:
        outcome = transitions.claim_tasks(
            task_set,
            request.user,
            form.cleaned_data["numbers"],
            team_name=form.cleaned_data.get("team_name", ""),
            github_login=form.cleaned_data.get("github_login"),
        )
    except transitions.TransitionError as error:
        field = CLAIM_ERROR_FIELDS.get(error.code, "numbers")
        form.add_error(field if field in form.fields else None, error.message)
        return _claim_page(request, task_set, form, back)
    if not outcome.claimed:
        for _label, reason in outcome.rejected:
            form.add_error("numbers", reason)
        return _claim_page(request, task_set, form, back)
    numbers = "、".join(claim.task.label for claim in outcome.claimed)
    messages.success(request, _("Claimed: No.%(numbers)s.") % {"numbers": numbers})
    for _label, reason in outcome.rejected:
        messages.error(request, _("Not claimed: %(reason)s") % {"reason": reason})
    return redirect(back)


def _claim_page(request, task_set, form, back):
    context = {
        "edition": task_set.edition,
        "task_set": task_set,
        "urls": _set_urls(task_set),
        "section": "tasks",
        "form": form if task_set.accepts_claims else None,
        "back": back,
    }
    return render(request, "hackathon/claim.html", context)


def _claim_for_update(request, number, claim_id) -> Claim:
    edition = _edition(request, number)
    claim = get_object_or_404(
        Claim.objects.select_related("task__edition", "person"), pk=claim_id, task__edition=edition
    )
    if not permissions.can_update_claim(request.user, claim):
        raise PermissionDenied
    return claim


@login_required
@require_POST
def advance(request, number, claim_id):
    claim = _claim_for_update(request, number, claim_id)
    form = AdvanceClaimForm(
        request.POST,
        states=permissions.allowed_states(request.user, claim),
        prefix=f"c{claim.pk}",
    )
    if form.is_valid():
        try:
            transitions.advance_claim(
                claim, form.cleaned_data["state"], request.user, form.cleaned_data["note"]
            )
        except transitions.NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except transitions.TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The claim is now at “%(state)s”.")
                % {"state": ClaimState(form.cleaned_data["state"]).label},
            )
    else:
        messages.error(request, _("Choose one of the states offered."))
    return redirect(claim.task.get_absolute_url())


@login_required
@require_POST
def add_pull_request(request, number, claim_id):
    claim = _claim_for_update(request, number, claim_id)
    form = PullRequestForm(request.POST, prefix=f"c{claim.pk}")
    if form.is_valid():
        try:
            transitions.record_pull_request(claim, form.cleaned_data["url"], request.user)
        except transitions.NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except transitions.TransitionError as error:
            form.add_error("url", error.message)
        else:
            messages.success(request, _("Pull request added."))
            return redirect(claim.task.get_absolute_url())
    # Refused: the task page again, the link as typed and the reason under it.
    return _task_detail(request, claim.task.task_set, claim.task.number, pr_form=form)


@login_required
@require_POST
def remove_pull_request(request, number, claim_id, pull_id):
    claim = _claim_for_update(request, number, claim_id)
    pull = get_object_or_404(PullRequest, pk=pull_id, claim=claim)
    try:
        transitions.remove_pull_request(pull, request.user)
    except transitions.NotAllowed as error:
        raise PermissionDenied(error.message) from error
    except transitions.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pull request removed."))
    return redirect(claim.task.get_absolute_url())


def _progress_urls(edition, task_set) -> dict:
    """The 看板 page and its exports: a set's own, or the edition's."""
    if task_set is not None:
        name, kwargs = "hackathon:set_progress", {"slug": task_set.slug}
    else:
        name, kwargs = "hackathon:progress", {"number": edition.number}
    urls = {fmt: reverse(f"{name}_{fmt}", kwargs=kwargs) for fmt in ("md", "csv", "json")}
    return {"page": reverse(name, kwargs=kwargs), **urls}


def _set_links(task_set) -> dict:
    """A set's own pages: board, progress (看板), results."""
    kwargs = {"slug": task_set.slug}
    return {
        "board": task_set.get_absolute_url(),
        "progress": reverse("hackathon:set_progress", kwargs=kwargs),
        "results": reverse("hackathon:set_results", kwargs=kwargs),
    }


def progress(request, number):
    edition = _edition(request, number)
    return _render_progress(request, edition, _set_filter(request, edition))


def set_progress(request, slug):
    task_set = _visible_set(request, slug)
    return _render_progress(request, task_set.edition, task_set)


def _render_progress(request, edition, task_set):
    scope = task_set or edition
    rows = stats.direction_progress(scope)
    labels = {"claimed": _("Claimed"), "submitted": _("Submitted"), "completed": _("Completed")}
    context = {
        "edition": edition,
        "task_set": task_set,
        "set_links": _set_links(task_set) if task_set else None,
        "scope": scope,
        "section": "progress",
        "rows": rows,
        "several_sets": len({row.set for row in rows}) > 1,
        "totals": stats.edition_totals(scope),
        "people": stats.person_stats(scope),
        "chart": stats.chart(scope, labels),
        "urls": _progress_urls(edition, task_set),
    }
    return render(request, "hackathon/progress.html", context)


def progress_export(request, number, fmt):
    edition = _edition(request, number)
    return _progress_export(edition, _set_filter(request, edition), fmt)


def set_progress_export(request, slug, fmt):
    task_set = _visible_set(request, slug)
    return _progress_export(task_set.edition, task_set, fmt)


def _progress_export(edition, task_set, fmt):
    scope = task_set or edition
    rows, totals = stats.direction_progress(scope), stats.edition_totals(scope)
    people = stats.person_stats(scope)
    if fmt == "md":
        return exports.markdown_response(exports.progress_markdown(rows, totals, people, task_set))
    if fmt == "csv":
        data = [[row.as_dict()[key] for key in exports.PROGRESS_CSV_HEADER] for row in rows]
        total = totals.as_dict() | {"track": "", "direction": "total"}
        data.append([total[key] for key in exports.PROGRESS_CSV_HEADER])
        name = task_set.slug if task_set else f"hackathon-{edition.number}"
        return csv_response(f"{name}-progress.csv", exports.PROGRESS_CSV_HEADER, data)
    return exports.json_response(
        {
            "edition": edition.number if edition else None,
            "set": task_set.slug if task_set else None,
            "directions": [row.as_dict() for row in rows],
            "total": {
                key: value
                for key, value in totals.as_dict().items()
                if key not in ("track", "direction")
            },
            "people": [person.as_dict() for person in people],
        }
    )


def _results(scope, task_set=None):
    """The published lines of an edition (narrowed to one of its sets) or of a standalone
    activity (its own results)."""
    rows = list(
        Result.objects.of_activity(scope)
        .select_related("person", "certificate")
        .order_by("rank", "person__github")
    )
    if task_set is not None and isinstance(scope, Edition):
        return stats.set_results(rows, task_set)
    return rows


def results(request, number):
    edition = _edition(request, number)
    return _render_results(request, edition, _set_filter(request, edition))


def set_results(request, slug):
    """A set's results: an edition's set shows its lines of the edition's results, a standalone
    activity its own (published by staff from the admin, with objections and certificates)."""
    task_set = _visible_set(request, slug)
    if task_set.edition is None:
        return _render_results(request, task_set, task_set)
    return _render_results(request, task_set.edition, task_set)


def _results_urls(scope, task_set) -> dict:
    if isinstance(scope, Edition):
        suffix = f"?set={task_set.slug}" if task_set else ""
        kwargs = {"number": scope.number}
        return {
            "export_csv": reverse("hackathon:results_csv", kwargs=kwargs) + suffix,
            "export_json": reverse("hackathon:results_json", kwargs=kwargs) + suffix,
            "objection_url": reverse("hackathon:objection", kwargs=kwargs),
        }
    kwargs = {"slug": scope.slug}
    return {
        "export_csv": reverse("hackathon:set_results_csv", kwargs=kwargs),
        "export_json": reverse("hackathon:set_results_json", kwargs=kwargs),
        "objection_url": reverse("hackathon:set_objection", kwargs=kwargs),
    }


def _render_results(request, scope, task_set, objection_form=None):
    """The results page of an edition (`scope`, optionally narrowed to `task_set`) or of a
    standalone activity (`scope` is the set)."""
    edition = scope if isinstance(scope, Edition) else None
    published = scope.results_published
    preview = not published and request.user.is_staff
    rows = _results(scope, task_set) if published or preview else []
    objection = None
    form = None
    if request.user.is_authenticated and published:
        objection = (
            Objection.objects.of_activity(scope)
            .filter(user=request.user)
            .select_related("person")
            .first()
        )
        person = _person(request)
        if objection is None and person is not None:
            objection = Objection.objects.of_activity(scope).filter(person=person).first()
        if objection is None and objection_form is not None:
            form = objection_form  # refused: shown again with what was typed and why
        elif objection is None and scope.objections_open():
            form = ObjectionForm()
    context = {
        "edition": edition,
        "activity": scope,
        "task_set": task_set,
        "task_sets": list(TaskSet.objects.filter(edition=edition)) if edition else [],
        "set_links": _set_links(task_set) if task_set else None,
        "star_value": task_set.reward_star_value if task_set else edition.star_value,
        "reward_cap": edition.reward_cap if edition else scope.reward_cap,
        "section": "results",
        "published": published,
        "preview": preview,
        "results": rows,
        "objection": objection,
        "objection_form": form,
        "objections_open": scope.objections_open(),
        "now": timezone.now(),
        **_results_urls(scope, task_set),
    }
    return render(request, "hackathon/results.html", context)


def _certificate_url(request, result) -> str:
    certificate = getattr(result, "certificate", None)
    if certificate is None or certificate.revoked:
        return ""
    return request.build_absolute_uri(certificate.get_absolute_url())


def _results_csv(request, rows, name):
    data = []
    for row in rows:
        record = dict(exports.result_record(row, _certificate_url(request, row)))
        record["tasks"] = row.task_list
        record["open_source_star"] = "yes" if record["open_source_star"] else "no"
        data.append([record[key] for key in exports.RESULTS_CSV_HEADER])
    return csv_response(f"{name}-results.csv", exports.RESULTS_CSV_HEADER, data)


def results_export(request, number, fmt):
    edition = _edition(request, number)
    if not edition.results_published:
        raise Http404
    task_set = _set_filter(request, edition)
    rows = _results(edition, task_set)
    if fmt == "csv":
        name = f"hackathon-{edition.number}" + (f"-{task_set.slug}" if task_set else "")
        return _results_csv(request, rows, name)
    records = [exports.result_record(row, _certificate_url(request, row)) for row in rows]
    return exports.json_response(
        {
            "edition": edition.number,
            "set": task_set.slug if task_set else None,
            "star_value": format(edition.star_value, "f"),
            "reward_cap": format(edition.reward_cap, "f"),
            "objection_deadline": edition.objection_deadline.isoformat()
            if edition.objection_deadline
            else None,
            "task_sets": [
                {
                    "set": each.slug,
                    "name": each.name,
                    "star_value": format(each.star_value or edition.star_value, "f"),
                }
                for each in TaskSet.objects.filter(edition=edition)
            ],
            "results": records,
        }
    )


def set_results_export(request, slug, fmt):
    """A standalone activity's published results as CSV or JSON; an edition's set has its
    lines of the edition's export (`?set=<slug>`)."""
    task_set = _visible_set(request, slug)
    if task_set.edition is not None:
        name = "hackathon:results_csv" if fmt == "csv" else "hackathon:results_json"
        url = reverse(name, kwargs={"number": task_set.edition.number})
        return redirect(f"{url}?set={task_set.slug}")
    if not task_set.results_published:
        raise Http404
    rows = _results(task_set)
    if fmt == "csv":
        return _results_csv(request, rows, task_set.slug)
    return exports.json_response(
        {
            "edition": None,
            "set": task_set.slug,
            "name": task_set.name,
            "star_value": format(task_set.reward_star_value, "f"),
            "reward_cap": format(task_set.reward_cap, "f") if task_set.reward_cap else None,
            "objection_deadline": task_set.objection_deadline.isoformat()
            if task_set.objection_deadline
            else None,
            "results": [exports.result_record(row, _certificate_url(request, row)) for row in rows],
        }
    )


def _file_objection(request, scope, done_url):
    """Filed, back to the results; refused (too long, the period just ended), the results page
    again with the text as typed and the reason above it: an objection can be long."""
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            transitions.file_objection(scope, request.user, form.cleaned_data["text"])
        except transitions.TransitionError as error:
            # Shown above the page: an objection already filed hides the form.
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your objection was filed; the staff will answer it."))
            return redirect(done_url)
    task_set = None if isinstance(scope, Edition) else scope
    return _render_results(request, scope, task_set, objection_form=form)


@rate_limited("hackathon.objection")
@login_required
@require_POST
def objection(request, number):
    edition = _edition(request, number)
    return _file_objection(request, edition, edition.get_results_url())


@rate_limited("hackathon.objection")
@login_required
@require_POST
def set_objection(request, slug):
    """An objection to a standalone activity's results (an edition's set: the edition's page)."""
    task_set = _visible_set(request, slug)
    if task_set.edition is not None:
        raise Http404
    return _file_objection(request, task_set, task_set.get_results_url())


def _certificate(code) -> Certificate:
    if not CERTIFICATE_CODE_RE.fullmatch(code):
        raise Http404
    return get_object_or_404(
        Certificate.objects.select_related("result__person", "result__edition", "result__task_set"),
        code=code.upper(),
    )


def certificate(request, code):
    # Codes are read off paper or a picture: spaces, dashes and lower case are forgiven, and a
    # code that names no certificate gets a page that says so in words (not a bare 404).
    typed = re.sub(r"[\s\-_.]", "", code).upper()
    if typed != code and CERTIFICATE_CODE_RE.fullmatch(typed):
        return redirect("hackathon:certificate", code=typed)
    certificate = (
        Certificate.objects.select_related("result__person", "result__edition", "result__task_set")
        .filter(code=typed)
        .first()
        if CERTIFICATE_CODE_RE.fullmatch(typed)
        else None
    )
    if certificate is None:
        # Certificates of other apps (a judged contest's awards) verify here too.
        page = certificate_lookups.find(typed) if CERTIFICATE_CODE_RE.fullmatch(typed) else None
        if page is not None:
            return render(request, page.template, page.context)
        return certificate_pages.not_found(request, code)
    return render(
        request,
        "hackathon/certificate.html",
        {"certificate": certificate, "result": certificate.result},
    )


def certificate_image(request, code):
    certificate = _certificate(code)
    return certificate_pages.png_download(
        request, certificate, render_certificate_png, certificate_shown(certificate)
    )
