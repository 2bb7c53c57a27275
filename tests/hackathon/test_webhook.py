"""`POST /webhooks/github/`: signed deliveries move claims through the transitions."""

import json

import pytest

from hackathon import github
from hackathon.models import (
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    PullRequest,
    PullRequestStatus,
    Repository,
    Task,
    WebhookDelivery,
)
from pfcc.models import OutgoingEmail, Person
from tests.factories import PersonFactory, UserFactory

from .factories import ClaimFactory, EditionFactory, TaskFactory
from .test_webhook_payloads import SECRET, URL, deliver, ping_payload, pr_payload

pytestmark = pytest.mark.django_db

PR_URL = "https://github.com/PaddlePaddle/Paddle/pull/70001"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET


@pytest.fixture
def listed(edition):
    return Repository.objects.create(edition=edition, full_name="PaddlePaddle/Paddle")


@pytest.fixture
def alice(db):
    user = UserFactory(username="alice")
    # Signed in with GitHub: the login is proven (github_id known), so webhooks credit it.
    return PersonFactory(github="alice-gh", user=user, github_id=1000 + sum(map(ord, "alice-gh")))


@pytest.fixture
def alice_claims(tasks, alice, listed):
    """Alice has claimed tasks 1–5 of the 7th edition."""
    return {task.number: ClaimFactory(task=task, person=alice) for task in tasks}


def state(claim):
    return Claim.objects.get(pk=claim.pk).state


def last_delivery():
    return WebhookDelivery.objects.order_by("-pk").first()


# --- Transport: signature, size, format -----------------------------------------------------


def test_ping_is_answered_and_recorded(client):
    response = deliver(client, "ping", ping_payload(), delivery_id="ping-1")
    assert response.status_code == 200
    assert response.json()["status"] == WebhookDelivery.State.PROCESSED
    delivery = WebhookDelivery.objects.get(delivery_id="ping-1")
    assert delivery.event == "ping"
    assert delivery.repository == "PaddlePaddle/Paddle"
    assert delivery.payload["zen"] == "Design for failure."


def test_unknown_event_is_ignored_with_204_and_recorded(client):
    response = deliver(client, "push", {"ref": "refs/heads/develop"}, delivery_id="push-1")
    assert response.status_code == 204
    delivery = WebhookDelivery.objects.get(delivery_id="push-1")
    assert delivery.state == WebhookDelivery.State.IGNORED
    assert delivery.payload == {}
    assert "push" in delivery.result


def test_missing_signature_is_refused(client, alice_claims):
    response = deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"), secret=None
    )
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()
    assert state(alice_claims[1]) == ClaimState.CLAIMED


@pytest.mark.parametrize(
    "signature",
    [
        "sha256=" + "0" * 64,
        "sha1=2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=",
        "sha256=é",
    ],
)
def test_wrong_signature_is_refused(client, alice_claims, signature):
    response = deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"), signature=signature
    )
    assert response.status_code == 403
    assert not WebhookDelivery.objects.exists()


def test_signature_made_with_another_secret_is_refused(client, alice_claims):
    payload = pr_payload("opened", "【Hackathon 7th No.1】x")
    assert deliver(client, "pull_request", payload, secret="not-the-secret").status_code == 403
    assert state(alice_claims[1]) == ClaimState.CLAIMED


def test_a_body_changed_after_signing_is_refused(client):
    from hackathon.webhooks import signature_for

    body = json.dumps(ping_payload()).encode()
    signature = signature_for(SECRET, body)
    tampered = body.replace(b"Design", b"Design!")
    assert deliver(client, "ping", tampered, signature=signature).status_code == 403


def test_without_a_configured_secret_everything_is_refused(client, settings, caplog):
    settings.GITHUB_WEBHOOK_SECRET = ""
    response = deliver(client, "ping", ping_payload(), secret="")
    assert response.status_code == 403
    assert "GITHUB_WEBHOOK_SECRET" in caplog.text


def test_only_post(client):
    assert client.get(URL).status_code == 405
    assert client.put(URL).status_code == 405


