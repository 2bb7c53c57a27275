"""First-complete-wins under real concurrency: PostgreSQL, separate connections, threads."""

import threading

import pytest
from django.db import connection, connections

from hackathon import services
from hackathon.models import Claim, ClaimState, Task
from hackathon.services import Actor

from .factories import ClaimFactory, EditionFactory, TaskFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises every writer",
    ),
]


def test_only_the_first_merged_pr_completes_the_task():
    task = TaskFactory(edition=EditionFactory(number=31))
    claims = [ClaimFactory(task=task) for _ in range(6)]
    barrier = threading.Barrier(len(claims))
    errors = []

    def merge(claim):
        try:
            barrier.wait()
            services.record_pull_request(
                claim,
                f"https://github.com/PaddlePaddle/Paddle/pull/{claim.pk}",
                Actor.system("github"),
                merged=True,
            )
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    task.refresh_from_db()
    states = sorted(Claim.objects.filter(task=task).values_list("state", flat=True))
    assert states.count(ClaimState.COMPLETED) == 1
    assert states.count(ClaimState.PARTIAL) == len(claims) - 1
    assert Claim.objects.get(task=task, state=ClaimState.COMPLETED) == task.completed_claim


def test_concurrent_staff_advances_complete_once():
    task = TaskFactory(edition=EditionFactory(number=32))
    claims = [ClaimFactory(task=task) for _ in range(5)]
    barrier = threading.Barrier(len(claims))
    outcomes = []

    def advance(claim):
        try:
            barrier.wait()
            services.advance_claim(claim, ClaimState.COMPLETED, Actor.system("github"))
            outcomes.append("ok")
        except services.ServiceError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=advance, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_completed"] * 4 + ["ok"]
    assert Task.objects.get(pk=task.pk).completed_claim.state == ClaimState.COMPLETED
