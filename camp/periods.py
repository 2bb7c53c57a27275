"""A cohort's report periods and the one rule for what is due.

Periods are the deadlines reports are judged against: generated from the cohort's dates, its
default length (`period_days`), its holiday gaps (`breaks`) and the days to hand in
(`due_days`); staff may then edit single periods in the admin. A report has its own dates and
counts for every period it overlaps.

What is due from a mentee (the mentee's page, the TA checklist, reminders and grades all use
`due_periods` and `cell_for`): the periods that end on or after the day they joined, and start
on or before the day they left.
"""

import dataclasses
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import Cohort, Report, ReportPeriod, parse_breaks

DUE_SOON_DAYS = 2


def period_windows(start, end, days: int, breaks=()):
    """(number, start, end) windows of `days` from start; the last one stops at end. A break
    (holiday gap) is skipped: a window it interrupts is extended by the break's length, and no
    window starts inside one."""
    windows = []
    number, current = 1, start
    breaks = sorted(breaks)
    while current <= end:
        for gap_start, gap_end in breaks:
            if gap_start <= current <= gap_end:
                current = gap_end + timedelta(days=1)
        if current > end:
            break
        window_end = current + timedelta(days=days - 1)
        for gap_start, gap_end in breaks:
            if current < gap_start <= window_end:
                window_end += timedelta(days=(gap_end - gap_start).days + 1)
        window_end = min(window_end, end)
        windows.append((number, current, window_end))
        number += 1
        current = window_end + timedelta(days=1)
    return windows


@transaction.atomic
def generate_periods(cohort: Cohort) -> list[ReportPeriod]:
    """Create or update the cohort's periods from its dates, length, gaps and days to hand
    in. Periods past the new end are removed when they hold no report."""
    existing = {period.number: period for period in cohort.periods.select_for_update()}
    result = []
    windows = period_windows(
        cohort.start_date, cohort.end_date, cohort.period_days, parse_breaks(cohort.breaks)
    )
    for number, start, end in windows:
        period = existing.pop(number, None) or ReportPeriod(cohort=cohort, number=number)
        due = end + timedelta(days=cohort.due_days)
        if (period.start_date, period.end_date, period.due_date) != (start, end, due):
            period.start_date, period.end_date, period.due_date = start, end, due
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


def best_period(periods, start, end):
    """The period a report with these dates was written for: the one it overlaps most."""
    best, best_overlap = None, 0
    for period in periods:
        overlap = (min(end, period.end_date) - max(start, period.start_date)).days + 1
        if overlap > best_overlap:
            best, best_overlap = period, overlap
    return best


# --- What is due ------------------------------------------------------------------------------


def joined_on(mentorship):
    return timezone.localdate(mentorship.locked_at)


def left_on(mentorship):
    return timezone.localdate(mentorship.ended_at) if mentorship.ended_at else None


def is_due_from(mentorship, period) -> bool:
    """Whether the mentee owes a report for this period: it ends on or after the day they
    joined, and starts on or before the day they left (withdrawn or completed)."""
    left = left_on(mentorship)
    return period.end_date >= joined_on(mentorship) and (left is None or period.start_date <= left)


def due_periods(mentorship, periods):
    return [period for period in periods if is_due_from(mentorship, period)]


CELL_LABELS = {
    "not_applicable": gettext_lazy("not a mentee then"),
    "not_due": gettext_lazy("not yet due"),
    "due_soon": gettext_lazy("due soon"),
    "missing": gettext_lazy("missing"),
    "draft": gettext_lazy("draft"),
    "changes": gettext_lazy("changes requested"),
    "late": gettext_lazy("late"),
    "submitted": gettext_lazy("submitted"),
    "reviewed": gettext_lazy("reviewed"),
}
# The checklist's legend and per-period counts, in this order.
CELL_STATES = [
    "not_due",
    "due_soon",
    "missing",
    "draft",
    "changes",
    "late",
    "submitted",
    "reviewed",
    "not_applicable",
]
# When several reports overlap a period, the one furthest along speaks for it.
_RANK = {
    Report.State.DRAFT: 1,
    Report.State.CHANGES_REQUESTED: 2,
    Report.State.SUBMITTED: 3,
    Report.State.REVIEWED: 4,
}


@dataclasses.dataclass
class Cell:
    state: str
    report_id: int | None = None
    reports: int = 0  # how many reports overlap the period

    @property
    def label(self):
        return CELL_LABELS[self.state]

    @property
    def has_report(self) -> bool:
        return self.report_id is not None


def cell_for(mentorship, period, reports, today) -> Cell:
    """The state of one mentee × period. `reports`: the mentee's reports as dicts or objects
    with pk, state, start_date, end_date, submitted_at."""
    if not is_due_from(mentorship, period):
        return Cell("not_applicable")

    def get(report, name):
        return report[name] if isinstance(report, dict) else getattr(report, name)

    overlapping = [
        report
        for report in reports
        if get(report, "start_date") <= period.end_date
        and get(report, "end_date") >= period.start_date
    ]
    if overlapping:
        best = max(
            overlapping,
            key=lambda r: (_RANK.get(get(r, "state"), 0), -get(r, "pk")),
        )
        state = get(best, "state")
        submitted_at = get(best, "submitted_at")
        late = bool(submitted_at and timezone.localdate(submitted_at) > period.due_date)
        if state == Report.State.REVIEWED:
            name = "reviewed"
        elif state == Report.State.SUBMITTED:
            name = "late" if late else "submitted"
        elif state == Report.State.CHANGES_REQUESTED:
            name = "changes"
        elif period.due_date < today:
            name = "missing"  # a draft after the deadline is still missing
        else:
            name = "draft"
        return Cell(name, get(best, "pk"), len(overlapping))
    if period.due_date < today:
        return Cell("missing")
    if period.due_date <= today + timedelta(days=DUE_SOON_DAYS) and period.start_date <= today:
        return Cell("due_soon")
    return Cell("not_due")


def cell_label_context():
    return [{"state": state, "label": CELL_LABELS[state]} for state in CELL_STATES]


__all__ = [
    "CELL_LABELS",
    "CELL_STATES",
    "Cell",
    "best_period",
    "cell_for",
    "current_period",
    "due_periods",
    "generate_periods",
    "is_due_from",
    "period_windows",
]
