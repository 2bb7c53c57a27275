"""Task sets as the community runs them: an edition's main set, its Sprint (numbered from 1
again), a standalone activity (API compatibility); PR titles go to the set their tag names,
RFC PRs move claims to 提交RFC / 完成设计文档, code PRs on RFC tasks wait, claims come from
comments on the set's task issue, and the site answers on GitHub (a fake GitHub on 127.0.0.1).

The titles are the community's own forms (the bot's config prefixes and test cases)."""

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hackathon import tasks as hackathon_tasks
from hackathon.models import (
    Claim,
    ClaimState,
    Edition,
    GitHubReply,
    Repository,
    Task,
    TaskSet,
    WebhookDelivery,
)
from tests.factories import PersonFactory, UserFactory

from .factories import EditionFactory
from .test_webhook_payloads import SECRET, deliver, pr_payload, repository_payload, user_payload

pytestmark = pytest.mark.django_db

SPRINT_ISSUE = "https://github.com/PaddlePaddle/Paddle/issues/77429"
COMMENTS_START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def uid(login):
    return 1000 + sum(map(ord, login))


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    settings.GITHUB_TOKEN = ""


@pytest.fixture
def sets(db):
    edition = EditionFactory(number=9, state=Edition.State.OPEN)
    main = TaskSet.main_of(edition)
    Repository.objects.create(edition=edition, full_name="PaddlePaddle/Paddle")
    sprint = TaskSet.objects.create(
        edition=edition,
        slug="hackathon-9-sprint",
        name="Sprint",
        title_tags="Hackathon 9th Sprint",
        repositories="PaddlePaddle/Paddle",
        rfc_repository="PaddlePaddle/community",
        issue_url=SPRINT_ISSUE,
    )
    api = TaskSet.objects.create(
        slug="api-compatibility",
        name="PaddlePaddle API兼容性增强",
        title_tags="API Compatibility",
        repositories="PaddlePaddle/Paddle\nPaddlePaddle/PaConvert",
        issue_url="https://github.com/PaddlePaddle/Paddle/issues/76301",
    )
    for task_set in (main, sprint, api):
        for number in range(1, 6):
            Task.objects.create(
                task_set=task_set,
                number=number,
                title=f"{task_set.name} {number}",
                needs_rfc=task_set == sprint and number == 3,
            )
    return {"main": main, "sprint": sprint, "api": api}


@pytest.fixture
def people(db):
    return {
        login: PersonFactory(github=login, github_id=uid(login), user=UserFactory())
        for login in ("alice-gh", "bob-gh")
    }


def comment_payload(
    body, login="alice-gh", issue=77429, comment_id=1, action="created", written=None
):
    """GitHub's `issue_comment` payload; the comment was written `comment_id` seconds after a
    fixed time unless `written` (seconds) says otherwise (GitHub's ids grow with time)."""
    at = COMMENTS_START + timedelta(seconds=comment_id if written is None else written)
    at = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "action": action,
        "issue": {"number": issue, "title": "【Hackathon 9th Sprint】任务合集", "state": "open"},
        "comment": {
            "id": comment_id,
            "html_url": f"https://github.com/PaddlePaddle/Paddle/issues/{issue}#issuecomment-{comment_id}",
            "body": body,
            "created_at": at,
            "updated_at": at,
            "user": user_payload(login),
        },
        "repository": repository_payload(),
        "sender": user_payload(login),
    }


def states(task_set):
    return {
        (claim.task.number, claim.person.github): claim.state
        for claim in Claim.objects.filter(task__task_set=task_set).select_related("task", "person")
    }


def last():
    return WebhookDelivery.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    ("title", "set_name", "numbers"),
    [
        ("【Hackathon 9th Sprint No.3】为 Paddle 新增 xxx API", "sprint", [3]),
        ("[Hackathon 9th Sprint No.1、2] fix doc -part", "sprint", [1, 2]),
        ("【HACKATHON 9th Sprint No.4-5】 support bf16", "sprint", [4, 5]),
        ("【Hackathon 9th No.2】main challenge task", "main", [2]),
        ("【Hackathon 第九期 No.4】中文期数", "main", [4]),
        ("[API Compatibility No.2] torch.add alias", "api", [2]),
        ("【API Compatibility No.1,5】 paddle.abs 兼容", "api", [1, 5]),
    ],
)
def test_a_title_goes_to_the_set_its_tag_names(client, sets, people, title, set_name, numbers):
    deliver(client, "pull_request", pr_payload("opened", title, number=900))
    credited = sorted(number for number, _login in states(sets[set_name]))
    assert credited == numbers, last().result
    others = [s for name, s in sets.items() if name != set_name]
    assert all(not states(other) for other in others)


