"""State transitions of the camp, one function each: check the transition and the actor, save in a
transaction, record history, queue e-mail. Views and commands call these, never save directly."""

import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pfcc.mail import queue_mail

from .models import (
    CampApplication,
    CampEvent,
    Cohort,
    Grade,
    Mentorship,
    Reminder,
    Report,
    ReportEvent,
    ReportPeriod,
    Review,
    meaningful_review_text,
)
from .permissions import is_staff, person_of

REMIND_DAYS_BEFORE_DUE = 2
REMIND_REVIEW_AFTER_DAYS = 3


class CampError(Exception):
    """A refused transition; the message is shown to the user."""


def _email_of(person) -> str:
    user = getattr(person, "user", None) if person is not None and person.user_id else None
    return user.email if user is not None and user.email else ""


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Periods -------------------------------------------------------------------------------


def period_windows(start, end, days: int):
    """(number, start, end) windows of `days` from start; the last one stops at end."""
    windows = []
    number, current = 1, start
    while current <= end:
        window_end = min(current + timedelta(days=days - 1), end)
        windows.append((number, current, window_end))
        number += 1
        current = window_end + timedelta(days=1)
    return windows


@transaction.atomic
def generate_periods(cohort: Cohort) -> list[ReportPeriod]:
    """Create or update the cohort's periods from its dates. Each is due on its last day.
    Periods past the new end are removed when they hold no report."""
    existing = {period.number: period for period in cohort.periods.select_for_update()}
    result = []
    windows = period_windows(cohort.start_date, cohort.end_date, cohort.period_days)
    for number, start, end in windows:
        period = existing.pop(number, None) or ReportPeriod(cohort=cohort, number=number)
        if (period.start_date, period.end_date, period.due_date) != (start, end, end):
            period.start_date, period.end_date, period.due_date = start, end, end
            period.save()
        result.append(period)
    for period in existing.values():
        if period.reports.exists():
            result.append(period)  # keep: reports must not lose their period
        else:
            period.delete()
    return result


def current_period(cohort: Cohort, periods=None, today=None):
    today = today or timezone.localdate()
    periods = periods if periods is not None else cohort.periods.all()
    for period in periods:
        if period.contains(today):
            return period
    return None


# --- Reports -------------------------------------------------------------------------------


def _record(report, user, action, from_status, to_status):
    ReportEvent.objects.create(
        report=report,
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
    )


def mentorship_for(user, cohort) -> Mentorship | None:
    person = person_of(user)
    if person is None:
        return None
    return (
        Mentorship.objects.filter(cohort=cohort, mentee=person)
        .exclude(status=Mentorship.Status.WITHDRAWN)
        .select_related("project", "cohort__edition")
        .first()
    )


@transaction.atomic
def save_report(user, mentorship, period, *, work, questions, next_work, submit=False):
    """Create or edit the mentee's own report for a period; submit it when asked.
    Refused once the report is reviewed (locked)."""
    person = person_of(user)
    if person is None or mentorship.mentee_id != person.pk:
        raise CampError(_("Only the mentee writes this report."))
    if mentorship.status == Mentorship.Status.WITHDRAWN:
        raise CampError(_("This mentorship has ended; no more reports."))
    if mentorship.cohort.status == Cohort.Status.FINISHED:
        raise CampError(_("This cohort has finished; its reports are archived."))
    if period.cohort_id != mentorship.cohort_id:
        raise CampError(_("This period belongs to another cohort."))
    if period.start_date > timezone.localdate():
        raise CampError(_("This period has not started yet."))
    report = Report.objects.select_for_update().filter(mentorship=mentorship, period=period).first()
    created = report is None
    if created:
        report = Report(mentorship=mentorship, period=period)
    elif report.status == Report.Status.REVIEWED:
        raise CampError(_("This report has been reviewed and can no longer be changed."))
    before = report.status
    report.work, report.questions, report.next_work = work, questions, next_work
    if submit:
        if not (work or "").strip():
            raise CampError(_("Describe this period's work before submitting."))
        if report.status == Report.Status.DRAFT:
            report.status = Report.Status.SUBMITTED
            report.submitted_at = timezone.now()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # a second tab created it meanwhile
        raise CampError(_("This report was just created elsewhere; reload the page.")) from error
    if created:
        _record(report, user, "created", "", report.status)
    if before != report.status:
        _record(report, user, "submitted", before if not created else "", report.status)
        _notify_mentors(report)
    elif not created:
        _record(report, user, "edited", before, report.status)
    return report


