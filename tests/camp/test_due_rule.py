"""One rule for what is due: reports with their own dates count for every period they overlap;
periods before a mentee joined are not theirs; not-yet-due, due soon and missing differ."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from camp.models import Cohort, Programme, Report
from camp.periods import cell_for, generate_periods, period_windows
from camp.queries import checklist

from .factories import CohortFactory, MentorshipFactory, ProjectFactory, ReportFactory


def aware(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def test_holiday_gap_extends_the_period_it_interrupts():
    breaks = [(date(2025, 1, 25), date(2025, 2, 4))]  # 11 days of Spring Festival
    windows = period_windows(date(2025, 1, 13), date(2025, 3, 9), 14, breaks)
    assert windows[0] == (1, date(2025, 1, 13), date(2025, 2, 6))  # 14 + 11 days
    assert windows[1][1] == date(2025, 2, 7)
    assert all(not (b[0] <= w[1] <= b[1]) for w in windows for b in breaks)


@pytest.mark.django_db
def test_staff_set_gaps_and_days_to_hand_in():
    cohort = CohortFactory(
        start_date=date(2025, 1, 13),
        end_date=date(2025, 3, 9),
        breaks="2025-01-25~2025-02-04",
        due_days=2,
        periods=False,
    )
    periods = generate_periods(cohort)
    assert (periods[0].end_date, periods[0].due_date) == (date(2025, 2, 6), date(2025, 2, 8))


@pytest.mark.django_db
def test_a_long_report_counts_for_every_period_it_overlaps(camp):
    periods = list(camp.cohort.periods.all())
    ReportFactory(
        mentorship=camp.mentorship,
        period=periods[0],
        start_date=periods[0].start_date,
        end_date=periods[1].end_date,  # one report for two periods
        state=Report.State.SUBMITTED,
        submitted_at=aware(periods[0].start_date),
    )
    row = next(r for r in checklist(camp.cohort)["rows"] if r["mentorship"] == camp.mentorship)
    assert [c.state for c in row["cells"][:2]] == ["submitted", "submitted"]


@pytest.mark.django_db
def test_two_reports_in_one_period_are_both_kept(camp):
    period = camp.cohort.periods.first()
    for offset in (0, 7):
        ReportFactory(
            mentorship=camp.mentorship,
            period=period,
            start_date=period.start_date + timedelta(days=offset),
            end_date=period.start_date + timedelta(days=offset + 6),
        )
    assert Report.objects.filter(mentorship=camp.mentorship, period=period).count() == 2
    row = next(r for r in checklist(camp.cohort)["rows"] if r["mentorship"] == camp.mentorship)
    assert row["cells"][0].reports == 2


@pytest.mark.django_db
def test_late_joiner_owes_nothing_before_joining_and_states_differ(camp):
    periods = list(camp.cohort.periods.all())
    today = periods[2].due_date - timedelta(days=1)  # period 3 due tomorrow
    late = MentorshipFactory(
        project=camp.project, locked_at=aware(periods[1].end_date + timedelta(days=1))
    )
    cells = [cell_for(late, period, [], today).state for period in periods]
    assert cells[:2] == ["not_applicable", "not_applicable"]  # before they joined
    assert cells[2] == "due_soon"
    assert cells[3] == "not_due"  # the next period: not yet due, not red
    early = [cell_for(camp.mentorship, period, [], today).state for period in periods[:2]]
    assert early == ["missing", "missing"]


@pytest.mark.django_db
def test_checklist_legend_names_every_state(camp, client_for):
    page = client_for(camp.users["ta"]).get(reverse("camp:checklist", args=["9th"]))
    legend = page.content.decode().split('data-testid="legend"')[1].split("</ul>")[0]
    for state in ["not_due", "due_soon", "missing", "late", "submitted", "reviewed"]:
        assert f"camp-cell-{state}" in legend


@pytest.mark.django_db
def test_a_programme_cohort_without_edition(client_for, camp):
    programme = Programme.objects.create(name="启航计划", slug="starter", kind="starter")
    cohort = Cohort.objects.create(
        programme=programme,
        slug="starter-2025",
        state=Cohort.State.APPLICATIONS_OPEN,
        start_date=date(2025, 3, 1),
        end_date=date(2025, 5, 31),
    )
    generate_periods(cohort)
    ProjectFactory(cohort=cohort, number=1, title="入门项目")
    assert cohort.title == "启航计划"
    client = client_for(camp.users["outsider"])
    assert "入门项目" in client.get(cohort.get_absolute_url()).content.decode()
    assert client.get(reverse("camp:apply", args=["starter-2025"])).status_code == 200
    assert client.get(reverse("camp:index")).status_code == 200


@pytest.mark.django_db
def test_public_cohort_reports_are_readable_private_ones_not(camp, client_for):
    report = ReportFactory(
        mentorship=camp.mentorship, state=Report.State.SUBMITTED, submitted_at=timezone.now()
    )
    client = client_for(camp.users["outsider"])
    assert client.get(report.get_absolute_url()).status_code == 403
    camp.cohort.reports_public = True
    camp.cohort.save()
    assert client.get(report.get_absolute_url()).status_code == 200
    draft = ReportFactory(
        mentorship=camp.mentorship,
        period=camp.cohort.periods.last(),
        start_date=camp.cohort.periods.last().start_date,
    )
    assert client.get(draft.get_absolute_url()).status_code == 403  # drafts stay private