def test_an_unknown_tag_credits_nothing_and_is_answered(client, sets, people):
    deliver(client, "pull_request", pr_payload("opened", "【0-size Tensor Job2 No.7】fix"))
    assert not Claim.objects.exists()
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW
    reply = GitHubReply.objects.get()
    assert reply.state == GitHubReply.State.RECORDED  # no token: recorded only
    assert "0-size tensor job2" in reply.body


def test_rfc_prs_move_to_rfc_submitted_then_design_done(client, sets, people):
    title = "【Hackathon 9th Sprint No.3】RFC: 设计文档"
    rfc = pr_payload("opened", title, number=801, repo="PaddlePaddle/community")
    deliver(client, "pull_request", rfc)
    assert states(sets["sprint"]) == {(3, "alice-gh"): ClaimState.RFC_SUBMITTED}
    merged = pr_payload("closed", title, number=801, repo="PaddlePaddle/community", merged=True)
    deliver(client, "pull_request", merged)
    assert states(sets["sprint"]) == {(3, "alice-gh"): ClaimState.DESIGN_DONE}
    # Then the code: 提交PR, and merged, 完成任务.
    code = "【Hackathon 9th Sprint No.3】实现"
    deliver(client, "pull_request", pr_payload("closed", code, number=802, merged=True))
    assert states(sets["sprint"]) == {(3, "alice-gh"): ClaimState.COMPLETED}


def test_a_code_pr_before_the_rfc_is_recorded_and_held(client, sets, people):
    title = "【Hackathon 9th Sprint No.3】直接实现"
    deliver(client, "pull_request", pr_payload("closed", title, number=803, merged=True))
    claim = Claim.objects.get(task__task_set=sets["sprint"], task__number=3)
    assert claim.state == ClaimState.CLAIMED
    assert claim.pull_requests.get().url.endswith("/pull/803")
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW
    assert "需要先提交rfc并通过后，再完成代码开发" in GitHubReply.objects.get().body


def test_a_number_the_set_does_not_have_is_answered_in_the_bots_words(client, sets, people):
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 9th Sprint No.33】x"))
    assert "PR赛题编号【33】不存在" in GitHubReply.objects.get().body
    # A redelivery (new id, same PR) does not answer twice.
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 9th Sprint No.33】x"))
    assert GitHubReply.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        ("【报名】：2、3", [2, 3]),
        ("【报名】:4", [4]),
        ("【报名】1-2", [1, 2]),
        ("【报名】：１、５ SDGD优化器", [1, 5]),
    ],
)
def test_comments_on_the_task_issue_claim(client, sets, people, body, numbers):
    deliver(client, "issue_comment", comment_payload(body))
    assert sorted(n for n, _login in states(sets["sprint"])) == numbers
    assert not states(sets["main"])
    reply = GitHubReply.objects.get()
    assert "报名成功" in reply.body and "/hackathon/sets/hackathon-9-sprint/" in reply.body


def test_withdrawing_by_comment_and_refusals(client, sets, people):
    deliver(client, "issue_comment", comment_payload("【报名】：2、3、33", comment_id=1))
    assert sorted(n for n, _login in states(sets["sprint"])) == [2, 3]
    assert GitHubReply.objects.filter(body__contains="报名赛题编号【33】不存在").exists()
    deliver(client, "issue_comment", comment_payload("【取消报名】：3", comment_id=2))
    assert sorted(n for n, _login in states(sets["sprint"])) == [2]
    task = Task.objects.get(task_set=sets["sprint"], number=3)
    assert task.events.get().action == "withdraw_claim"
    deliver(client, "issue_comment", comment_payload("报名: 3", comment_id=3))
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW
    # A comment on another issue claims nothing; a deleted comment changes nothing.
    deliver(client, "issue_comment", comment_payload("【报名】：4", issue=1, comment_id=4))
    deliver(client, "issue_comment", comment_payload("【报名】：2", action="deleted", comment_id=1))
    assert sorted(n for n, _login in states(sets["sprint"])) == [2]