def submit_report(user, report):
    """Submit an existing draft as it is."""
    return save_report(
        user,
        report.mentorship,
        report.period,
        work=report.work,
        questions=report.questions,
        next_work=report.next_work,
        submit=True,
    )


def _notify_mentors(report):
    mentorship = report.mentorship
    mentors = list(mentorship.mentors.select_related("user"))
    recipients = [_email_of(mentor) for mentor in mentors]
    queue_mail(
        [address for address in recipients if address],
        "camp/email/report_submitted",
        {
            "report": report,
            "mentee": mentorship.mentee,
            "period": report.period,
            "url": _site_url(report.get_absolute_url()),
            "queue_url": _site_url("/camp/reviews/"),
        },
    )


@transaction.atomic
def review_report(user, report, text) -> Review:
    """One of the mentee's own mentors reviews a submitted report; the review locks it."""
    person = person_of(user)
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("mentorship__mentee__user", "period")
        .get(pk=report.pk)
    )
    if person is None or not report.mentorship.mentors.filter(pk=person.pk).exists():
        raise CampError(_("Only the mentee's own mentors review this report."))
    if report.status == Report.Status.REVIEWED:
        raise CampError(_("This report has already been reviewed."))
    if report.status != Report.Status.SUBMITTED:
        raise CampError(_("Only a submitted report can be reviewed."))
    text = meaningful_review_text(text)
    if not text:
        raise CampError(
            _(
                "Write a real review: “请联系导师填写”, “none” or an empty text does not count "
                "as a review."
            )
        )
    review = Review.objects.create(report=report, mentor=person, text=text)
    report.status = Report.Status.REVIEWED
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_at", "updated_at"])
    _record(report, user, "reviewed", Report.Status.SUBMITTED, Report.Status.REVIEWED)
    queue_mail(
        _email_of(report.mentorship.mentee),
        "camp/email/report_reviewed",
        {
            "report": report,
            "review": review,
            "mentor": person,
            "period": report.period,
            "url": _site_url(report.get_absolute_url()),
        },
    )
    return review


# --- Applications and mentorships -----------------------------------------------------------


