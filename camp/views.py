from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.csvsafe import csv_response
from common.markdown import render_markdown
from common.mdsafe import safe_markdown
from common.ratelimit import rate_limited
from common.staff import staff_required
from common.usercache import per_user_cache
from hackathon.models import PullRequestStatus
from pfcc.models import Person

from . import queries, transitions
from . import reminders as camp_reminders
from .forms import ApplicationForm, CommentForm, LockForm, ReportForm, ReviewForm
from .models import CampApplication, Cohort, Mentorship, Project, Report, ReportPeriod
from .periods import current_period
from .permissions import can_see_cohort_reports, is_staff, person_of, report_role
from .transitions import TransitionError


def _cohort_or_404(request, slug, queryset=None):
    cohort = get_object_or_404(
        (queryset or Cohort.objects).select_related("edition", "programme"), slug=slug
    )
    if cohort.state == Cohort.State.DRAFT and not is_staff(request.user):
        raise Http404
    return cohort


def index(request):
    cohorts = Cohort.objects.select_related("edition", "programme").annotate(
        project_count=Count("projects", distinct=True),
        mentee_count=Count(
            "mentorships",
            filter=~Q(mentorships__state=Mentorship.State.WITHDRAWN),
            distinct=True,
        ),
    )
    if not is_staff(request.user):
        cohorts = cohorts.visible()
    return render(request, "camp/index.html", {"cohorts": cohorts})


def cohort_detail(request, cohort):
    cohort = _cohort_or_404(request, cohort)
    mentorships = Mentorship.objects.exclude(state=Mentorship.State.WITHDRAWN).select_related(
        "mentee"
    )
    projects = cohort.projects.prefetch_related(
        "mentors", Prefetch("mentorships", queryset=mentorships, to_attr="enrolled")
    ).order_by("number")
    periods = list(cohort.periods.all())
    context = {
        "cohort": cohort,
        "projects": projects,
        "periods": periods,
        "current_period": current_period(cohort, periods),
        "tech_talks": cohort.tech_talks.select_related("speaker", "event"),
        "can_see_reports": can_see_cohort_reports(request.user, cohort),
        "is_staff": is_staff(request.user),
    }
    return render(request, "camp/cohort_detail.html", context)


def project_detail(request, cohort, number):
    cohort = _cohort_or_404(request, cohort)
    project = get_object_or_404(
        Project.objects.prefetch_related(
            "mentors",
            Prefetch(
                "mentorships",
                queryset=Mentorship.objects.exclude(state=Mentorship.State.WITHDRAWN)
                .select_related("mentee")
                .prefetch_related("mentors"),
                to_attr="enrolled",
            ),
        ),
        cohort=cohort,
        number=number,
    )
    return render(request, "camp/project_detail.html", {"cohort": cohort, "project": project})


@rate_limited("camp.apply")
@login_required
@require_http_methods(["GET", "POST"])
def apply(request, cohort):
    cohort = _cohort_or_404(request, cohort)
    person = person_of(request.user)
    existing = (
        CampApplication.objects.filter(cohort=cohort, applicant=person).first() if person else None
    )
    if existing is not None:
        return redirect("camp:application", pk=existing.pk)
    form = None
    if cohort.accepts_applications and person is not None:
        form = ApplicationForm(request.POST or None, request.FILES or None, cohort=cohort)
        if request.method == "POST" and form.is_valid():
            try:
                application = transitions.apply(cohort, request.user, **form.application_fields())
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your application has been received."))
                return redirect("camp:application", pk=application.pk)
    context = {"cohort": cohort, "form": form, "person": person}
    return render(request, "camp/apply.html", context)


def _own_application(request, pk):
    application = get_object_or_404(
        CampApplication.objects.select_related(
            "cohort__edition", "cohort__programme", "applicant", "first_choice", "locked_project"
        ).prefetch_related("other_choices"),
        pk=pk,
    )
    if application.user_id != request.user.pk and not is_staff(request.user):
        raise PermissionDenied
    return application


@login_required
def application_detail(request, pk):
    """The applicant follows their application: its state, choices and history."""
    application = _own_application(request, pk)
    can_change = (
        application.state == CampApplication.State.SUBMITTED
        and application.user_id == request.user.pk
    )
    context = {
        "application": application,
        "cohort": application.cohort,
        "can_edit": can_change and application.cohort.accepts_applications,
        "can_withdraw": can_change,
        "events": application.events.select_related("actor"),
    }
    return render(request, "camp/application_detail.html", context)


