"""Replaying GitHub's deliveries: PRs and comments across three sets with overlapping numbers,
an RFC PR, a held code PR and a withdrawal, delivered once in GitHub's order, then delivered
again in any order (GitHub's "Redeliver" keeps the delivery id; a re-sent event may carry a
new one): the board stays the same."""

import itertools
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


# Comments take effect in the order they were written on GitHub (the comment's time, then its
# id), not in the order their deliveries arrive: a withdrawal delivered before the claim it
# withdraws (GitHub delivers late, or staff redeliver) still wins.
CLAIM = ("issue_comment", comment_payload("【报名】：1、2", comment_id=11))
WITHDRAW = ("issue_comment", comment_payload("【取消报名】：2", comment_id=12))
CLAIM_AGAIN = ("issue_comment", comment_payload("【报名】：2", comment_id=30))


def alice_on_the_sprint():
    return [row[1:4] for row in board() if row[0] == "hackathon-9-sprint" and row[2] == "alice-gh"]


def deliver_all(client, events, tag):
    for index, (event, payload) in enumerate(events):
        response = deliver(client, event, payload, delivery_id=f"{tag}-{index}")
        assert response.status_code == 200
    assert not WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED).exists()


def orders(events):
    """Every order of the events, and each order with every event sent twice (a redelivery
    under a new id right away, and the whole series again)."""
    for order in itertools.permutations(events):
        yield "once", list(order)
        yield "twice-each", [event for event in order for _copy in range(2)]
        yield "series-twice", list(order) * 2


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        pytest.param([CLAIM, WITHDRAW], [(1, "alice-gh", ClaimState.CLAIMED)], id="withdrawn"),
        pytest.param(
            [CLAIM, WITHDRAW, CLAIM_AGAIN],
            [(1, "alice-gh", ClaimState.CLAIMED), (2, "alice-gh", ClaimState.CLAIMED)],
            id="claimed-again",
        ),
    ],
)
def test_comments_count_in_the_order_they_were_written(client, sets, people, events, expected):  # noqa: F811
    # GitHub's order first: what everyone expects to see.
    deliver_all(client, events, "github")
    assert alice_on_the_sprint() == expected
    for number, (kind, order) in enumerate(orders(events)):
        Claim.objects.all().delete()
        WebhookDelivery.objects.all().delete()
        deliver_all(client, order, f"{kind}-{number}")
        assert alice_on_the_sprint() == expected, (kind, [p["comment"]["id"] for _e, p in order])


def test_a_withdrawal_delivered_first_explains_why_the_claim_does_not_count(client, sets, people):  # noqa: F811
    deliver(client, *WITHDRAW, delivery_id="w")
    deliver(client, *CLAIM, delivery_id="c")
    claim = WebhookDelivery.objects.get(delivery_id="c")
    assert "No.2: a later comment withdraws it" in claim.result
    assert "issuecomment-12" in claim.result  # the withdrawing comment's address
    assert alice_on_the_sprint() == [(1, "alice-gh", ClaimState.CLAIMED)]


def test_the_same_comment_edited_after_the_withdrawal_claims_again(client, sets, people):  # noqa: F811
    """An edit is written when it is made: a claim comment edited after the withdrawal (to add
    a task, say) claims what it names now, whatever order the deliveries come in."""
    edited = (
        "issue_comment",
        comment_payload("【报名】：1、2、4", comment_id=11, action="edited", written=40),
    )
    expected = [(n, "alice-gh", ClaimState.CLAIMED) for n in (1, 2, 4)]
    for number, order in enumerate(itertools.permutations([CLAIM, WITHDRAW, edited])):
        Claim.objects.all().delete()
        WebhookDelivery.objects.all().delete()
        deliver_all(client, list(order), f"edit-{number}")
        assert alice_on_the_sprint() == expected


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_comments_delivered_first_in_any_order_among_the_prs_give_githubs_board(
    client,
    sets,  # noqa: F811
    people,  # noqa: F811
    seed,
):
    """The comments arrive in any order, anywhere among the pull-request events (which keep
    theirs: a code PR opened before its RFC was merged is held whatever the delivery order, so
    their own order is a rule of its own, not a delivery accident)."""
    events = history()
    comments = [event for event in events if event[1] == "issue_comment"]
    pulls = [event for event in events if event[1] != "issue_comment"]
    rng = random.Random(seed)
    rng.shuffle(comments)
    mixed = list(pulls)
    for comment in comments:
        mixed.insert(rng.randrange(len(mixed) + 1), comment)
    for delivery_id, event, payload in mixed:
        deliver(client, event, payload, delivery_id=delivery_id)
    assert [row[:4] for row in board()] == EXPECTED


def test_someone_elses_later_withdrawal_does_not_count_against_a_claim(client, sets, people):  # noqa: F811
    bob_withdraws = (
        "issue_comment",
        comment_payload("【取消报名】：2", login="bob-gh", comment_id=50),
    )
    deliver_all(client, [bob_withdraws, CLAIM], "others")
    assert alice_on_the_sprint() == [(n, "alice-gh", ClaimState.CLAIMED) for n in (1, 2)]