@transaction.atomic
def apply(user, cohort, *, first_choice, other_choices, accepts_reassignment, statement, resume):
    person = person_of(user)
    if person is None:
        raise CampError(_("Link your GitHub account to your profile before applying."))
    if not cohort.accepts_applications:
        raise CampError(_("This cohort does not accept applications now."))
    if CampApplication.objects.filter(cohort=cohort, applicant=person).exists():
        raise CampError(_("You have already applied to this cohort."))
    application = CampApplication(
        cohort=cohort,
        applicant=person,
        user=user,
        first_choice=first_choice,
        accepts_reassignment=accepts_reassignment,
        statement=statement,
    )
    if resume:
        application.resume.save("resume.pdf", resume, save=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        # A double click or a second tab: the other request made the application.
        if application.resume:
            application.resume.delete(save=False)
        raise CampError(_("You have already applied to this cohort.")) from error
    application.other_choices.set([p for p in other_choices if p.pk != first_choice.pk])
    CampEvent.objects.create(cohort=cohort, actor=user, action="applied", subject=str(application))
    queue_mail(
        user.email,
        "camp/email/application_received",
        {"application": application, "cohort": cohort},
    )
    return application


@transaction.atomic
def lock_mentee(actor, application, project, mentors) -> Mentorship:
    """锁定营员: staff enrol an applicant on a project with one or two mentors."""
    if not is_staff(actor):
        raise CampError(_("Only staff lock mentees onto projects."))
    application = CampApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in (CampApplication.Status.SUBMITTED,):
        raise CampError(_("Only a submitted application can be locked."))
    if project.cohort_id != application.cohort_id:
        raise CampError(_("The project belongs to another cohort."))
    mentors = list(mentors)
    if not 1 <= len(mentors) <= 2:
        raise CampError(_("A mentee has one or two mentors."))
    if application.applicant_id in {mentor.pk for mentor in mentors}:
        raise CampError(_("A mentee cannot be their own mentor."))
    if Mentorship.objects.filter(
        cohort_id=application.cohort_id, mentee_id=application.applicant_id
    ).exists():
        raise CampError(_("This person is already a mentee of the cohort."))
    mentorship = Mentorship.objects.create(project=project, mentee=application.applicant)
    mentorship.mentors.set(mentors)
    project.mentors.add(*mentors)
    application.status = CampApplication.Status.LOCKED
    application.locked_project = project
    application.save(update_fields=["status", "locked_project", "updated_at"])
    CampEvent.objects.create(
        cohort_id=application.cohort_id,
        actor=actor,
        action="locked",
        subject=str(mentorship),
        detail=", ".join(mentor.github for mentor in mentors),
    )
    queue_mail(
        _email_of(application.applicant) or (application.user.email if application.user else ""),
        "camp/email/mentee_locked",
        {"mentorship": mentorship, "project": project, "mentors": mentors},
    )
    return mentorship


@transaction.atomic
def reject_application(actor, application):
    if not is_staff(actor):
        raise CampError(_("Only staff decide on applications."))
    application = CampApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != CampApplication.Status.SUBMITTED:
        raise CampError(_("Only a submitted application can be declined."))
    application.status = CampApplication.Status.REJECTED
    application.save(update_fields=["status", "updated_at"])
    CampEvent.objects.create(
        cohort_id=application.cohort_id, actor=actor, action="rejected", subject=str(application)
    )
    return application


@transaction.atomic
def record_grade(actor, mentorship, level, months=3, defense_date=None, comment="") -> Grade:
    """Staff record the defense grade; the reward follows from it."""
    if not is_staff(actor):
        raise CampError(_("Only staff record grades."))
    if level not in Grade.Level.values:
        raise CampError(_("Unknown grade."))
    grade, _created = Grade.objects.update_or_create(
        mentorship=mentorship,
        defaults={
            "level": level,
            "months": months,
            "defense_date": defense_date,
            "comment": comment,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    if mentorship.status == Mentorship.Status.ACTIVE:
        mentorship.status = Mentorship.Status.COMPLETED
        mentorship.save(update_fields=["status"])
    CampEvent.objects.create(
        cohort_id=mentorship.cohort_id,
        actor=actor,
        action="graded",
        subject=str(mentorship),
        detail=f"{level} ({months})",
    )
    return grade


# --- Pages: data assembled in a fixed number of queries ---------------------------------------


CELL_LABELS = {
    "upcoming": pgettext_lazy("camp", "upcoming"),
    "missing": gettext_lazy("missing"),
    "draft": gettext_lazy("draft"),
    "submitted": gettext_lazy("submitted"),
    "late": gettext_lazy("late"),
    "reviewed": gettext_lazy("reviewed"),
}
CELL_STATES = ["missing", "draft", "submitted", "late", "reviewed"]


@dataclasses.dataclass
class Cell:
    state: str  # upcoming, missing, draft, submitted, late, reviewed
    report_id: int | None = None
    late: bool = False

    @property
    def label(self):
        return CELL_LABELS[self.state]


def cell_state(report, period, today) -> Cell:
    if report is None:
        return Cell("upcoming" if period.start_date > today else "missing")
    late = bool(
        report["submitted_at"] and timezone.localdate(report["submitted_at"]) > period.due_date
    )
    if report["status"] == Report.Status.REVIEWED:
        return Cell("reviewed", report["pk"], late)
    if report["status"] == Report.Status.SUBMITTED:
        return Cell("late" if late else "submitted", report["pk"], late)
    return Cell("draft", report["pk"])


def checklist(cohort, today=None):
    """Mentees × periods for the TA checklist: four queries whatever the size."""
    today = today or timezone.localdate()
    periods = list(cohort.periods.all())
    mentorships = list(
        cohort.mentorships.select_related("mentee", "project")
        .prefetch_related("mentors")
        .order_by("project__number", "mentee__github")
    )
    reports = {
        (row["mentorship_id"], row["period_id"]): row
        for row in Report.objects.filter(mentorship__cohort=cohort).values(
            "pk", "mentorship_id", "period_id", "status", "submitted_at"
        )
    }
    rows = []
    counts = {period.pk: dict.fromkeys(CELL_STATES, 0) for period in periods}
    for mentorship in mentorships:
        cells = []
        for period in periods:
            cell = cell_state(reports.get((mentorship.pk, period.pk)), period, today)
            if cell.state in counts[period.pk]:
                counts[period.pk][cell.state] += 1
            cells.append(cell)
        rows.append({"mentorship": mentorship, "cells": cells})
    columns = [
        {"period": period, "counts": [counts[period.pk][state] for state in CELL_STATES]}
        for period in periods
    ]
    states = [{"state": state, "label": CELL_LABELS[state]} for state in CELL_STATES]
    totals = [
        {"label": CELL_LABELS[state], "counts": [counts[p.pk][state] for p in periods]}
        for state in CELL_STATES
    ]
    return {
        "periods": periods,
        "columns": columns,
        "rows": rows,
        "states": states,
        "totals": totals,
    }


def review_queue(person):
    """Submitted reports of the person's mentees awaiting review, oldest first."""
    if person is None:
        return []
    return list(
        Report.objects.awaiting_review_by(person).select_related(
            "mentorship__mentee", "mentorship__project", "mentorship__cohort__edition", "period"
        )
    )


def mentor_overview(person):
    """The mentor's mentees with every report so far (their history), three queries."""
    if person is None:
        return []
    return list(
        Mentorship.objects.filter(mentors=person)
        .select_related("mentee", "project", "cohort__edition")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("period").order_by("period__number"),
            )
        )
        .order_by("-cohort__start_date", "project__number", "mentee__github")
    )


def my_camp(person, today=None):
    """For /camp/me/: each of the person's mentorships with its periods and reports."""
    today = today or timezone.localdate()
    if person is None:
        return []
    mentorships = list(
        Mentorship.objects.filter(mentee=person)
        .select_related("project", "cohort__edition")
        .prefetch_related(
            "mentors",
            Prefetch("cohort__periods", queryset=ReportPeriod.objects.order_by("number")),
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("review__mentor").order_by("period__number"),
            ),
        )
        .order_by("-cohort__start_date")
    )
    result = []
    for mentorship in mentorships:
        by_period = {report.period_id: report for report in mentorship.reports.all()}
        periods = list(mentorship.cohort.periods.all())
        current = current_period(mentorship.cohort, periods, today)
        entries = []
        for period in periods:
            report = by_period.get(period.pk)
            if report is not None:
                report.period = period  # is_late reads it: not one query per report
            entries.append(
                {
                    "period": period,
                    "report": report,
                    "started": period.start_date <= today,
                    "overdue": period.due_date < today
                    and (report is None or report.status == Report.Status.DRAFT),
                    "can_write": period.start_date <= today
                    and mentorship.status != Mentorship.Status.WITHDRAWN
                    and mentorship.cohort.status != Cohort.Status.FINISHED
                    and (report is None or report.status != Report.Status.REVIEWED),
                }
            )
        due = [
            entry
            for entry in entries
            if entry["can_write"]
            and (entry["report"] is None or entry["report"].status == Report.Status.DRAFT)
        ]
        result.append(
            {
                "mentorship": mentorship,
                "current": current,
                "entries": list(reversed(entries)),
                "due": due,
            }
        )
    return result


