"""Reads for the camp's pages, each in a fixed number of queries whatever the data size."""

from urllib.parse import quote

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe

from .models import CampApplication, Cohort, Mentorship, Report, ReportPeriod
from .periods import (
    CELL_LABELS,
    CELL_STATES,
    cell_for,
    cell_label_context,
    current_period,
)
from .permissions import person_of


def mentorship_for(user, cohort) -> Mentorship | None:
    person = person_of(user)
    if person is None:
        return None
    return (
        Mentorship.objects.filter(cohort=cohort, mentee=person)
        .exclude(state=Mentorship.State.WITHDRAWN)
        .select_related("project", "cohort__edition", "cohort__programme")
        .first()
    )


def checklist(cohort, today=None):
    """Mentees × periods for the TA checklist: four queries whatever the size. A report
    counts for every period it overlaps; periods before a mentee joined are not theirs."""
    today = today or timezone.localdate()
    periods = list(cohort.periods.all())
    mentorships = list(
        cohort.mentorships.select_related("mentee", "project").order_by(
            "project__number", "mentee__github"
        )
    )
    reports_of: dict[int, list] = {}
    for row in Report.objects.filter(mentorship__cohort=cohort).values(
        "pk", "mentorship_id", "state", "start_date", "end_date", "submitted_at"
    ):
        reports_of.setdefault(row["mentorship_id"], []).append(row)
    rows = []
    counts = {period.pk: dict.fromkeys(CELL_STATES, 0) for period in periods}
    cell_html = _CellHTML()
    for mentorship in mentorships:
        cells = []
        for period in periods:
            cell = cell_for(mentorship, period, reports_of.get(mentorship.pk, []), today)
            counts[period.pk][cell.state] += 1
            cells.append(cell)
        rows.append(
            {
                "mentorship": mentorship,
                "mentee_url": cell_html.person_url(mentorship.mentee.github),
                "cells": cells,
                "cells_html": cell_html(cells),
            }
        )
    columns = [
        {"period": period, "counts": [counts[period.pk][state] for state in CELL_STATES]}
        for period in periods
    ]
    totals = [
        {
            "state": state,
            "label": CELL_LABELS[state],
            "counts": [counts[p.pk][state] for p in periods],
        }
        for state in CELL_STATES
    ]
    return {
        "periods": periods,
        "columns": columns,
        "rows": rows,
        "states": cell_label_context(),
        "totals": totals,
        "today": today,
    }


class _CellHTML:
    """A checklist row's cells as HTML (and the mentee's address), built here rather than in
    the template: at 300 mentees × 10 periods the template's nodes per cell (a link reversed per report) were most of the
    page's time. Each state's label is translated and escaped once per page."""

    PLACEHOLDER = 987654321

    def __init__(self):
        self.labels = {state: escape(str(label)) for state, label in CELL_LABELS.items()}
        self.report_url = reverse("camp:report", args=[self.PLACEHOLDER]).split(
            str(self.PLACEHOLDER)
        )
        self.person_url_parts = reverse("pfcc:person", args=["~login~"]).split("~login~")

    def person_url(self, github: str) -> str:
        """Person.get_absolute_url without a reverse() per row, quoted as reverse() quotes."""
        login = quote(github, safe=RFC3986_SUBDELIMS + "/~:@")
        return f"{self.person_url_parts[0]}{login}{self.person_url_parts[1]}"

    def cell(self, cell) -> str:
        state, label = cell.state, self.labels[cell.state]
        if cell.report_id is None:
            inner = label
        else:
            url = f"{self.report_url[0]}{int(cell.report_id)}{self.report_url[1]}"
            more = f" <small>×{int(cell.reports)}</small>" if cell.reports > 1 else ""
            inner = f'<a href="{url}">{label}</a>{more}'
        return f'<td class="camp-cell camp-cell-{state}" data-state="{state}">{inner}</td>'

    def __call__(self, cells):
        return mark_safe("".join(self.cell(cell) for cell in cells))  # each part escaped above


# Grades and due counts: which checklist cells a period counts as, per mentee. A report sent
# back for changes was handed in (it is being revised); a draft after the deadline is missing,
# as the checklist paints it. Periods not yet due (or before the mentee joined) count for none.
HANDED_IN = {"changes", "late", "submitted", "reviewed"}


