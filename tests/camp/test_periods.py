from datetime import date

import pytest
from django.core.exceptions import ValidationError

from camp.models import Cohort, Report
from camp.periods import current_period, generate_periods, period_windows

from .factories import CohortFactory, ReportFactory


def test_windows_of_fourteen_days_last_one_stops_at_end():
    windows = period_windows(date(2024, 7, 15), date(2024, 9, 30), 14)
    assert windows[0] == (1, date(2024, 7, 15), date(2024, 7, 28))
    assert windows[1] == (2, date(2024, 7, 29), date(2024, 8, 11))
    assert windows[-1] == (6, date(2024, 9, 23), date(2024, 9, 30))
    # contiguous, no gaps
    for (_, _, end), (_, start, _) in zip(windows, windows[1:], strict=False):
        assert (start - end).days == 1


def test_single_day_cohort_has_one_period():
    assert period_windows(date(2024, 1, 1), date(2024, 1, 1), 14) == [
        (1, date(2024, 1, 1), date(2024, 1, 1))
    ]


@pytest.mark.django_db
def test_generate_periods_creates_due_dates_and_is_idempotent():
    cohort = CohortFactory(start_date=date(2024, 7, 15), end_date=date(2024, 10, 6), periods=False)
    periods = generate_periods(cohort)
    assert [p.number for p in periods] == [1, 2, 3, 4, 5, 6]
    assert all(p.due_date == p.end_date for p in periods)
    assert cohort.period_days == 14
    ids = [p.pk for p in periods]
    assert [p.pk for p in generate_periods(cohort)] == ids


@pytest.mark.django_db
def test_regenerate_after_shortening_keeps_periods_with_reports():
    cohort = CohortFactory(start_date=date(2024, 7, 15), end_date=date(2024, 10, 6), periods=False)
    periods = generate_periods(cohort)
    ReportFactory(mentorship__project__cohort=cohort, period=periods[5])
    cohort.end_date = date(2024, 8, 11)
    cohort.save()
    numbers = sorted(p.number for p in generate_periods(cohort))
    assert numbers == [1, 2, 6]  # 3–5 removed, 6 kept because it holds a report
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_custom_period_length():
    cohort = CohortFactory(
        start_date=date(2024, 1, 1), end_date=date(2024, 1, 21), period_days=7, periods=False
    )
    assert len(generate_periods(cohort)) == 3


@pytest.mark.django_db
def test_current_period():
    cohort = CohortFactory(start_date=date(2024, 7, 15), end_date=date(2024, 10, 6))
    assert current_period(cohort, today=date(2024, 7, 30)).number == 2
    assert current_period(cohort, today=date(2025, 1, 1)) is None


@pytest.mark.django_db
def test_cohort_title_and_reserved_slug():
    cohort = CohortFactory(edition__number=7, batch=Cohort.Batch.SINGLE)
    assert "7" in str(cohort)
    cohort.slug = "me"
    with pytest.raises(ValidationError) as error:
        cohort.full_clean()
    assert error.value.error_dict["slug"][0].code == "reserved"