@rate_limited("camp.apply")
@login_required
@require_http_methods(["GET", "POST"])
def edit_application(request, pk):
    application = _own_application(request, pk)
    if application.user_id != request.user.pk:
        raise PermissionDenied
    if not (
        application.state == CampApplication.State.SUBMITTED
        and application.cohort.accepts_applications
    ):
        messages.info(request, _("This application can no longer be changed."))
        return redirect("camp:application", pk=application.pk)
    initial = {
        "first_choice": application.first_choice,
        "other_choices": list(application.other_choices.all()),
        "no_reassignment": not application.accepts_reassignment,
        "statement": application.statement,
    }
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        cohort=application.cohort,
        initial=initial,
        resume_required=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            transitions.edit_application(application, request.user, **form.application_fields())
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your application has been updated."))
            return redirect("camp:application", pk=application.pk)
    context = {"application": application, "cohort": application.cohort, "form": form}
    return render(request, "camp/application_form.html", context)


@require_POST
@login_required
def withdraw_application(request, pk):
    application = _own_application(request, pk)
    try:
        transitions.withdraw_application(application, request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("camp:application", pk=application.pk)


@staff_required
def resume(request, pk):
    if not is_staff(request.user):
        raise PermissionDenied
    application = get_object_or_404(CampApplication.objects.select_related("applicant"), pk=pk)
    if not application.resume:
        raise Http404
    try:
        handle = application.resume.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"resume-{application.applicant.github}.pdf",
        content_type="application/pdf",
    )


@login_required
@per_user_cache
def my_camp(request):
    person = person_of(request.user)
    return render(
        request,
        "camp/me.html",
        {
            "person": person,
            "camps": queries.my_camp(person),
            "applications": queries.my_applications(request.user),
        },
    )


@rate_limited("camp.report")
@login_required
@require_http_methods(["GET", "POST"])
def write_report(request, period):
    period = get_object_or_404(
        ReportPeriod.objects.select_related("cohort__edition", "cohort__programme"), pk=period
    )
    mentorship = queries.mentorship_for(request.user, period.cohort)
    if mentorship is None:
        raise PermissionDenied
    if period.cohort.state == Cohort.State.FINISHED:
        messages.info(request, _("This cohort has finished; its reports are archived."))
        return redirect("camp:my_camp")
    # Which report: ?report=<pk> (one of the mentee's own), ?new=1 (another report in this
    # period, e.g. weekly reports in a biweekly camp), else the period's first one.
    own = Report.objects.filter(mentorship=mentorship)
    wanted = request.GET.get("report", "")
    if wanted.isdigit() and len(wanted) < 19:
        report = get_object_or_404(own, pk=int(wanted))
    elif request.GET.get("new"):
        report = None
    else:
        report = own.filter(period=period).order_by("start_date", "pk").first()
    if report is not None and report.is_locked:
        messages.info(request, _("This report has been reviewed and can no longer be changed."))
        return redirect(report)
    if report is not None:
        initial = {
            "start_date": report.start_date,
            "end_date": report.end_date,
            "work": report.work,
            "questions": report.questions,
            "next_work": report.next_work,
        }
    else:
        initial = {"start_date": period.start_date, "end_date": period.end_date}
    form = ReportForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "save")
        if action == "preview":
            preview = {
                "work": render_markdown(data["work"]).html,
                "questions": render_markdown(data["questions"]).html,
                "next_work": render_markdown(data["next_work"]).html,
            }
        else:
            try:
                report = transitions.save_report(
                    mentorship,
                    period,
                    request.user,
                    submit=action == "submit",
                    report=report,
                    **data,
                )
            except TransitionError as error:
                form.add_error(None, str(error))
            else:
                if report.state == Report.State.DRAFT:
                    messages.success(request, _("Draft saved."))
                    return redirect(
                        f"{reverse('camp:write', kwargs={'period': period.pk})}?report={report.pk}"
                    )
                messages.success(
                    request,
                    _("Report submitted; your mentors have been told.")
                    if action == "submit"
                    else _("Report saved."),
                )
                return redirect(report)
    context = {
        "form": form,
        "period": period,
        "cohort": period.cohort,
        "mentorship": mentorship,
        "report": report,
        "preview": preview,
    }
    return render(request, "camp/report_form.html", context)


def _report_for_viewer(request, pk):
    report = get_object_or_404(
        Report.objects.select_related(
            "mentorship__mentee",
            "mentorship__project",
            "mentorship__cohort__edition",
            "period",
            "review__mentor",
        ).prefetch_related("mentorship__mentors"),
        pk=pk,
    )
    mentor_ids = {mentor.pk for mentor in report.mentorship.mentors.all()}
    role = report_role(request.user, report, mentor_ids)
    if role is None and request.user.is_authenticated:
        raise PermissionDenied
    return report, role  # role None: an anonymous visitor who must sign in first


