"""Reminders: mentees with a report due, mentors with reviews waiting. `plan_reminders` says
who would get what (staff see it before anything is sent); `send_reminders` queues the e-mails
and records them so that nobody gets the same reminder twice."""

import dataclasses
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.site import absolute_url
from pfcc.mail import queue_mail

from .models import Cohort, Mentorship, Reminder, Report, ReportPeriod
from .periods import cell_for

REMIND_DAYS_BEFORE_DUE = 2
REMIND_REVIEW_AFTER_DAYS = 3


def _email_of(person) -> str:
    user = person.user if person is not None and person.user_id else None
    return user.email if user is not None and user.email else ""


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
        if not self.email:
            return f"{label}: @{self.person.github} — {self.cohort} {periods}"
        return f"{label}: @{self.person.github} <{self.email}> — {self.cohort} {periods}"

    @property
    def has_account(self) -> bool:
        return self.person.user_id is not None


def split_plan(plan):
    """(to send, cannot be e-mailed): people without an address are never listed as sent."""
    return [item for item in plan if item.email], [item for item in plan if not item.email]


def plan_reminders(today=None, cohort=None) -> list[PlannedReminder]:
    """Who would get which reminder now. Mentees with a report due within two days or
    overdue; mentors with reports waiting more than three days. Already sent ones are left out."""
    today = today or timezone.localdate()
    cohorts = Cohort.objects.filter(state=Cohort.State.RUNNING)
    if cohort is not None:
        cohorts = cohorts.filter(pk=cohort.pk)
    periods = list(
        ReportPeriod.objects.filter(
            cohort__in=cohorts,
            start_date__lte=today,
            due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE_DUE),
        ).select_related("cohort__edition", "cohort__programme")
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
                cohort__in=cohorts, state=Mentorship.State.ACTIVE
            ).select_related("mentee__user")
        )
        reports_of: dict[int, list] = {}
        for row in Report.objects.filter(mentorship__in=mentorships).values(
            "pk", "mentorship_id", "state", "start_date", "end_date", "submitted_at"
        ):
            reports_of.setdefault(row["mentorship_id"], []).append(row)
        for period in sorted(periods, key=lambda p: (p.cohort_id, p.number)):
            kind = (
                Reminder.Kind.REPORT_DUE
                if period.due_date >= today
                else Reminder.Kind.REPORT_OVERDUE
            )
            for mentorship in mentorships:
                if mentorship.cohort_id != period.cohort_id:
                    continue
                # The one rule for what is due (periods.cell_for): not before they joined, and a
                # report whose dates overlap the period counts for it.
                cell = cell_for(mentorship, period, reports_of.get(mentorship.pk, []), today)
                if cell.state not in {"due_soon", "missing", "draft", "not_due"}:
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
            state=Report.State.SUBMITTED,
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
            skipped += 1  # never recorded as sent: still listed, with what the TA can do
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
                    "me_url": absolute_url(reverse("camp:my_camp")),
                    "queue_url": absolute_url(reverse("camp:reviews")),
                },
            )
            sent += 1
    return sent, skipped
