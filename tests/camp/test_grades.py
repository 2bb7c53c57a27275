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
