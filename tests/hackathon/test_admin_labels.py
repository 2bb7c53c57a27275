"""Issue 17: the same track and direction names run in every edition (框架开发 each year); the
admin's task form and the claim and task filters name the edition, so staff pick the right row."""

import pytest
from django.urls import reverse

from .factories import DirectionFactory, EditionFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years():
    directions = []
    for number, name in ((8, "第八期"), (9, "第九期")):
        track = TrackFactory(edition=EditionFactory(number=number, name=name), name="框架开发")
        directions.append(DirectionFactory(track=track, name="算子"))
    return directions


def test_the_task_form_names_the_edition_of_each_direction(staff_client, two_years):
    page = staff_client.get(reverse("admin:hackathon_task_add")).content.decode()
    assert "第八期 / 框架开发 / 算子" in page and "第九期 / 框架开发 / 算子" in page


@pytest.mark.parametrize(
    "changelist", ["admin:hackathon_task_changelist", "admin:hackathon_claim_changelist"]
)
def test_the_track_filters_name_the_edition(staff_client, two_years, changelist):
    page = staff_client.get(reverse(changelist)).content.decode()
    assert "第八期 / 框架开发" in page and "第九期 / 框架开发" in page
