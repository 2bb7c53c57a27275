"""Webhook deliveries racing each other: PostgreSQL, real threads, separate connections."""

import pytest
from django.test import Client

from hackathon.models import (
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    PullRequestStatus,
    Repository,
    Task,
    WebhookDelivery,
)
from tests.concurrency import run_at_once
from tests.factories import PersonFactory

from .factories import ClaimFactory, EditionFactory, TaskFactory
from .test_webhook_payloads import SECRET, deliver, pr_payload

pytestmark = [
    pytest.mark.postgres(reason="SQLite serialises every writer"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET


@pytest.fixture
def task():
    edition = EditionFactory(number=41, state=Edition.State.OPEN)
    Repository.objects.create(edition=edition, full_name="PaddlePaddle/Paddle")
    return TaskFactory(edition=edition, number=7)


def test_two_merges_for_one_task_complete_it_once(task):
    people = [PersonFactory(github=f"racer-{i}") for i in range(4)]
    claims = [ClaimFactory(task=task, person=person) for person in people]

    def merge(i):
        payload = pr_payload(
            "closed", "【Hackathon 41st No.7】x", merged=True, number=100 + i, login=f"racer-{i}"
        )
        return lambda: deliver(Client(), "pull_request", payload).status_code

    assert run_at_once([merge(i) for i in range(len(people))]) == [200] * len(people)
    states = sorted(Claim.objects.filter(task=task).values_list("state", flat=True))
    assert states == [ClaimState.PARTIAL] * 3 + [ClaimState.COMPLETED]
    task = Task.objects.get(pk=task.pk)
    assert task.completed_claim.state == ClaimState.COMPLETED
    assert task.completed_claim in claims
    assert WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED).count() == 0
    assert WebhookDelivery.objects.count() == len(people)


def test_the_same_merge_delivered_twice_at_once_changes_things_once(task):
    claim = ClaimFactory(task=task, person=PersonFactory(github="twice"))
    payload = pr_payload("closed", "【Hackathon 41st No.7】x", merged=True, login="twice")

    def job(delivery_id):
        return lambda: deliver(Client(), "pull_request", payload, delivery_id=delivery_id)

    responses = run_at_once([job("same-a"), job("same-b"), job("same-c")])
    assert {r.status_code for r in responses} == {200}
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.COMPLETED
    assert list(
        ClaimStateChange.objects.filter(claim=claim).values_list("to_state", flat=True)
    ) == [ClaimState.COMPLETED]
    assert claim.pull_requests.count() == 1
    assert PullRequestStatus.objects.count() == 1


def test_one_delivery_id_arriving_twice_at_once_is_processed_once(task):
    ClaimFactory(task=task, person=PersonFactory(github="dup"))
    payload = pr_payload("opened", "【Hackathon 41st No.7】x", login="dup")

    def job():
        return deliver(Client(), "pull_request", payload, delivery_id="one-id").json()

    bodies = run_at_once([job, job, job])
    assert sorted(body["duplicate"] for body in bodies) == [False, True, True]
    delivery = WebhookDelivery.objects.get(delivery_id="one-id")
    assert (delivery.attempts, delivery.state) == (1, WebhookDelivery.State.PROCESSED)


def test_a_new_person_opening_prs_in_two_repositories_at_once(task):
    """Two deliveries creating the same new person and claim at once: one person, one claim."""
    Repository.objects.create(edition=task.edition, full_name="PaddlePaddle/docs")

    def job(repo, number):
        payload = pr_payload(
            "opened", "【Hackathon 41st No.7】x", login="fresh", repo=repo, number=number
        )
        return lambda: deliver(Client(), "pull_request", payload).json()

    bodies = run_at_once([job("PaddlePaddle/Paddle", 1), job("PaddlePaddle/docs", 2)])
    claim = Claim.objects.get(task=task, person__github="fresh")
    assert claim.state == ClaimState.PR_SUBMITTED
    assert claim.pull_requests.count() == 2
    assert all(body["status"] != WebhookDelivery.State.FAILED for body in bodies), bodies
