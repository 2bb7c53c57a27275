"""Reads for the camp's pages, each in a fixed number of queries whatever the data size."""

import dataclasses

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import CampApplication, Cohort, Mentorship, Report, ReportPeriod
from .periods import current_period
from .permissions import person_of


def mentorship_for(user, cohort) -> Mentorship | None:
    person = person_of(user)
    if person is None:
        return None
    return (
        Mentorship.objects.filter(cohort=cohort, mentee=person)
        .exclude(state=Mentorship.State.WITHDRAWN)
        .select_related("project", "cohort__edition")
        .first()
    )


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
    if report["state"] == Report.State.REVIEWED:
        return Cell("reviewed", report["pk"], late)
    if report["state"] == Report.State.SUBMITTED:
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
            "pk", "mentorship_id", "period_id", "state", "submitted_at"
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
                    and (report is None or report.state == Report.State.DRAFT),
                    "can_write": period.start_date <= today
                    and mentorship.state != Mentorship.State.WITHDRAWN
                    and mentorship.cohort.state != Cohort.State.FINISHED
                    and (report is None or report.state != Report.State.REVIEWED),
                }
            )
        due = [
            entry
            for entry in entries
            if entry["can_write"]
            and (entry["report"] is None or entry["report"].state == Report.State.DRAFT)
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
        cohort.mentorships.exclude(state=Mentorship.State.WITHDRAWN)
        .select_related("mentee", "project")
        .prefetch_related("mentors")
        .order_by("project__number", "mentee__github")
    )
    reports = {
        report.mentorship_id: report
        for report in Report.objects.filter(period=period)
        .exclude(state=Report.State.DRAFT)
        .select_related("review__mentor")
    }
    return [(mentorship, reports.get(mentorship.pk)) for mentorship in mentorships]


def my_applications(user):
    """The signed-in user's camp applications with their choices, newest first (two queries)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        CampApplication.objects.filter(user=user)
        .select_related("cohort__edition", "first_choice", "locked_project")
        .prefetch_related("other_choices")
        .order_by("-created_at")
    )
