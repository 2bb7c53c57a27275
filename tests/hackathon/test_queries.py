"""Every hackathon page costs the same number of queries at 10 and at 1,000 rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from hackathon.models import (
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    PullRequest,
    Result,
    Task,
    TaskSet,
)
from pfcc.models import Person
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


def _grow_tasks(edition, direction):
    def grow(total):
        have = Task.objects.filter(edition=edition).count()
        start = have + 1
        tasks = Task.objects.bulk_create(
            [
                Task(
                    task_set=TaskSet.main_of(edition),
                    edition=edition,
                    direction=direction,
                    number=n,
                    title=f"任务 {n}",
                    difficulty=Decimal("1"),
                )
                for n in range(start, total + 1)
            ]
        )
        persons = Person.objects.bulk_create(
            [Person(github=f"q-{n}-{k}") for n in range(start, total + 1) for k in range(2)]
        )
        now = timezone.now()
        claims = []
        for index, task in enumerate(tasks):
            for k in range(2):
                state = (index + k) % 6 + 1
                claims.append(
                    Claim(
                        task=task,
                        person=persons[index * 2 + k],
                        state=state,
                        created_at=now - timedelta(days=index % 30),
                        team_name="队" if k else "",
                    )
                )
        Claim.objects.bulk_create(claims)
        PullRequest.objects.bulk_create(
            [
                PullRequest(claim=claim, url=f"https://github.com/o/r/pull/{claim.pk}")
                for claim in claims
                if claim.state >= ClaimState.PR_SUBMITTED
            ]
        )
        ClaimStateChange.objects.bulk_create(
            [
                ClaimStateChange(claim=claim, from_state=None, to_state=claim.state)
                for claim in claims
            ]
        )
        for claim in claims:
            if claim.state == ClaimState.COMPLETED:
                Task.objects.filter(pk=claim.task_id, completed_claim=None).update(
                    completed_claim=claim, completed_at=now
                )

    return grow


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/hackathon/7/tasks/", 9),  # + the edition's task sets
        ("/hackathon/7/tasks/?state=4&difficulty=1", 9),
        ("/hackathon/7/tasks.md", 8),
        ("/hackathon/7/tasks.csv", 8),
        ("/hackathon/7/tasks.json", 8),
        ("/hackathon/7/progress/", 7),
        ("/hackathon/7/progress.json", 5),
        ("/hackathon/7/", 7),  # + the judged contests of the edition (edition_sections)
        ("/hackathon/", 3),
    ],
)
def test_board_and_progress_pages_are_flat(client, edition, direction, url, budget):
    count = assert_flat_queries(client, url, _grow_tasks(edition, direction))
    assert count <= budget, count


def test_board_for_a_signed_in_contributor_is_flat(client, edition, direction, contributor):
    client.force_login(contributor)
    count = assert_flat_queries(client, "/hackathon/7/tasks/", _grow_tasks(edition, direction))
    assert count <= 13, count


def test_task_page_is_flat(client, edition, direction, contributor):
    task = Task.objects.create(edition=edition, direction=direction, number=1, title="t")
    client.force_login(contributor)

    def grow(total):
        have = Claim.objects.filter(task=task).count()
        persons = Person.objects.bulk_create([Person(github=f"t-{n}") for n in range(have, total)])
        claims = Claim.objects.bulk_create(
            [Claim(task=task, person=p, state=ClaimState.PR_SUBMITTED) for p in persons]
        )
        PullRequest.objects.bulk_create(
            [PullRequest(claim=c, url=f"https://github.com/o/r/pull/{c.pk}") for c in claims]
        )
        ClaimStateChange.objects.bulk_create(
            [ClaimStateChange(claim=c, from_state=1, to_state=4) for c in claims]
        )

    count = assert_flat_queries(client, "/hackathon/7/tasks/1/", grow)
    assert count <= 12, count


def publish_results_growing(edition):
    """Publish the edition's results (objections open) and return a grow(total) that adds
    results with certificates up to `total`."""
    Edition.objects.filter(pk=edition.pk).update(
        state=Edition.State.RESULTS_PUBLISHED,
        objection_deadline=timezone.now() + timedelta(days=1),
    )

    def grow(total):
        have = Result.objects.filter(edition=edition).count()
        persons = Person.objects.bulk_create([Person(github=f"r-{n}") for n in range(have, total)])
        results = Result.objects.bulk_create(
            [
                Result(
                    edition=edition,
                    person=p,
                    rank=have + i + 1,
                    completed_tasks=1,
                    task_numbers=[i + 1],
                    stars=Decimal("1"),
                    reward=Decimal("2000"),
                )
                for i, p in enumerate(persons)
            ]
        )
        Certificate.objects.bulk_create(
            [Certificate(result=r, code=f"C{r.pk:08d}") for r in results]
        )

    return grow


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/hackathon/7/results/", 7),  # + the task sets (switcher)
        ("/hackathon/7/results.json", 4),  # + the task sets and their rules
        ("/hackathon/7/results.csv", 3),
    ],
)
def test_results_pages_are_flat(client, edition, contributor, url, budget):
    grow = publish_results_growing(edition)
    client.force_login(contributor)
    count = assert_flat_queries(client, url, grow)
    assert count <= budget + 2, count


def test_person_and_home_sections_are_flat(client, edition, direction):
    person = Person.objects.create(github="many-claims")

    def grow(total):
        have = Task.objects.filter(edition=edition).count()
        tasks = Task.objects.bulk_create(
            [
                Task(
                    task_set=TaskSet.main_of(edition),
                    edition=edition,
                    number=n,
                    title=f"t{n}",
                    difficulty=Decimal("0.5"),
                )
                for n in range(have + 1, total + 1)
            ]
        )
        Claim.objects.bulk_create([Claim(task=t, person=person, state=6) for t in tasks])

    assert_flat_queries(client, "/people/many-claims/", grow)
    assert client.get("/").status_code == 200
