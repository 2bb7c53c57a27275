"""Replaying GitHub's deliveries: PRs and comments across three sets with overlapping numbers,
an RFC PR, a held code PR and a withdrawal, delivered once in GitHub's order, then delivered
again in any order (GitHub's "Redeliver" keeps the delivery id; a re-sent event may carry a
new one): the board stays the same."""

import random

import pytest

from hackathon.models import Claim, ClaimState, WebhookDelivery

from .test_task_sets import (  # noqa: F401 (fixtures)
    _secret,
    comment_payload,
    people,
    sets,
)
from .test_webhook_payloads import deliver, pr_payload

pytestmark = pytest.mark.django_db


def history():
    """(delivery id, event, payload) in the order GitHub sent them."""
    sprint = "【Hackathon 9th Sprint No.{}】"
    events = [
        ("issue_comment", comment_payload("【报名】：1、2", comment_id=11)),
        ("issue_comment", comment_payload("【报名】：3", login="bob-gh", comment_id=13)),
        ("issue_comment", comment_payload("【取消报名】：2", comment_id=12)),
        ("pull_request", pr_payload("opened", sprint.format(1) + "impl", number=1001)),
        ("pull_request", pr_payload("closed", sprint.format(1) + "impl", number=1001, merged=True)),
        ("pull_request", pr_payload("opened", "【Hackathon 9th No.1】main", number=1002)),
        ("pull_request", pr_payload("opened", "[API Compatibility No.1] api", number=1003)),
        ("pull_request", pr_payload("opened", "[API Compatibility No.2] x", number=1007, login="bob-gh")),
        ("pull_request", pr_payload("opened", sprint.format(3) + "RFC", number=1004, login="bob-gh",
                                    repo="PaddlePaddle/community")),
        ("pull_request", pr_payload("closed", sprint.format(3) + "RFC", number=1004, login="bob-gh",
                                    repo="PaddlePaddle/community", merged=True)),
        ("pull_request", pr_payload("opened", sprint.format(3) + "code", number=1005, login="bob-gh")),
        # alice's code on the RFC task without a design document: recorded and held.
        ("pull_request", pr_payload("opened", sprint.format(3) + "直接实现", number=1006)),
    ]  # fmt: skip
    return [(f"d-{i}", event, payload) for i, (event, payload) in enumerate(events)]


def board():
    return sorted(
        (
            claim.task.task_set.slug,
            claim.task.number,
            claim.person.github,
            claim.state,
            tuple(sorted((p.url, p.merged, p.held_state) for p in claim.pull_requests.all())),
        )
        for claim in Claim.objects.select_related("task__task_set", "person").prefetch_related(
            "pull_requests"
        )
    )


EXPECTED = [
    ("api-compatibility", 1, "alice-gh", ClaimState.PR_SUBMITTED),
    ("api-compatibility", 2, "bob-gh", ClaimState.PR_SUBMITTED),
    ("hackathon-9", 1, "alice-gh", ClaimState.PR_SUBMITTED),
    ("hackathon-9-sprint", 1, "alice-gh", ClaimState.COMPLETED),
    ("hackathon-9-sprint", 3, "alice-gh", ClaimState.CLAIMED),  # held
    ("hackathon-9-sprint", 3, "bob-gh", ClaimState.PR_SUBMITTED),
]


@pytest.mark.parametrize("seed", [1, 2, 3, "reversed"])
def test_redelivering_in_any_order_gives_the_same_board(client, sets, people, seed):  # noqa: F811
    for delivery_id, event, payload in history():
        deliver(client, event, payload, delivery_id=delivery_id)
    first = board()
    assert [row[:4] for row in first] == EXPECTED  # sprint No.2 was withdrawn
    held = [row for row in first if row[2] == "alice-gh" and row[1] == 3][0]
    assert held[4][0][2] == ClaimState.PR_SUBMITTED  # the held PR waits for staff
    assert not WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED).exists()

    again = history()
    if seed == "reversed":
        again.reverse()
    else:
        random.Random(seed).shuffle(again)
    # GitHub's "Redeliver" (same delivery id) ...
    for delivery_id, event, payload in again:
        deliver(client, event, payload, delivery_id=delivery_id)
    assert board() == first
    # ... and the same events sent again under new ids (a webhook set up twice, a re-sync).
    for delivery_id, event, payload in again:
        deliver(client, event, payload, delivery_id=f"{delivery_id}-again-{seed}")
    assert board() == first
    assert not WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED).exists()


def test_a_new_comment_after_the_withdrawal_claims_again(client, sets, people):  # noqa: F811
    for delivery_id, event, payload in history():
        deliver(client, event, payload, delivery_id=delivery_id)
    deliver(client, "issue_comment", comment_payload("【报名】：2", comment_id=99))
    assert ("hackathon-9-sprint", 2, "alice-gh", ClaimState.CLAIMED) in [row[:4] for row in board()]