def test_a_claim_from_a_comment_is_the_same_as_from_the_form(client, sets, people):
    deliver(client, "issue_comment", comment_payload("【报名】：1"))
    claim = Claim.objects.get()
    entry = claim.history.get()
    assert (entry.action, entry.to_state, entry.actor_label) == ("claim", 1, "github")


def _sequence():
    code = "【Hackathon 9th Sprint No.1】impl"
    rfc = "【Hackathon 9th Sprint No.3】RFC"
    return [
        ("issue_comment", comment_payload("【报名】：1、2", comment_id=11)),
        ("issue_comment", comment_payload("【取消报名】：2", comment_id=12)),
        ("issue_comment", comment_payload("【报名】：3", login="bob-gh", comment_id=13)),
        ("pull_request", pr_payload("opened", code, number=1001)),
        ("pull_request", pr_payload("closed", code, number=1001, merged=True)),
        ("pull_request", pr_payload("opened", "【Hackathon 9th No.1】main", number=1002)),
        ("pull_request", pr_payload("opened", "[API Compatibility No.1] api", number=1003)),
        (
            "pull_request",
            pr_payload(
                "closed",
                rfc,
                number=1004,
                login="bob-gh",
                repo="PaddlePaddle/community",
                merged=True,
            ),
        ),
        (
            "pull_request",
            pr_payload("opened", "【Hackathon 9th Sprint No.3】code", number=1005, login="bob-gh"),
        ),
    ]


def _board():
    return sorted(
        (c.task.task_set.slug, c.task.number, c.person.github, c.state)
        for c in Claim.objects.select_related("task__task_set", "person")
    )


def test_replaying_deliveries_in_another_order_gives_the_same_board(client, sets, people):
    """Each delivery once, in order; then everything redelivered shuffled: nothing changes."""
    for event, payload in _sequence():
        deliver(client, event, payload)
    board = _board()
    assert ("hackathon-9-sprint", 1, "alice-gh", ClaimState.COMPLETED) in board
    assert ("hackathon-9-sprint", 3, "bob-gh", ClaimState.PR_SUBMITTED) in board
    assert ("hackathon-9", 1, "alice-gh", ClaimState.PR_SUBMITTED) in board
    assert ("api-compatibility", 1, "alice-gh", ClaimState.PR_SUBMITTED) in board
    assert not any(number == 2 and slug == "hackathon-9-sprint" for slug, number, *_ in board)
    again = _sequence()
    random.Random(7).shuffle(again)
    for event, payload in again:
        if event == "issue_comment" and "取消" not in payload["comment"]["body"]:
            payload["action"] = "edited"
        deliver(client, event, payload)
    replayed = _board()
    # Redelivered claims of a withdrawn task come back only by a new comment; the rest is equal.
    assert [row for row in replayed if row[1] != 2] == [row for row in board if row[1] != 2]


# --- Replies on GitHub through a fake API on 127.0.0.1 -----------------------------------------