def period_summary(cohort, period):
    """周报摘要: every mentee of the cohort with this period's report (or none)."""
    mentorships = list(
        cohort.mentorships.exclude(status=Mentorship.Status.WITHDRAWN)
        .select_related("mentee", "project")
        .prefetch_related("mentors")
        .order_by("project__number", "mentee__github")
    )
    reports = {
        report.mentorship_id: report
        for report in Report.objects.filter(period=period)
        .exclude(status=Report.Status.DRAFT)
        .select_related("review__mentor")
    }
    return [(mentorship, reports.get(mentorship.pk)) for mentorship in mentorships]


@dataclasses.dataclass
class PlannedReminder:
    person: object
    email: str
    kind: str
    periods: list
    reports: list = dataclasses.field(default_factory=list)
    cohort: object = None

    def describe(self) -> str:
        label = Reminder.Kind(self.kind).label
        periods = ", ".join(period.label for period in self.periods)
        address = self.email or _("no e-mail address")
        return f"{label}: @{self.person.github} <{address}> — {self.cohort} {periods}"


def plan_reminders(today=None, cohort=None) -> list[PlannedReminder]:
    """Who would get which reminder now. Mentees with a report due within two days or
    overdue; mentors with reports waiting more than three days. Already sent ones are left out."""
    today = today or timezone.localdate()
    cohorts = Cohort.objects.filter(status=Cohort.Status.RUNNING)
    if cohort is not None:
        cohorts = cohorts.filter(pk=cohort.pk)
    periods = list(
        ReportPeriod.objects.filter(
            cohort__in=cohorts,
            start_date__lte=today,
            due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE_DUE),
        ).select_related("cohort__edition")
    )
    sent = set(
        Reminder.objects.filter(period__cohort__in=cohorts).values_list(
            "period_id", "person_id", "kind"
        )
    )
    plan: list[PlannedReminder] = []
    if periods:
        mentorships = list(
            Mentorship.objects.filter(
                cohort__in=cohorts, status=Mentorship.Status.ACTIVE
            ).select_related("mentee__user")
        )
        done = set(
            Report.objects.filter(period__in=periods)
            .exclude(status=Report.Status.DRAFT)
            .values_list("mentorship_id", "period_id")
        )
        for period in sorted(periods, key=lambda p: (p.cohort_id, p.number)):
            kind = (
                Reminder.Kind.REPORT_DUE
                if period.due_date >= today
                else Reminder.Kind.REPORT_OVERDUE
            )
            for mentorship in mentorships:
                if mentorship.cohort_id != period.cohort_id:
                    continue
                if timezone.localdate(mentorship.locked_at) > period.end_date:
                    continue  # enrolled after this period
                if (mentorship.pk, period.pk) in done:
                    continue
                if (period.pk, mentorship.mentee_id, kind) in sent:
                    continue
                plan.append(
                    PlannedReminder(
                        person=mentorship.mentee,
                        email=_email_of(mentorship.mentee),
                        kind=kind,
                        periods=[period],
                        cohort=period.cohort,
                    )
                )
    waiting = (
        Report.objects.filter(
            mentorship__cohort__in=cohorts,
            status=Report.Status.SUBMITTED,
            submitted_at__lt=timezone.now() - timedelta(days=REMIND_REVIEW_AFTER_DAYS),
        )
        .select_related("mentorship__mentee", "mentorship__cohort__edition", "period")
        .prefetch_related("mentorship__mentors__user")
        .order_by("submitted_at")
    )
    by_mentor: dict[int, PlannedReminder] = {}
    for report in waiting:
        for mentor in report.mentorship.mentors.all():
            if (report.period_id, mentor.pk, Reminder.Kind.REVIEWS_WAITING) in sent:
                continue
            item = by_mentor.get(mentor.pk)
            if item is None:
                item = by_mentor[mentor.pk] = PlannedReminder(
                    person=mentor,
                    email=_email_of(mentor),
                    kind=Reminder.Kind.REVIEWS_WAITING,
                    periods=[],
                    cohort=report.mentorship.cohort,
                )
            if report.period not in item.periods:
                item.periods.append(report.period)
            item.reports.append(report)
    plan.extend(by_mentor.values())
    return plan


