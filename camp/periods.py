"""A cohort's report periods: generated from its dates, edited by staff in the admin."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Cohort, ReportPeriod


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
