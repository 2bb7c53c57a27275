"""First-complete-wins under real concurrency: PostgreSQL, separate connections, threads."""

import pytest

from hackathon import transitions
from hackathon.models import Claim, ClaimState, Task
from hackathon.transitions import Actor
from tests.concurrency import run_at_once

from .factories import ClaimFactory, EditionFactory, TaskFactory

pytestmark = [
    pytest.mark.postgres(reason="SQLite serialises every writer"),
    pytest.mark.django_db(transaction=True),
]


def test_only_the_first_merged_pr_completes_the_task():
    task = TaskFactory(edition=EditionFactory(number=31))
    claims = [ClaimFactory(task=task) for _ in range(6)]

    def merge(claim):
        return lambda: transitions.record_pull_request(
            claim,
            f"https://github.com/PaddlePaddle/Paddle/pull/{claim.pk}",
            Actor.system("github"),
            merged=True,
        )

    run_at_once([merge(claim) for claim in claims])
    task.refresh_from_db()
    states = sorted(Claim.objects.filter(task=task).values_list("state", flat=True))
    assert states.count(ClaimState.COMPLETED) == 1
    assert states.count(ClaimState.PARTIAL) == len(claims) - 1
    assert Claim.objects.get(task=task, state=ClaimState.COMPLETED) == task.completed_claim


def test_concurrent_staff_advances_complete_once():
    task = TaskFactory(edition=EditionFactory(number=32))
    claims = [ClaimFactory(task=task) for _ in range(5)]

    def advance(claim):
        return lambda: transitions.advance_claim(
            claim, ClaimState.COMPLETED, Actor.system("github")
        )

    results = run_at_once(
        [advance(claim) for claim in claims], expected=transitions.TransitionError
    )
    outcomes = [r.code if isinstance(r, transitions.TransitionError) else "ok" for r in results]
    assert sorted(outcomes) == ["already_completed"] * 4 + ["ok"]
    assert Task.objects.get(pk=task.pk).completed_claim.state == ClaimState.COMPLETED
