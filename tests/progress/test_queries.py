"""The staff page costs the same number of queries with 10 or 1,000 tasks, claims, history rows,
camp reports and earlier reports."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post
from camp.models import Report
from hackathon.models import Claim, ClaimState, ClaimStateChange, Task, TaskSet
from progress.models import ProgressReport
from tests.camp.factories import CohortFactory, MentorshipFactory
from tests.factories import PersonFactory
from tests.hackathon.factories import DirectionFactory, EditionFactory
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

# Session, user and authenticator checks, the scope choices (editions, cohorts); the preview adds
# the history (directions, tasks, claims, changes), the camp (cohorts, mentees, periods,
# reports), the previous report and the episode count.
FORM_BUDGET = 6
PREVIEW_BUDGET = 17


@pytest.fixture
def grow(staff):
    edition = EditionFactory(number=12)
    directions = [
        DirectionFactory(track__edition=edition, name=f"方向 {n}", order=n) for n in range(3)
    ]
    cohort = CohortFactory(edition=edition, slug="12th")
    mentorships = [MentorshipFactory(project__cohort=cohort) for _ in range(3)]
    period = cohort.periods.first()
    people = [PersonFactory() for _ in range(5)]
    now = timezone.now()

    def add(total):
        have = Task.objects.filter(edition=edition).count()
        tasks = Task.objects.bulk_create(
            Task(
                task_set=TaskSet.main_of(edition),
                edition=edition,
                direction=directions[n % 3],
                number=n + 1,
                title=f"任务 {n}",
                description_html="",
            )
            for n in range(have, total)
        )
        claims = Claim.objects.bulk_create(
            Claim(
                task=task,
                person=people[index % 5],
                state=ClaimState.PR_SUBMITTED if index % 2 else ClaimState.CLAIMED,
                created_at=now - timedelta(days=index % 9),
                state_changed_at=now,
            )
            for index, task in enumerate(tasks)
        )
        ClaimStateChange.objects.bulk_create(
            ClaimStateChange(
                claim=claim,
                from_state=None,
                to_state=ClaimState.CLAIMED,
                created_at=claim.created_at,
            )
            for claim in claims
        )
        ClaimStateChange.objects.bulk_create(
            ClaimStateChange(
                claim=claim,
                from_state=ClaimState.CLAIMED,
                to_state=ClaimState.PR_SUBMITTED,
                created_at=now,
            )
            for claim in claims
            if claim.state == ClaimState.PR_SUBMITTED
        )
        # Earlier reports of the scope (published posts) and camp reports, as many.
        have_posts = ProgressReport.objects.count()
        for n in range(have_posts, min(total, 30)):
            post = Post.objects.create(title=f"月报 {n}", slug=f"report-{n}", body="…")
            ProgressReport.objects.create(
                scope_key="edition:12",
                scope_label="第十二期",
                start_date=now.date() - timedelta(days=400 + n),
                end_date=now.date() - timedelta(days=300 + n),
                post=post,
            )
        Report.objects.bulk_create(
            Report(
                mentorship=mentorship,
                period=period,
                start_date=period.start_date,
                end_date=period.end_date,
                submitted_at=now,
            )
            for mentorship in mentorships[Report.objects.count() : min(total, 3)]
        )

    return add


def test_the_draft_page_and_its_preview_cost_a_fixed_number_of_queries(staff, grow):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    today = timezone.localdate()
    query = urlencode(
        {
            "scope": "edition:12",
            "start": (today - timedelta(days=6)).isoformat(),
            "end": today.isoformat(),
            "risk_threshold": 30,
        }
    )
    assert assert_flat_queries(client, "/progress/draft/", grow) <= FORM_BUDGET
    count = assert_flat_queries(client, f"/progress/draft/?{query}", grow)
    assert count <= PREVIEW_BUDGET
    # The preview did run, on all the rows: 1,000 tasks, half of them submitted.
    html = client.get(f"/progress/draft/?{query}").content.decode()
    assert '<tr class="total"><td>Total</td><td>1000</td><td>500 / 1000</td>' in html