def test_body_over_the_limit_is_refused(client, monkeypatch):
    monkeypatch.setattr("hackathon.webhooks.MAX_BODY_BYTES", 1000)
    payload = ping_payload() | {"padding": "x" * 2000}
    response = deliver(client, "ping", payload)
    assert response.status_code == 413
    assert not WebhookDelivery.objects.exists()


def test_content_length_over_the_limit_is_refused_before_reading(client):
    response = deliver(client, "ping", ping_payload(), CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert response.status_code == 413


def test_real_body_over_the_limit_is_refused_even_with_a_small_content_length(rf, settings):
    from hackathon.webhooks import MAX_BODY_BYTES, github_webhook, signature_for

    body = json.dumps({"zen": "x" * (MAX_BODY_BYTES + 10)}).encode()
    request = rf.generic(
        "POST",
        URL,
        body,
        content_type="application/json",
        HTTP_X_GITHUB_EVENT="ping",
        HTTP_X_GITHUB_DELIVERY="big-1",
        HTTP_X_HUB_SIGNATURE_256=signature_for(SECRET, body),
    )
    request.META["CONTENT_LENGTH"] = "10"
    request._body = body  # what a server that ignored Content-Length would hand over
    assert github_webhook(request).status_code == 413


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b"{not json", 400), (b"[1, 2]", 400), (b"\xff\xfe\x00", 400), (b"[" * 100000, 400)],
)
def test_malformed_json_is_a_400_not_a_500(client, body, expected):
    response = deliver(client, "pull_request", body)
    assert response.status_code == expected
    assert "error" in response.json()
    assert not WebhookDelivery.objects.exists()


def test_form_encoded_payloads_are_refused(client):
    response = deliver(
        client, "ping", b"payload=%7B%7D", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_GITHUB_EVENT": ""},
        {"HTTP_X_GITHUB_DELIVERY": ""},
        {"HTTP_X_GITHUB_DELIVERY": "x" * 101},
        {"HTTP_X_GITHUB_DELIVERY": "bad id!"},
    ],
)
def test_missing_headers_are_a_400(client, headers):
    assert deliver(client, "ping", ping_payload(), **headers).status_code == 400


