import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from camp import transitions
from camp.models import Grade, compute_reward


@pytest.mark.parametrize(
    ("stars", "months", "expected"),
    [
        (0, 3, 0),
        (3, 3, 6000),
        (4, 3, 8000),
        (5, 3, 10000),
        (6, 3, 12000),
        (5, 4, 13333),
        (6, 6, 24000),
        (3, 5, 10000),
    ],
)
def test_reward_formula(stars, months, expected):
    assert compute_reward(stars, Decimal("2000"), months) == Decimal(expected)


def test_stars_per_level():
    assert [Grade.STARS[level] for level in Grade.Level.values] == [0, 3, 4, 5, 6]


def test_staff_record_grade_and_export_csv(camp, client_for):
    with pytest.raises(transitions.TransitionError):
        transitions.record_grade(camp.mentorship, camp.users["ta"], level="excellent")
    grade = transitions.record_grade(
        camp.mentorship, camp.users["staff"], level="excellent", months=4
    )
    assert grade.stars == 5
    assert grade.reward == compute_reward(5, camp.cohort.edition.star_value, 4)
    camp.mentorship.refresh_from_db()
    assert camp.mentorship.state == "completed"
    response = client_for(camp.users["staff"]).get(reverse("camp:grades_csv", args=["9th"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["project", "github"]
    by_login = {row[1]: row for row in rows[1:]}
    assert by_login["mentee"][4:7] == ["excellent", "5", "4"]
    assert Decimal(by_login["mentee"][7]) == grade.reward
    assert by_login["other-mentee"][4] == ""


def test_grades_csv_counts_reports_due_submitted_and_missing_by_the_checklists_rule(
    camp, client_for
):
    """Period 1 handed in late, period 2 a draft after its deadline (missing), period 3 not yet
    due: the CSV's counts agree with the checklist's cells. A late joiner owes only what came
    after they joined."""
    from datetime import timedelta

    from django.utils import timezone

    from camp.models import Report
    from camp.queries import checklist

    from .factories import MentorshipFactory, PersonFactory, ReportFactory

    periods = list(camp.cohort.periods.all())
    assert periods[1].due_date < timezone.localdate() < periods[2].due_date
    ReportFactory(
        mentorship=camp.mentorship,
        period=periods[0],
        state=Report.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    ReportFactory(mentorship=camp.mentorship, period=periods[1], state=Report.State.DRAFT)
    late_joiner = MentorshipFactory(
        project=camp.project,
        mentee=PersonFactory(github="late-joiner"),
        locked_at=timezone.now() - timedelta(days=5),  # after period 1, inside period 2
    )
    response = client_for(camp.users["staff"]).get(reverse("camp:grades_csv", args=["9th"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["reports_due", "reports_submitted", "reports_missing"]
    by_login = {row[1]: row for row in rows[1:]}
    assert by_login["mentee"][-3:] == ["2", "1", "1"]
    assert by_login["other-mentee"][-3:] == ["2", "0", "2"]
    assert by_login["late-joiner"][-3:] == ["1", "0", "1"]
    # The checklist paints the same: one late, one missing for the mentee.
    cells = {
        row["mentorship"].pk: [cell.state for cell in row["cells"]]
        for row in checklist(camp.cohort)["rows"]
    }
    assert cells[camp.mentorship.pk][:3] == ["late", "missing", "not_due"]
    assert cells[late_joiner.pk][:2] == ["not_applicable", "missing"]
