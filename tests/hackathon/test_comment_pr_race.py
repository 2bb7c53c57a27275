"""A claim by comment (`【报名】：7`) and a PR for the same task by the same person, delivered
at the same moment: one claim, at the PR's state, with the PR on it (PostgreSQL, real
threads, separate connections)."""

import pytest
from django.test import Client

from hackathon.models import Claim, ClaimState, Edition, Repository, TaskSet, WebhookDelivery
from pfcc.models import Person
from tests.concurrency import run_at_once
from tests.factories import PersonFactory

from .factories import EditionFactory, TaskFactory
from .test_task_sets import comment_payload
from .test_webhook_payloads import SECRET, deliver, pr_payload

pytestmark = [
    pytest.mark.postgres(reason="SQLite serialises every writer"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    settings.GITHUB_TOKEN = ""


@pytest.fixture
def task():
    edition = EditionFactory(number=41, state=Edition.State.OPEN)
    Repository.objects.create(edition=edition, full_name="PaddlePaddle/Paddle")
    TaskSet.objects.filter(pk=TaskSet.main_of(edition).pk).update(
        issue_url="https://github.com/PaddlePaddle/Paddle/issues/77429"
    )
    return TaskFactory(edition=edition, number=7)


@pytest.mark.parametrize("known", [True, False], ids=["known-person", "new-person"])
@pytest.mark.parametrize("merged", [False, True], ids=["opened", "merged"])
def test_comment_claim_and_pr_at_once_make_one_claim(task, known, merged):
    if known:
        PersonFactory(github="racer", github_id=4242)
    comment = comment_payload("【报名】：7", login="racer", comment_id=5)
    comment["comment"]["user"]["id"] = 4242
    title = "【Hackathon 41st No.7】实现"
    pull = pr_payload("closed" if merged else "opened", title, merged=merged, login="racer")
    pull["pull_request"]["user"]["id"] = 4242

    def job(event, payload):
        return lambda: deliver(Client(), event, payload).json()

    for _round in range(3):
        Claim.objects.all().delete()
        WebhookDelivery.objects.all().delete()
        bodies = run_at_once([job("issue_comment", comment), job("pull_request", pull)])
        assert all(body["status"] != WebhookDelivery.State.FAILED for body in bodies), bodies
        claim = Claim.objects.get(task=task)
        assert claim.person.github == "racer"
        assert claim.state == (ClaimState.COMPLETED if merged else ClaimState.PR_SUBMITTED)
        assert [p.url.rsplit("/", 1)[1] for p in claim.pull_requests.all()] == ["1"] or (
            claim.pull_requests.count() == 1
        )
        first = claim.history.order_by("pk").first()
        assert (first.action, first.to_state) == ("claim", ClaimState.CLAIMED)
        assert Person.objects.filter(github__iexact="racer").count() == 1