def test_no_csrf_token_needed(alice_claims):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = deliver(strict, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"))
    assert response.status_code == 200


# --- Effects --------------------------------------------------------------------------------


def test_opened_pr_adds_the_link_and_moves_the_claim_to_pr_submitted(client, alice_claims):
    response = deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】新增 API")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == WebhookDelivery.State.PROCESSED
    claim = Claim.objects.get(pk=alice_claims[1].pk)
    assert claim.state == ClaimState.PR_SUBMITTED
    assert list(claim.pull_requests.values_list("url", "merged")) == [(PR_URL, False)]
    change = claim.history.order_by("-pk").first()
    assert (change.from_state, change.to_state, change.actor_label) == (1, 4, "github")
    delivery = last_delivery()
    assert delivery.pull_request_url == PR_URL
    assert delivery.author == "alice-gh"
    assert "No.1" in delivery.result
    status = PullRequestStatus.objects.get()
    assert (status.state, status.title, status.author) == (
        "open",
        "【Hackathon 7th No.1】新增 API",
        "alice-gh",
    )


def test_opened_pr_never_moves_a_claim_down(client, alice_claims, staff_user):
    from hackathon import transitions

    transitions.advance_claim(alice_claims[2], ClaimState.PARTIAL, staff_user)
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.2】x"))
    assert state(alice_claims[2]) == ClaimState.PARTIAL
    assert PullRequest.objects.filter(claim=alice_claims[2], url=PR_URL).exists()


def test_merged_final_pr_completes_the_task(client, alice_claims, mailoutbox):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.3】x"))
    deliver(client, "pull_request", pr_payload("closed", "【Hackathon 7th No.3】x", merged=True))
    claim = Claim.objects.get(pk=alice_claims[3].pk)
    assert claim.state == ClaimState.COMPLETED
    assert claim.task.completed_claim == claim
    assert claim.pull_requests.get().merged
    assert PullRequestStatus.objects.get().state == "merged"
    # The claimant hears about it (through the services' mail).
    assert OutgoingEmail.objects.filter(to=[alice_claims[3].person.user.email]).exists()


def test_merged_part_pr_moves_to_partial_and_the_final_one_completes(client, alice_claims):
    deliver(
        client,
        "pull_request",
        pr_payload("closed", "【Hackathon 7th No.4】第一部分 -part", merged=True, number=1),
    )
    assert state(alice_claims[4]) == ClaimState.PARTIAL
    assert Task.objects.get(number=4).completed_claim is None
    deliver(
        client,
        "pull_request",
        pr_payload("closed", "【Hackathon 7th No.4】收尾 -final", merged=True, number=2),
    )
    assert state(alice_claims[4]) == ClaimState.COMPLETED
    assert PullRequest.objects.filter(claim=alice_claims[4], merged=True).count() == 2


def test_several_tasks_in_one_pr(client, edition, direction, alice, listed):
    tasks = {n: TaskFactory(edition=edition, direction=direction, number=n) for n in range(24, 31)}
    claims = {n: ClaimFactory(task=tasks[n], person=alice) for n in (24, 26, 27, 28, 30)}
    title = "【Hackathon 7th No.24、26-28、30】为 Paddle 新增 API"
    deliver(client, "pull_request", pr_payload("closed", title, merged=True))
    for claim in claims.values():
        assert state(claim) == ClaimState.COMPLETED
    assert not Claim.objects.filter(task=tasks[25]).exists()
    assert not Claim.objects.filter(task=tasks[29]).exists()


def test_closed_without_merge_changes_no_state(client, alice_claims):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.5】x"))
    deliver(client, "pull_request", pr_payload("closed", "【Hackathon 7th No.5】x", merged=False))
    assert state(alice_claims[5]) == ClaimState.PR_SUBMITTED
    assert last_delivery().state == WebhookDelivery.State.IGNORED
    assert PullRequestStatus.objects.get().state == "closed"


def test_closed_unmerged_pr_of_an_unclaimed_task_creates_nothing(client, tasks, alice, listed):
    deliver(client, "pull_request", pr_payload("closed", "【Hackathon 7th No.1】x"))
    assert not Claim.objects.exists()


def test_edited_title_applies_the_new_tasks(client, alice_claims):
    deliver(client, "pull_request", pr_payload("opened", "为 Paddle 新增 API"))
    assert last_delivery().state == WebhookDelivery.State.IGNORED
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    edited = pr_payload(
        "edited",
        "【Hackathon 7th No.1】为 Paddle 新增 API",
        changes={"title": {"from": "为 Paddle 新增 API"}},
    )
    deliver(client, "pull_request", edited)
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED
    assert PullRequestStatus.objects.get().title == "【Hackathon 7th No.1】为 Paddle 新增 API"


def test_edited_title_moves_the_link_from_the_old_task(client, alice_claims):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"))
    edited = pr_payload(
        "edited", "【Hackathon 7th No.2】x", changes={"title": {"from": "【Hackathon 7th No.1】x"}}
    )
    deliver(client, "pull_request", edited)
    assert state(alice_claims[2]) == ClaimState.PR_SUBMITTED
    assert PullRequest.objects.filter(claim=alice_claims[2], url=PR_URL).exists()
    assert not PullRequest.objects.filter(claim=alice_claims[1]).exists()
    # States only go up: the old claim stays, and staff are told.
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED
    delivery = last_delivery()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert "No.1" in delivery.result


def test_edited_body_only_changes_nothing(client, alice_claims):
    edited = pr_payload("edited", "【Hackathon 7th No.1】x", changes={"body": {"from": "old"}})
    deliver(client, "pull_request", edited)
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    assert last_delivery().state == WebhookDelivery.State.IGNORED


def test_title_fixed_after_the_merge_completes_the_task(client, alice_claims):
    """A merged PR whose malformed title a maintainer corrects afterwards still counts."""
    deliver(client, "pull_request", pr_payload("closed", "Hackathon No.1 x", merged=True))
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW
    edited = pr_payload(
        "edited",
        "【Hackathon 7th No.1】x",
        merged=True,
        state="closed",
        changes={"title": {"from": "Hackathon No.1 x"}},
    )
    deliver(client, "pull_request", edited)
    assert state(alice_claims[1]) == ClaimState.COMPLETED


def test_other_actions_only_refresh_the_status(client, alice_claims):
    deliver(client, "pull_request", pr_payload("synchronize", "【Hackathon 7th No.1】x"))
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    assert PullRequestStatus.objects.get().state == "open"
    assert last_delivery().state == WebhookDelivery.State.IGNORED


def test_reopened_pr_counts_as_open(client, alice_claims):
    deliver(client, "pull_request", pr_payload("reopened", "【Hackathon 7th No.1】x"))
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED


def test_first_merged_final_pr_wins(client, tasks, alice, listed):
    bob = PersonFactory(github="bob-gh")
    mine, theirs = (
        ClaimFactory(task=tasks[0], person=alice),
        ClaimFactory(task=tasks[0], person=bob),
    )
    deliver(client, "pull_request", pr_payload("closed", "【Hackathon 7th No.1】a", merged=True))
    deliver(
        client,
        "pull_request",
        pr_payload("closed", "【Hackathon 7th No.1】b", merged=True, number=2, login="bob-gh"),
    )
    assert state(mine) == ClaimState.COMPLETED
    assert state(theirs) == ClaimState.PARTIAL
    assert Task.objects.get(pk=tasks[0].pk).completed_claim_id == mine.pk
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW


def test_login_is_matched_case_insensitively_and_by_github_id(client, alice_claims, alice):
    deliver(
        client,
        "pull_request",
        pr_payload("opened", "【Hackathon 7th No.1】x", login="Alice-GH", user_id=alice.github_id),
    )
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED
    # Alice renamed her GitHub account; her numeric id still finds her.
    alice.github_id = 987654
    alice.save()
    renamed = pr_payload(
        "opened", "【Hackathon 7th No.2】x", number=2, login="alice-renamed", user_id=987654
    )
    deliver(client, "pull_request", renamed)
    assert state(alice_claims[2]) == ClaimState.PR_SUBMITTED
    assert Person.objects.count() == 1


# --- Unclaimed tasks, unknown people, things staff must look at -----------------------------


def test_pr_for_an_open_unclaimed_task_creates_the_claim(client, tasks, alice, listed):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.2】x"))
    claim = Claim.objects.get(task=tasks[1], person=alice)
    assert claim.state == ClaimState.PR_SUBMITTED
    assert list(claim.history.values_list("to_state", "actor_label")) == [
        (1, "github"),
        (4, "github"),
    ]


def test_pr_by_someone_unknown_creates_the_person_and_the_claim(client, tasks, listed):
    payload = pr_payload("opened", "【Hackathon 7th No.3】x", login="newcomer", user_id=555)
    response = deliver(client, "pull_request", payload)
    assert response.status_code == 200
    person = Person.objects.get(github="newcomer")
    assert person.github_id == 555
    assert person.user is None
    assert person.avatar_url.startswith("https://avatars.githubusercontent.com/")
    claim = Claim.objects.get(person=person)
    assert (claim.task.number, claim.state) == (3, ClaimState.PR_SUBMITTED)
    assert "@newcomer" in last_delivery().result


def test_pr_by_someone_unknown_for_a_completed_task_creates_nobody(client, tasks, listed):
    winner = ClaimFactory(task=tasks[0])
    from hackathon import transitions

    transitions.record_pull_request(
        winner, "https://github.com/PaddlePaddle/Paddle/pull/1", github.SYSTEM, merged=True
    )
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x", login="late"))
    assert not Person.objects.filter(github="late").exists()
    delivery = last_delivery()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert "completed" in delivery.result


def test_bot_authors_are_left_to_staff(client, tasks, listed):
    payload = pr_payload("opened", "【Hackathon 7th No.1】x", login="paddle-bot", user_type="Bot")
    deliver(client, "pull_request", payload)
    assert not Claim.objects.exists()
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW


def test_withdrawn_task_is_left_to_staff(client, alice_claims):
    Task.objects.filter(number=1).update(state=Task.State.WITHDRAWN)
    response = deliver(
        client, "pull_request", pr_payload("closed", "【Hackathon 7th No.1】x", merged=True)
    )
    assert response.status_code == 200
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    delivery = last_delivery()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert "withdrawn" in delivery.result


def test_unknown_task_and_edition_are_left_to_staff(client, alice_claims):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.99】x"))
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 3rd No.1】x", number=2))
    delivery = last_delivery()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert "3" in delivery.result
    assert all(state(claim) == ClaimState.CLAIMED for claim in alice_claims.values())


def test_repository_not_listed_for_the_edition_is_left_to_staff(client, alice_claims):
    payload = pr_payload("opened", "【Hackathon 7th No.1】x", repo="someone/fork")
    deliver(client, "pull_request", payload)
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    delivery = last_delivery()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert "someone/fork" in delivery.result
    # The PR's state is still remembered (camp reports link any repository).
    assert PullRequestStatus.objects.filter(key="someone/fork/70001").exists()


def test_repository_listed_for_another_edition_does_not_count(client, alice_claims):
    other = EditionFactory(number=8)
    Repository.objects.create(edition=other, full_name="PaddlePaddle/docs")
    deliver(
        client,
        "pull_request",
        pr_payload("opened", "【Hackathon 7th No.1】x", repo="PaddlePaddle/docs"),
    )
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW


def test_closed_edition_applies_merges_but_creates_no_claims(client, edition, alice_claims):
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    Claim.objects.filter(task__number=2).delete()
    deliver(client, "pull_request", pr_payload("closed", "【Hackathon 7th No.1、2】x", merged=True))
    assert state(alice_claims[1]) == ClaimState.COMPLETED
    assert not Claim.objects.filter(task__number=2).exists()
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW


def test_published_results_are_not_changed_by_a_late_merge(client, edition, alice_claims):
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.RESULTS_PUBLISHED)
    deliver(client, "pull_request", pr_payload("closed", "【Hackathon 7th No.1】x", merged=True))
    assert state(alice_claims[1]) == ClaimState.CLAIMED
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW


def test_malformed_tag_is_left_to_staff(client, alice_claims):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th】x"))
    delivery = last_delivery()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert delivery.result


def test_ordinary_pr_is_ignored(client, alice_claims):
    deliver(client, "pull_request", pr_payload("opened", "[Bug fix] fix a typo"))
    assert last_delivery().state == WebhookDelivery.State.IGNORED
    assert not PullRequest.objects.exists()


def test_payload_without_a_pull_request_is_a_recorded_review_not_a_500(client, listed):
    response = deliver(client, "pull_request", {"action": "opened", "pull_request": "nope"})
    assert response.status_code == 200
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW


# --- Redeliveries ---------------------------------------------------------------------------


def test_redelivery_of_the_same_id_changes_nothing(client, alice_claims):
    payload = pr_payload("closed", "【Hackathon 7th No.1】x", merged=True)
    first = deliver(client, "pull_request", payload, delivery_id="d-1")
    changes = ClaimStateChange.objects.count()
    again = deliver(client, "pull_request", payload, delivery_id="d-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["duplicate"] is True
    assert WebhookDelivery.objects.get(delivery_id="d-1").attempts == 1
    assert ClaimStateChange.objects.count() == changes


def test_same_event_with_a_new_delivery_id_is_harmless(client, alice_claims):
    payload = pr_payload("closed", "【Hackathon 7th No.1】x", merged=True)
    deliver(client, "pull_request", payload, delivery_id="d-1")
    changes = ClaimStateChange.objects.count()
    mails = OutgoingEmail.objects.count()
    deliver(client, "pull_request", payload, delivery_id="d-2")
    assert ClaimStateChange.objects.count() == changes
    assert OutgoingEmail.objects.count() == mails
    assert PullRequest.objects.count() == 1
    assert WebhookDelivery.objects.count() == 2


def test_late_open_event_does_not_undo_a_merge(client, alice_claims):
    merged = pr_payload(
        "closed", "【Hackathon 7th No.1】x", merged=True, updated_at="2026-11-20T09:00:00Z"
    )
    opened = pr_payload("opened", "【Hackathon 7th No.1】x", updated_at="2026-11-20T08:00:00Z")
    deliver(client, "pull_request", merged)
    deliver(client, "pull_request", opened)
    assert state(alice_claims[1]) == ClaimState.COMPLETED
    assert PullRequestStatus.objects.get().state == "merged"


# --- Failures and retries -------------------------------------------------------------------


def test_a_failure_is_recorded_rolled_back_and_retried(
    client, alice_claims, staff_user, monkeypatch
):
    original = github.transitions.record_pull_request

    def broken(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(github.transitions, "record_pull_request", broken)
    response = deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"), delivery_id="f-1"
    )
    assert response.status_code == 200
    delivery = WebhookDelivery.objects.get(delivery_id="f-1")
    assert delivery.state == WebhookDelivery.State.FAILED
    assert "database hiccup" in delivery.error
    assert not PullRequestStatus.objects.exists()  # rolled back with the rest

    monkeypatch.setattr(github.transitions, "record_pull_request", original)
    github.retry_delivery(delivery, staff_user)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.PROCESSED
    assert (delivery.attempts, delivery.error) == (2, "")
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED


def test_github_redelivery_of_a_failed_delivery_runs_it_again(client, alice_claims, monkeypatch):
    original = github.transitions.record_pull_request
    monkeypatch.setattr(
        github.transitions,
        "record_pull_request",
        lambda *a, **k: (_ for _ in ()).throw(RuntimeError),
    )
    payload = pr_payload("opened", "【Hackathon 7th No.1】x")
    deliver(client, "pull_request", payload, delivery_id="f-2")
    monkeypatch.setattr(github.transitions, "record_pull_request", original)
    response = deliver(client, "pull_request", payload, delivery_id="f-2")
    assert response.json()["status"] == WebhookDelivery.State.PROCESSED
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED


def test_retry_after_staff_list_the_repository(client, edition, tasks, alice, staff_user):
    ClaimFactory(task=tasks[0], person=alice)
    deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"), delivery_id="r-1"
    )
    delivery = WebhookDelivery.objects.get(delivery_id="r-1")
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    Repository.objects.create(edition=edition, full_name="paddlepaddle/paddle")
    github.retry_delivery(delivery, staff_user)
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == WebhookDelivery.State.PROCESSED
    assert Claim.objects.get(task=tasks[0]).state == ClaimState.PR_SUBMITTED


