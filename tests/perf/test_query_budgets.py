"""Query budgets at 10 and at 1,000 rows for the benchmark's pages that other tests measure at
other sizes or only signed in (the others: tests/blog, tests/hackathon, tests/pfcc), and the
signed-in pages kept per user (the account page, the admin's claim and report lists)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from camp.models import Report
from tests.camp.test_queries import grower
from tests.factories import StaffFactory
from tests.hackathon.test_queries import _grow_tasks, publish_results_growing
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


def test_results_page_for_visitors(client, edition):
    grow = publish_results_growing(edition)
    assert assert_flat_queries(client, "/hackathon/7/results/", grow) <= 3


def test_cohort_page_for_visitors(big_camp, client_for):
    url = reverse("camp:cohort", args=["9th"])
    assert assert_flat_queries(client_for(None), url, grower(big_camp)) <= 10


def test_ta_checklist(big_camp, client_for):
    client = client_for(big_camp.users["ta"])
    url = reverse("camp:checklist", args=["9th"])
    assert assert_flat_queries(client, url, grower(big_camp)) <= 10
    assert len(client.get(url).context["rows"]) == 1002


def test_mentor_queue(big_camp, client_for):
    client = client_for(big_camp.users["mentor"])
    assert assert_flat_queries(client, reverse("camp:reviews"), grower(big_camp)) <= 8


def test_my_camp(big_camp, client_for):
    """The mentee's page does not grow with the cohort (its own history: tests/camp)."""
    client = client_for(big_camp.users["mentee"])
    assert assert_flat_queries(client, reverse("camp:my_camp"), grower(big_camp)) <= 10


def test_my_camp_does_not_grow_with_my_own_reports(big_camp, client_for):
    """Each submitted report shows whether it was late: its period is already loaded."""
    camp = big_camp
    client = client_for(camp.users["mentee"])
    periods = list(camp.cohort.periods.all())

    def grow(total):
        for period in periods[: min(total, len(periods))]:
            Report.objects.get_or_create(
                mentorship=camp.mentorship,
                period=period,
                defaults={"state": Report.State.SUBMITTED, "submitted_at": timezone.now()},
            )

    assert assert_flat_queries(client, reverse("camp:my_camp"), grow, small=1, large=8) <= 10


def test_account_page(big_camp, client_for):
    client = client_for(big_camp.users["mentee"])
    assert assert_flat_queries(client, reverse("pfcc:account"), grower(big_camp)) <= 5


def test_admin_report_list(big_camp, client_for):
    client = client_for(big_camp.users["staff"])
    assert assert_flat_queries(client, "/admin/camp/report/", grower(big_camp)) <= 12


def test_admin_claim_list(client, edition, direction):
    client.force_login(StaffFactory())
    grow = _grow_tasks(edition, direction)
    assert assert_flat_queries(client, "/admin/hackathon/claim/", grow) <= 10