class FakeGitHub(BaseHTTPRequestHandler):
    posted: list = []
    fail_next = 0

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if FakeGitHub.fail_next:
            FakeGitHub.fail_next -= 1
            self.send_response(502)
            self.end_headers()
            return
        FakeGitHub.posted.append((self.path, self.headers.get("Authorization"), body["body"]))
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": 1}')

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_github(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGitHub.posted = []
    settings.GITHUB_TOKEN = "test-token"
    settings.GITHUB_API_URL = f"http://127.0.0.1:{server.server_address[1]}"
    yield FakeGitHub
    server.shutdown()
    server.server_close()


def test_with_a_token_the_reply_is_posted_once_and_retried_after_a_failure(
    client, sets, people, fake_github
):
    fake_github.fail_next = 1  # GitHub fails once: the reply stays pending, then goes out
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 9th Sprint No.33】x"))
    reply = GitHubReply.objects.get()
    for _attempt in range(3):
        if reply.state != GitHubReply.State.PENDING:
            break
        hackathon_tasks.post_reply.call(reply.pk)
        reply.refresh_from_db()
    assert (reply.state, reply.attempts) == (GitHubReply.State.SENT, 2)
    [(path, auth, body)] = fake_github.posted
    assert path == "/repos/PaddlePaddle/Paddle/issues/70001/comments"
    assert auth == "Bearer test-token"
    assert body.startswith("@alice-gh PR赛题编号【33】不存在")
    assert hackathon_tasks.post_reply.call(reply.pk) is False  # sent: never twice
    assert [e.action for e in reply.events.all()] == ["queue", "fail", "send"]


class FakePulls(BaseHTTPRequestHandler):
    authors = {"/repos/paddlepaddle/paddle/pulls/501": "alice-gh"}  # GitHub ignores case

    def do_GET(self):
        author = FakePulls.authors.get(self.path.lower())
        self.send_response(200 if author else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"user": {"login": author}} if author else {}).encode())

    def log_message(self, *args):
        pass


def test_with_a_token_a_pr_link_added_by_hand_is_checked_on_github(settings, sets, people):
    from hackathon import transitions

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePulls)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.GITHUB_TOKEN = "test-token"
    settings.GITHUB_API_URL = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        alice, bob = people["alice-gh"], people["bob-gh"]
        task = Task.objects.get(task_set=sets["main"], number=1)
        mine = Claim.objects.create(task=task, person=alice)
        theirs = Claim.objects.create(task=task, person=bob)
        base = "https://github.com/PaddlePaddle/Paddle/pull/"
        with pytest.raises(transitions.TransitionError, match="does not exist"):
            transitions.record_pull_request(mine, base + "999", alice.user)
        with pytest.raises(transitions.TransitionError, match="opened by @alice-gh"):
            transitions.record_pull_request(theirs, base + "501", bob.user)
        transitions.record_pull_request(mine, base + "501", alice.user)
        mine.refresh_from_db()
        assert mine.state == ClaimState.PR_SUBMITTED
    finally:
        server.shutdown()
        server.server_close()


def test_claims_in_other_sets_link_to_their_own_task_and_download_with_the_person(client, sets):
    """The person page names each claim's set and links to that set's task (a Sprint task 3 is
    not the main set's task 3); a standalone activity's claim has no edition and still comes
    with the contributor's data download."""
    from django.urls import reverse

    user = UserFactory()
    person = PersonFactory(user=user, github="sprinter")
    sprint_task = sets["sprint"].tasks.get(number=3)
    api_task = sets["api"].tasks.get(number=2)
    Claim.objects.create(task=sprint_task, person=person)
    Claim.objects.create(task=api_task, person=person)

    page = client.get(reverse("pfcc:person", args=["sprinter"])).content.decode()
    assert f'href="{sprint_task.get_absolute_url()}"' in page
    assert f'href="{api_task.get_absolute_url()}"' in page
    assert "/hackathon/9/tasks/3/" not in page
    assert f'>{sets["sprint"]}</a> · <a href="{sprint_task.get_absolute_url()}">No.3 ' in page

    client.force_login(user)
    data = json.loads(client.get(reverse("pfcc:account_data")).content)
    claims = {claim["set_name"]: claim for claim in data["hackathon"]["claims"]}
    assert claims["PaddlePaddle API兼容性增强"]["edition"] is None
    assert claims["Sprint"]["edition"] == 9 and claims["Sprint"]["task"] == 3


def test_a_standalone_activity_with_published_results_leaves_new_work_to_staff(
    client, sets, people
):
    from hackathon import transitions
    from tests.factories import StaffFactory

    api = sets["api"]
    TaskSet.objects.filter(pk=api.pk).update(star_value=500)
    api.refresh_from_db()
    transitions.publish_results(api, StaffFactory())
    deliver(client, "pull_request", pr_payload("opened", "[API Compatibility No.1] x", number=9))
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW
    deliver(client, "issue_comment", comment_payload("【报名】：2", issue=76301, comment_id=5))
    assert last().state == WebhookDelivery.State.NEEDS_REVIEW
    assert not Claim.objects.filter(task__task_set=api).exists()