def send_reminders(plan: list[PlannedReminder]) -> tuple[int, int]:
    """Queue the planned e-mails and record them so nobody gets the same one twice.
    Returns (sent, skipped: no e-mail address or already sent meanwhile)."""
    sent = skipped = 0
    for item in plan:
        if not item.email:
            skipped += 1
            continue
        with transaction.atomic():
            created = []
            for period in item.periods:
                _reminder, new = Reminder.objects.get_or_create(
                    period=period, person=item.person, kind=item.kind
                )
                if new:
                    created.append(period)
            if not created:
                skipped += 1
                continue
            queue_mail(
                item.email,
                f"camp/email/reminder_{item.kind}",
                {
                    "person": item.person,
                    "periods": created,
                    "reports": [r for r in item.reports if r.period in created],
                    "cohort": item.cohort,
                    "me_url": _site_url("/camp/me/"),
                    "queue_url": _site_url("/camp/reviews/"),
                },
            )
            sent += 1
    return sent, skipped


# --- Person and home sections -----------------------------------------------------------------


def person_camp_history(person, request=None):
    mentorships = list(
        Mentorship.objects.filter(mentee=person)
        .select_related("project", "cohort__edition", "grade")
        .prefetch_related("mentors")
        .order_by("-cohort__start_date")
    )
    mentored = list(
        Mentorship.objects.filter(mentors=person)
        .select_related("project", "cohort__edition", "mentee")
        .order_by("-cohort__start_date", "project__number")
    )
    if not mentorships and not mentored:
        return None
    return {"camp_mentorships": mentorships, "camp_mentored": mentored}


def home_camp_section(request):
    cohort = Cohort.objects.current()
    if cohort is None:
        return None
    today = timezone.localdate()
    period = cohort.periods.filter(start_date__lte=today, end_date__gte=today).first()
    return {"camp_cohort": cohort, "camp_period": period}