# Not login_required: a public cohort's reports are read by anyone, as they were in the public
# Camp repository; a private one sends an anonymous visitor to sign in (report_role decides).
@rate_limited("camp.review")
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    report, role = _report_for_viewer(request, pk)
    if role is None:
        return redirect_to_login(request.get_full_path())
    state = report.state
    is_mentor, is_mentee = role == "mentor", role == "mentee"
    review = getattr(report, "review", None) if report.is_locked else None
    comments = list(report.comments.select_related("author"))
    # Which forms this viewer gets, by the action each one posts.
    allowed = {
        "review": is_mentor and state == Report.State.SUBMITTED,
        "changes": is_mentor and state == Report.State.SUBMITTED,
        "edit_review": is_mentor and review is not None,
        "reply": is_mentee and (review is not None or bool(comments)),
    }
    action = request.POST.get("action", "review") if request.method == "POST" else None
    forms = {
        "review_form": ReviewForm(request.POST if action == "review" else None),
        "changes_form": CommentForm(
            request.POST if action == "changes" else None, prefix="changes"
        ),
        "edit_review_form": ReviewForm(
            request.POST if action == "edit_review" else None,
            prefix="edit",
            initial={"text": review.text if review else ""},
        ),
        "reply_form": CommentForm(request.POST if action == "reply" else None, prefix="reply"),
    }
    if action is not None:
        if not allowed.get(action):
            raise PermissionDenied
        form = forms[
            {"changes": "changes_form", "reply": "reply_form"}.get(action, f"{action}_form")
        ]
        if form.is_valid():
            text = form.cleaned_data["text"]
            done = {
                "review": (transitions.review_report, _("Review saved; the report is now locked.")),
                "changes": (
                    transitions.request_changes,
                    _("The report went back to the mentee for changes; they have been told."),
                ),
                "edit_review": (
                    transitions.edit_review,
                    _("Review corrected; the earlier text is kept in its history."),
                ),
                "reply": (transitions.reply, _("Reply sent; your mentors have been told.")),
            }[action]
            try:
                done[0](report, request.user, text)
            except TransitionError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, done[1])
                return redirect(report)
    context = {
        "report": report,
        "role": role,
        "can_edit": is_mentee and state in transitions.EDITABLE_REPORT_STATES,
        "can_withdraw": is_mentee and state == Report.State.SUBMITTED,
        "review": review,
        "revisions": review.revisions.all() if review else [],
        "comments": comments,
        "allowed": allowed,
        **forms,
        "events": report.events.select_related("actor"),
        "attachments": report.attachments.all(),
        # Each recognised PR link with its state as last heard from GitHub (one query).
        "pull_requests": PullRequestStatus.objects.for_links(report.pr_links),
    }
    return render(request, "camp/report_detail.html", context)


def report_export(request, pk):
    report, role = _report_for_viewer(request, pk)
    if role is None:
        return redirect_to_login(request.get_full_path())
    text = safe_markdown(
        render_to_string(
            "camp/export/report.md",
            {"report": report, "review": getattr(report, "review", None)},
        )
    )
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    filename = f"[WeeklyReport]{report.period.label}.md"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(value):
    from urllib.parse import quote

    return quote(value)


@login_required
@per_user_cache
def review_queue(request):
    person = person_of(request.user)
    return render(
        request,
        "camp/review_queue.html",
        {
            "reports": queries.review_queue(person),
            "mentees": queries.mentor_overview(person),
            "person": person,
            "now": timezone.now(),
        },
    )


def _cohort_for_ta(request, slug):
    if not request.user.is_authenticated:
        return None
    cohort = _cohort_or_404(request, slug)
    if not can_see_cohort_reports(request.user, cohort):
        raise PermissionDenied
    return cohort


@login_required
@per_user_cache
def checklist(request, cohort):
    cohort = _cohort_for_ta(request, cohort)
    data = queries.checklist(cohort)
    return render(request, "camp/checklist.html", {"cohort": cohort, **data})


@login_required
def period_summary(request, cohort, number):
    cohort = _cohort_for_ta(request, cohort)
    period = get_object_or_404(ReportPeriod, cohort=cohort, number=number)
    text = safe_markdown(
        render_to_string(
            "camp/export/summary.md",
            {"cohort": cohort, "period": period, "rows": queries.period_summary(cohort, period)},
        )
    )
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


