from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from common.ratelimit import rate_limited
from common.staff import staff_required
from hackathon import certificate_pages
from hackathon.certificate_pages import CERTIFICATE_CODE_RE

from . import exports, queries, transitions
from .certificates import render_certificate_png
from .forms import AwardForm, RegistrationForm, ScoreForm, SubmissionForm
from .models import Award, Submission

SEEN_FOR = 24 * 3600  # a visitor's views of one entry count once a day


def index(request):
    page = queries.contests_page(request.user, request.GET.get("page"))
    return render(request, "judging/index.html", {"page": page})


def contest(request, slug):
    contest = queries.contest_for(request.user, slug)
    return render(request, "judging/contest.html", queries.contest_context(contest, request.user))


def _fail(request, error):
    messages.error(request, error.message if hasattr(error, "message") else str(error))


@login_required
@rate_limited("judging.register")
def register(request, slug):
    contest = queries.listed_contest(slug)
    if queries.active_registration(contest, request.user) is not None:
        messages.info(request, _("You are already registered for this contest."))
        return redirect(contest)
    if not contest.accepts_entries:
        messages.warning(request, _("This contest does not take entries now."))
        return redirect(contest)
    form = RegistrationForm(request.POST or None, initial={"name": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            transitions.register(
                contest,
                request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
                language=translation.get_language(),
            )
        except transitions.TransitionError as error:
            _fail(request, error)
            return redirect(contest)
        messages.success(request, _("You are registered. Submit your app when it runs."))
        return redirect(contest)
    return render(
        request,
        "judging/register.html",
        {"contest": contest, "form": form, "email": request.user.verified_email},
    )


@login_required
@require_POST
def withdraw(request, slug):
    contest = queries.listed_contest(slug)
    registration = queries.active_registration(contest, request.user)
    if registration is None:
        messages.info(request, _("You have no registration for this contest."))
        return redirect(contest)
    try:
        transitions.withdraw_registration(registration, request.user)
    except transitions.TransitionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your registration is withdrawn."))
    return redirect(contest)


@login_required
@rate_limited("judging.submit")
def submit(request, slug):
    contest = queries.listed_contest(slug)
    registration = queries.active_registration(contest, request.user)
    if registration is None:
        messages.info(request, _("Register first, then submit your app."))
        return redirect(contest)
    if not contest.accepts_entries:
        messages.warning(request, _("This contest does not take entries now."))
        return redirect(contest)
    form = SubmissionForm(request.POST or None, request.FILES or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = transitions.submit(
                registration,
                request.user,
                direction=data["direction"],
                title=data["title"],
                summary=data["summary"],
                app_url=data["app_url"],
                repository_url=data["repository_url"],
                description=data["description"],
                screenshots=[(upload, "") for upload in data["screenshots"]],
            )
        except (transitions.TransitionError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your app is submitted and in the gallery."))
            return redirect(submission)
    return render(request, "judging/submit.html", {"contest": contest, "form": form})


def _form_error(form, error):
    if isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error("screenshots", message)
    else:
        form.add_error(None, error.message)


@login_required
@rate_limited("judging.edit")
def edit(request, slug, pk):
    contest = queries.listed_contest(slug)
    submission = get_object_or_404(
        Submission.objects.select_related("registration", "contest"), contest=contest, pk=pk
    )
    if submission.registration.user_id != request.user.pk:
        raise PermissionDenied
    if not contest.accepts_entries or not submission.is_shown:
        messages.warning(request, _("This entry can no longer be edited."))
        return redirect(submission)
    form = SubmissionForm(
        request.POST or None, request.FILES or None, instance=submission, contest=contest
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in SubmissionForm.Meta.fields}
        try:
            transitions.edit_submission(
                Submission.objects.get(pk=submission.pk),
                request.user,
                changes=changes,
                screenshots=[(upload, "") for upload in data["screenshots"]],
                remove_screenshots=[shot.pk for shot in data.get("remove") or []],
            )
        except (transitions.TransitionError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your entry is updated."))
            return redirect(submission)
    return render(
        request, "judging/submit.html", {"contest": contest, "form": form, "submission": submission}
    )


@login_required
@require_POST
def withdraw_submission(request, slug, pk):
    contest = queries.listed_contest(slug)
    submission = get_object_or_404(Submission, contest=contest, pk=pk)
    try:
        transitions.withdraw_submission(submission, request.user)
    except transitions.TransitionError as error:
        _fail(request, error)
        return redirect(submission)
    messages.success(request, _("Your entry is withdrawn."))
    return redirect(contest)


def gallery(request, slug, direction=None):
    contest = queries.listed_contest(slug)
    chosen = queries.direction_for(contest, direction) if direction else None
    sort = request.GET.get("sort", "popular")
    sort = sort if sort in queries.SORTS else "popular"
    page = queries.gallery_page(contest, chosen, sort, request.GET.get("page"))
    context = {
        "contest": contest,
        "directions": queries.directions_with_counts(contest),
        "direction": chosen,
        "sort": sort,
        "page": page,
        "liked": queries.liked_ids(request.user, page.object_list),
    }
    return render(request, "judging/gallery.html", context)


def _visitor(request) -> str:
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"a{request.META.get('REMOTE_ADDR', '')}"


def submission(request, slug, pk):
    contest = queries.listed_contest(slug)
    entry = queries.submission_for(contest, pk, request.user)
    key = f"judging:seen:{entry.pk}:{_visitor(request)}:{date.today().isoformat()}"
    if entry.is_shown and cache.add(key, 1, timeout=SEEN_FOR):
        transitions.count_view(entry)
    response = render(
        request, "judging/submission.html", queries.submission_context(entry, request.user)
    )
    # Every visit must reach this view to be counted: the page is never cached whole.
    patch_cache_control(response, private=True)
    return response


def _back(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
@rate_limited("judging.like")
def like(request, slug, pk):
    contest = queries.listed_contest(slug)
    entry = get_object_or_404(Submission.objects.shown(), contest=contest, pk=pk)
    try:
        if request.POST.get("action") == "unlike":
            transitions.unlike(entry, request.user)
        else:
            transitions.like(entry, request.user)
    except transitions.TransitionError as error:
        _fail(request, error)
    return _back(request, entry)


# --- Judges ------------------------------------------------------------------------------------


def _judge(request, contest):
    judge = queries.judge_for(contest, request.user)
    if judge is None:
        raise PermissionDenied
    return judge


@login_required
@never_cache
def judge_queue(request, slug):
    contest = queries.listed_contest(slug)
    judge = _judge(request, contest)
    page = queries.judge_queue(judge, request.GET.get("page"))
    return render(
        request, "judging/judge_queue.html", {"contest": contest, "judge": judge, "page": page}
    )


@login_required
@never_cache
@rate_limited("judging.score")
def score(request, slug, pk):
    contest = queries.listed_contest(slug)
    judge = _judge(request, contest)
    entry = get_object_or_404(
        Submission.objects.shown().select_related("registration", "direction", "contest"),
        contest=contest,
        pk=pk,
    )
    if transitions.has_conflict(judge, entry):
        raise PermissionDenied
    context = queries.score_context(judge, entry)
    initial = {}
    if context["own"] is not None:
        initial = {f"c{s.criterion_id}": s.value for s in context["own"].scores.all()}
        initial["comment"] = context["own"].comment
    form = ScoreForm(request.POST or None, criteria=context["criteria"], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            transitions.save_scores(
                judge,
                entry,
                request.user,
                values=form.values(),
                comment=form.cleaned_data["comment"],
                submit_card=request.POST.get("action") == "submit",
            )
        except transitions.TransitionError as error:
            form.add_error(None, error.message)
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Your scores are submitted."))
            else:
                messages.success(request, _("Your scores are saved as a draft."))
            return redirect(reverse("judging:score", args=[contest.slug, entry.pk]))
    context.update({"contest": contest, "judge": judge, "submission": entry, "form": form})
    return render(request, "judging/score.html", context)


# --- Staff: ranking, prizes, publication --------------------------------------------------------


@staff_required(may=transitions.may_manage)
def ranking(request, slug):
    contest = queries.contest_for(request.user, slug)
    context = {
        "contest": contest,
        "ranking": queries.ranking(contest),
        "popular": queries.popular(contest),
        "prizes": list(contest.prizes.all()),
        "awards": queries.awards(contest),
    }
    return render(request, "judging/ranking.html", context)


@staff_required(may=transitions.may_manage)
@require_POST
def award(request, slug):
    contest = queries.contest_for(request.user, slug)
    form = AwardForm(request.POST, contest=contest)
    if form.is_valid():
        entry = get_object_or_404(
            Submission.objects.shown(), contest=contest, pk=form.cleaned_data["submission"]
        )
        try:
            transitions.award(entry, form.cleaned_data["prize"], request.user)
        except transitions.TransitionError as error:
            _fail(request, error)
        else:
            messages.success(
                request,
                _("%(prize)s awarded to %(title)s.")
                % {"prize": form.cleaned_data["prize"].name, "title": entry.title},
            )
    else:
        messages.error(request, _("Choose an entry and a prize."))
    return redirect(reverse("judging:ranking", args=[contest.slug]))


@staff_required(may=transitions.may_manage)
@require_POST
def revoke_award(request, slug, award_id):
    contest = queries.contest_for(request.user, slug)
    given = get_object_or_404(
        Award.objects.select_related("prize", "submission"), contest=contest, pk=award_id
    )
    try:
        transitions.revoke_award(given, request.user)
    except transitions.TransitionError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The prize is taken back."))
    return redirect(reverse("judging:ranking", args=[contest.slug]))


STEPS = {
    "open": transitions.open_contest,
    "judging": transitions.start_judging,
    "publish": transitions.publish_results,
}


@staff_required(may=transitions.may_manage)
@require_POST
def advance(request, slug):
    contest = queries.contest_for(request.user, slug)
    step = STEPS.get(request.POST.get("step", ""))
    if step is None:
        raise Http404
    try:
        step(contest, request.user)
    except transitions.TransitionError as error:
        _fail(request, error)
        return redirect(reverse("judging:ranking", args=[contest.slug]))
    messages.success(
        request, _("The contest is now: %(state)s.") % {"state": contest.get_state_display()}
    )
    if contest.results_published:
        return redirect(reverse("judging:results", args=[contest.slug]))
    return redirect(reverse("judging:ranking", args=[contest.slug]))


# --- Results and certificates -------------------------------------------------------------------


def results(request, slug):
    contest = queries.listed_contest(slug)
    preview = not contest.results_published and transitions.may_manage(request.user)
    show = contest.results_published or preview
    context = {
        "contest": contest,
        "preview": preview,
        "awards": queries.awards(contest) if show else [],
        "ranking": queries.ranking(contest) if show else [],
    }
    return render(request, "judging/results.html", context)


def results_export(request, slug, fmt):
    contest = queries.listed_contest(slug)
    if not contest.results_published:
        raise Http404
    records = exports.result_records(
        queries.ranking(contest), lambda path: request.build_absolute_uri(path)
    )
    if fmt == "csv":
        return exports.results_csv(contest, records)
    return exports.results_json(contest, records)


def _certificate(code):
    if not CERTIFICATE_CODE_RE.fullmatch(code):
        raise Http404
    return queries.certificate_for(code)


def certificate(request, code):
    page = queries.certificate_page(code) if CERTIFICATE_CODE_RE.fullmatch(code) else None
    if page is None:
        # A mistyped code gets the page that says so in words, as at the hackathon's address.
        return certificate_pages.not_found(request, code)
    return render(request, page.template, page.context)


def _shown(certificate) -> tuple:
    """Everything the picture shows: a renamed entry, prize or person draws it afresh."""
    award = certificate.award
    return (
        certificate.name,
        certificate.issued_at.isoformat(),
        award.submission.title,
        award.submission.direction.name,
        award.prize.name,
        award.contest.name,
        str(award.contest.edition) if award.contest.edition_id else "",
    )


def certificate_image(request, code):
    certificate = _certificate(code)
    return certificate_pages.png_download(
        request, certificate, render_certificate_png, _shown(certificate)
    )
