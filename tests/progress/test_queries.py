"""The staff page costs the same number of queries with 10 or 1,000 tasks, claims, history rows,
camp reports and earlier reports."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post
from camp.models import Report
from hackathon.models import Claim, ClaimState, ClaimStateChange, Task, TaskEvent, TaskSet
from progress.models import ProgressReport
from tests.camp.factories import CohortFactory, MentorshipFactory
from tests.factories import PersonFactory
from tests.hackathon.factories import DirectionFactory, EditionFactory
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

# Session, user and authenticator checks, the scope choices (editions, task sets, cohorts); the
# preview adds the history (directions, tasks, withdrawals, claims, changes), the camp (cohorts,
# mentees, periods, reports), the previous report and the episode count. A set's preview reads
# the set instead of the camp.
FORM_BUDGET = 7
PREVIEW_BUDGET = 18
SET_PREVIEW_BUDGET = 14


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


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_task_sets_preview_costs_a_fixed_number_of_queries(staff, language):
    """The Sprint set of an edition, with as many tasks, claims, history rows and withdrawn
    tasks (with their withdrawals recorded) as the edition's own sets."""
    edition = EditionFactory(number=13)
    sprint = TaskSet.objects.create(edition=edition, slug="hackathon-13-sprint", name="Sprint")
    direction = DirectionFactory(track__edition=edition, name="框架开发")
    people = [PersonFactory() for _ in range(5)]
    now = timezone.now()

    def grow(total):
        for task_set in (TaskSet.main_of(edition), sprint):
            have = Task.objects.filter(task_set=task_set).count()
            tasks = Task.objects.bulk_create(
                Task(
                    task_set=task_set,
                    edition=edition,
                    direction=direction,
                    number=n + 1,
                    title=f"任务 {n}",
                    description_html="",
                    state=Task.State.WITHDRAWN if n % 10 == 9 else Task.State.OPEN,
                    created_at=now - timedelta(days=20),
                )
                for n in range(have, total)
            )
            TaskEvent.objects.bulk_create(
                TaskEvent(
                    task=task,
                    action="withdraw",
                    from_state="open",
                    to_state="withdrawn",
                    created_at=now - timedelta(days=3),
                )
                for task in tasks
                if task.state == Task.State.WITHDRAWN
            )
            claims = Claim.objects.bulk_create(
                Claim(
                    task=task,
                    person=people[index % 5],
                    state=ClaimState.PR_SUBMITTED,
                    created_at=now - timedelta(days=10),
                    state_changed_at=now,
                )
                for index, task in enumerate(tasks)
            )
            ClaimStateChange.objects.bulk_create(
                ClaimStateChange(
                    claim=claim,
                    from_state=ClaimState.CLAIMED,
                    to_state=ClaimState.PR_SUBMITTED,
                    created_at=now - timedelta(days=5),
                )
                for claim in claims
            )

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff)
    today = timezone.localdate()
    query = urlencode(
        {
            "scope": "set:hackathon-13-sprint",
            "start": (today - timedelta(days=6)).isoformat(),
            "end": today.isoformat(),
            "risk_threshold": 30,
        }
    )
    count = assert_flat_queries(client, f"/progress/draft/?{query}", grow)
    assert count <= SET_PREVIEW_BUDGET, count
    html = client.get(f"/progress/draft/?{query}").content.decode()
    # 1,000 Sprint tasks, 100 of them withdrawn three days ago: 900 on today's board, all
    # submitted; the withdrawn ones left the board within the range.
    assert (
        '<tr class="total"><td>{}</td><td>900</td><td>900 / 900</td>'.format(
            "Total" if language == "en" else "合计"
        )
        in html
    )
    assert "第十三期 Sprint" in html