def due_counts(cohort, today=None) -> dict[int, dict[str, int]]:
    """Mentorship id → {"due", "submitted", "missing"} by the checklist's rule (cell_for): due
    are the periods the checklist shows as handed in or missing. Two queries."""
    today = today or timezone.localdate()
    periods = list(cohort.periods.all())
    mentorships = list(cohort.mentorships.only("pk", "locked_at", "ended_at"))
    reports_of: dict[int, list] = {}
    for row in Report.objects.filter(mentorship__cohort=cohort).values(
        "pk", "mentorship_id", "state", "start_date", "end_date", "submitted_at"
    ):
        reports_of.setdefault(row["mentorship_id"], []).append(row)
    counts = {}
    for mentorship in mentorships:
        states = [
            cell_for(mentorship, period, reports_of.get(mentorship.pk, []), today).state
            for period in periods
        ]
        submitted = sum(state in HANDED_IN for state in states)
        missing = states.count("missing")
        counts[mentorship.pk] = {
            "due": submitted + missing,
            "submitted": submitted,
            "missing": missing,
        }
    return counts


def review_queue(person):
    """Submitted reports of the person's mentees awaiting review, oldest first."""
    if person is None:
        return []
    return list(
        Report.objects.awaiting_review_by(person).select_related(
            "mentorship__mentee",
            "mentorship__project",
            "mentorship__cohort__edition",
            "mentorship__cohort__programme",
            "period",
        )
    )


def mentor_overview(person):
    """The mentor's mentees with every report so far (their history), three queries."""
    if person is None:
        return []
    return list(
        Mentorship.objects.filter(mentors=person)
        .select_related("mentee", "project", "cohort__edition", "cohort__programme")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("period").order_by("start_date", "pk"),
            )
        )
        .order_by("-cohort__start_date", "project__number", "mentee__github")
    )


def my_camp(person, today=None):
    """For /camp/me/: each of the person's mentorships with the periods due from them (the
    same rule as the checklist) and their reports, newest first."""
    today = today or timezone.localdate()
    if person is None:
        return []
    mentorships = list(
        Mentorship.objects.filter(mentee=person)
        .select_related("project", "cohort__edition", "cohort__programme", "cohort__programme")
        .prefetch_related(
            "mentors",
            Prefetch("cohort__periods", queryset=ReportPeriod.objects.order_by("number")),
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("review__mentor", "period").order_by(
                    "-start_date", "-pk"
                ),
            ),
        )
        .order_by("-cohort__start_date")
    )
    result = []
    for mentorship in mentorships:
        reports = list(mentorship.reports.all())
        periods = list(mentorship.cohort.periods.all())
        writable = (
            mentorship.state != Mentorship.State.WITHDRAWN
            and mentorship.cohort.state != Cohort.State.FINISHED
        )
        due = []
        for period in periods:
            cell = cell_for(mentorship, period, reports, today)
            if writable and cell.state in {"due_soon", "missing", "draft", "changes"}:
                due.append({"period": period, "cell": cell, "overdue": cell.state == "missing"})
            elif writable and cell.state == "not_due" and period.start_date <= today:
                due.append({"period": period, "cell": cell, "overdue": False})
        result.append(
            {
                "mentorship": mentorship,
                "current": current_period(mentorship.cohort, periods, today),
                "reports": reports,
                "due": due,
                "can_write": writable,
                "states": cell_label_context(),
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
    reports: dict[int, list] = {}
    for report in (
        Report.objects.filter(
            mentorship__cohort=cohort,
            start_date__lte=period.end_date,
            end_date__gte=period.start_date,
        )
        .exclude(state=Report.State.DRAFT)
        .select_related("review__mentor", "period")
        .order_by("start_date", "pk")
    ):
        reports.setdefault(report.mentorship_id, []).append(report)
    return [(mentorship, reports.get(mentorship.pk, [])) for mentorship in mentorships]


def my_applications(user):
    """The signed-in user's camp applications with their choices, newest first (two queries)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        CampApplication.objects.filter(user=user)
        .select_related("cohort__edition", "cohort__programme", "first_choice", "locked_project")
        .prefetch_related("other_choices")
        .order_by("-created_at")
    )