def test_only_staff_retry_and_only_what_can_be_retried(client, alice_claims, user, staff_user):
    from hackathon import transitions

    deliver(
        client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"), delivery_id="ok"
    )
    delivery = WebhookDelivery.objects.get(delivery_id="ok")
    with pytest.raises(transitions.NotAllowed):
        github.retry_delivery(delivery, user)
    with pytest.raises(transitions.TransitionError) as error:
        github.retry_delivery(delivery, staff_user)
    assert error.value.code == "not_retryable"


def test_odd_but_signed_payloads_are_recorded_not_500s(client, alice_claims):
    nul = pr_payload("opened", "【Hackathon 7th No.1】a\x00b", updated_at="2026-11-20T08:00:00")
    assert deliver(client, "pull_request", nul).status_code == 200
    assert state(alice_claims[1]) == ClaimState.PR_SUBMITTED
    assert PullRequestStatus.objects.get().title == "【Hackathon 7th No.1】ab"
    weird = pr_payload("opened", ["not", "a", "title"], number=2)
    weird["pull_request"]["user"] = "nobody"
    weird["pull_request"]["updated_at"] = "yesterday"
    assert deliver(client, "pull_request", weird).status_code == 200
    assert last_delivery().state != WebhookDelivery.State.FAILED


def test_a_sprint_title_is_never_credited_to_the_main_set(client, alice_claims):
    """`【Hackathon 7th Sprint No.2】` is task 2 of the Sprint set; with no such set, nothing
    moves (it used to complete the main set's task 2)."""
    title = "【Hackathon 7th Sprint No.2、3】为 Paddle 新增 API -part"
    deliver(client, "pull_request", pr_payload("closed", title, merged=True))
    assert state(alice_claims[2]) == state(alice_claims[3]) == ClaimState.CLAIMED
    assert last_delivery().state == WebhookDelivery.State.NEEDS_REVIEW
    assert "hackathon 7th sprint" in last_delivery().result