@staff_required
def grades_csv(request, cohort):
    cohort = _cohort_or_404(request, cohort)
    if not is_staff(request.user):
        raise PermissionDenied
    mentorships = (
        cohort.mentorships.select_related("mentee", "project", "grade")
        .prefetch_related("mentors")
        .order_by("project__number", "mentee__github")
    )
    counts = queries.due_counts(cohort)
    rows = []
    for mentorship in mentorships:
        due = counts[mentorship.pk]
        grade = getattr(mentorship, "grade", None)
        if grade is not None:
            grade.mentorship = mentorship
            mentorship.cohort = cohort
        rows.append(
            [
                mentorship.project.number,
                mentorship.mentee.github,
                mentorship.mentee.name,
                " ".join(mentor.github for mentor in mentorship.mentors.all()),
                grade.level if grade else "",
                grade.stars if grade else "",
                grade.months if grade else "",
                grade.reward if grade else "",
                due["due"],
                due["submitted"],
                due["missing"],
            ]
        )
    return csv_response(
        f"camp-{cohort.slug}-grades.csv",
        [
            "project",
            "github",
            "name",
            "mentors",
            "grade",
            "stars",
            "months",
            "reward",
            "reports_due",
            "reports_submitted",
            "reports_missing",
        ],  # fmt: skip
        rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request, cohort):
    cohort = _cohort_for_ta(request, cohort)
    plan = camp_reminders.plan_reminders(cohort=cohort)
    sendable, unreachable = camp_reminders.split_plan(plan)
    if request.method == "POST":
        sent, already = camp_reminders.send_reminders(sendable)
        messages.success(request, _("%(sent)s reminders queued.") % {"sent": sent})
        if already:
            messages.info(
                request,
                _("%(count)s were sent meanwhile by someone else and not sent again.")
                % {"count": already},
            )
        if unreachable:
            messages.warning(
                request,
                _(
                    "%(count)s people have no e-mail address here and got nothing; they are "
                    "listed on this page with what you can do."
                )
                % {"count": len(unreachable)},
            )
        return redirect("camp:reminders", cohort=cohort.slug)
    context = {"cohort": cohort, "plan": sendable, "unreachable": unreachable}
    return render(request, "camp/reminders.html", context)


@rate_limited("camp.report")
@require_POST
@login_required
def submit_draft(request, pk):
    report = get_object_or_404(Report.objects.select_related("mentorship", "period"), pk=pk)
    try:
        transitions.submit_report(report, request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Report submitted; your mentors have been told."))
    return redirect("camp:my_camp")


@rate_limited("camp.report")
@require_POST
@login_required
def withdraw_report(request, pk):
    """The mentee takes a submitted report back (a draft again) before it is reviewed."""
    report = get_object_or_404(Report.objects.select_related("mentorship", "period"), pk=pk)
    try:
        transitions.withdraw_report(report, request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Report withdrawn: it is a draft again, and your mentors have been told.")
        )
    return redirect(report)


@staff_required
def applications(request, cohort):
    """Staff: every application of the cohort, locked (锁定营员) or declined from here."""
    cohort = _cohort_or_404(request, cohort)
    if not is_staff(request.user):
        raise PermissionDenied
    projects = list(cohort.projects.prefetch_related("mentors").order_by("number"))
    mentors = list(
        # this cohort's mentors and everyone who mentored before
        Person.objects.filter(camp_projects_mentored__isnull=False).distinct().order_by("github")
    )
    rows = []
    for application in (
        cohort.applications.select_related("applicant", "first_choice", "locked_project")
        .prefetch_related("other_choices")
        .order_by("state", "created_at")
    ):
        first = next((p for p in projects if p.pk == application.first_choice_id), None)
        suggested = {mentor.pk for mentor in first.mentors.all()} if first else set()
        rows.append(
            {
                "application": application,
                "projects": [
                    {"project": p, "selected": p.pk == application.first_choice_id}
                    for p in projects
                ],
                "mentors": [{"person": m, "selected": m.pk in suggested} for m in mentors],
            }
        )
    return render(request, "camp/applications.html", {"cohort": cohort, "rows": rows})


@require_POST
@staff_required
def lock_application(request, pk):
    if not is_staff(request.user):
        raise PermissionDenied
    application = get_object_or_404(CampApplication.objects.select_related("cohort"), pk=pk)
    form = LockForm(request.POST, cohort=application.cohort)
    if form.is_valid():
        try:
            transitions.lock_mentee(
                application,
                request.user,
                form.cleaned_data["project"],
                form.cleaned_data["mentors"],
            )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(person)s is now a mentee.") % {"person": application.applicant}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{application.applicant}: {error}")
    return redirect("camp:applications", cohort=application.cohort.slug)


@require_POST
@staff_required
def decline_application(request, pk):
    if not is_staff(request.user):
        raise PermissionDenied
    application = get_object_or_404(CampApplication.objects.select_related("cohort"), pk=pk)
    try:
        transitions.reject_application(application, request.user)
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("camp:applications", cohort=application.cohort.slug)
