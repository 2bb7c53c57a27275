"""Results, rewards and the 看板 per task set; held code PRs released by staff.

An edition with a main set (¥2,000 a star) and a Sprint (¥1,000 a star, its own rule), both
numbering from 1; people complete tasks with the same numbers in both."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from hackathon import transitions
from hackathon.models import (
    Claim,
    ClaimState,
    ClaimStateChange,
    Edition,
    GitHubReply,
    PullRequest,
    Repository,
    Result,
    Task,
    TaskSet,
)
from pfcc.models import Person
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.queries import assert_flat_queries

from .factories import ClaimFactory, EditionFactory
from .test_webhook_payloads import SECRET, deliver, pr_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def sets(db):
    edition = EditionFactory(number=9, state=Edition.State.OPEN)
    main = TaskSet.main_of(edition)
    sprint = TaskSet.objects.create(
        edition=edition,
        slug="hackathon-9-sprint",
        name="Sprint",
        title_tags="Hackathon 9th Sprint",
        repositories="PaddlePaddle/Paddle",
        rfc_repository="PaddlePaddle/community",
        star_value=Decimal("1000"),
        order=1,
    )
    Repository.objects.create(edition=edition, full_name="PaddlePaddle/Paddle")
    for task_set in (main, sprint):
        for number in range(1, 5):
            Task.objects.create(
                task_set=task_set,
                number=number,
                title=f"{task_set.name} 任务 {number}",
                difficulty=Decimal(min(number, 3)),
                needs_rfc=task_set == sprint and number == 3,
            )
    return {"edition": edition, "main": main, "sprint": sprint}


def complete(task_set, number, person, staff):
    claim = ClaimFactory(task=Task.objects.get(task_set=task_set, number=number), person=person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    return claim


@pytest.fixture
def published(sets, staff):
    alice = PersonFactory(github="alice-gh")
    bob = PersonFactory(github="bob-gh")
    complete(sets["main"], 2, alice, staff)  # 2 stars × ¥2,000
    complete(sets["sprint"], 2, alice, staff)  # 2 stars × ¥1,000
    complete(sets["sprint"], 4, bob, staff)  # 3 stars × ¥1,000
    complete(sets["main"], 3, bob, staff)  # 3 stars × ¥2,000
    transitions.publish_results(sets["edition"], staff)
    return {"alice": alice, "bob": bob}


# --- Results and rewards -------------------------------------------------------------------


def test_each_sets_reward_rule_applies_to_its_own_tasks(sets, published):
    alice = Result.objects.get(person=published["alice"])
    bob = Result.objects.get(person=published["bob"])
    assert alice.reward == Decimal("6000.00")  # 2×2000 + 2×1000
    assert bob.reward == Decimal("9000.00")  # 3×2000 + 3×1000
    assert (bob.rank, alice.rank) == (1, 2)  # 6 stars before 4
    assert alice.by_set == [
        {"set": "hackathon-9", "name": "主赛题", "tasks": [2], "stars": "2", "reward": "4000.00"},
        {"set": "hackathon-9-sprint", "name": "Sprint", "tasks": [2], "stars": "2",
         "reward": "2000.00"},
    ]  # fmt: skip
    # The same number in two sets is two tasks, told apart by their set.
    assert alice.task_list == "主赛题 2 · Sprint 2"


def test_the_cap_applies_to_a_persons_total_over_the_sets(sets, staff):
    Edition.objects.filter(pk=sets["edition"].pk).update(reward_cap=Decimal("5000"))
    carol = PersonFactory(github="carol-gh")
    complete(sets["main"], 2, carol, staff)
    complete(sets["sprint"], 4, carol, staff)
    (result,) = transitions.compute_results(Edition.objects.get(pk=sets["edition"].pk), staff)
    assert result.reward == Decimal("5000.00")  # 4000 + 3000, capped
    assert [part["reward"] for part in result.by_set] == ["4000.00", "3000.00"]


def test_the_set_results_page_ranks_within_the_set(client, sets, published):
    html = client.get("/hackathon/sets/hackathon-9-sprint/results/").content.decode()
    table = html[html.index('data-testid="results"') :]
    assert table.index("bob-gh") < table.index("alice-gh")  # 3 stars before 2 in Sprint
    assert "3,000.00" in table and "Sprint" in table
    assert 'data-testid="set-rule"' in html and "¥1,000" in html
    # Reachable from the set's board, and the edition's results link every set.
    board = client.get("/hackathon/sets/hackathon-9-sprint/").content.decode()
    assert 'href="/hackathon/sets/hackathon-9-sprint/results/"' in board
    assert 'href="/hackathon/sets/hackathon-9-sprint/progress/"' in board
    overall = client.get("/hackathon/9/results/").content.decode()
    assert 'href="/hackathon/sets/hackathon-9-sprint/results/"' in overall
    assert "主赛题 2 · Sprint 2" in overall


def test_results_exports_filter_by_set_and_name_it(client, sets, published):
    data = json.loads(client.get("/hackathon/9/results.json?set=hackathon-9-sprint").content)
    assert data["set"] == "hackathon-9-sprint"
    assert [(r["github"], r["rank"], r["tasks"], r["reward"], r["set"]) for r in data["results"]] == [
        ("bob-gh", 1, [4], "3000.00", "hackathon-9-sprint"),
        ("alice-gh", 2, [2], "2000.00", "hackathon-9-sprint"),
    ]  # fmt: skip
    whole = json.loads(client.get("/hackathon/9/results.json").content)
    assert {r["github"]: r["set"] for r in whole["results"]} == {
        "bob-gh": "hackathon-9,hackathon-9-sprint",
        "alice-gh": "hackathon-9,hackathon-9-sprint",
    }
    assert {s["set"]: s["star_value"] for s in whole["task_sets"]} == {
        "hackathon-9": "2000.00",
        "hackathon-9-sprint": "1000.00",
    }
    response = client.get("/hackathon/9/results.csv?set=hackathon-9")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["github"], r["tasks"], r["reward"], r["set"]) for r in rows] == [
        ("bob-gh", "3", "6000.00", "hackathon-9"),
        ("alice-gh", "2", "4000.00", "hackathon-9"),
    ]
    # Another edition's set, or none: 404, never the whole list.
    other = EditionFactory(number=10, state=Edition.State.OPEN)
    TaskSet.main_of(other)
    assert client.get("/hackathon/9/results.json?set=hackathon-10").status_code == 404
    assert client.get("/hackathon/9/results/?set=nope").status_code == 404


def test_results_computed_before_sets_count_for_the_main_set(client, sets, published):
    Result.objects.update(by_set=[])
    data = json.loads(client.get("/hackathon/9/results.json?set=hackathon-9").content)
    assert len(data["results"]) == 2
    sprint = json.loads(client.get("/hackathon/9/results.json?set=hackathon-9-sprint").content)
    assert sprint["results"] == []


def test_a_standalone_activity_says_its_results_are_not_published_yet(client, db):
    TaskSet.objects.create(slug="happy-open-source", name="快乐开源")
    with translation.override("zh-hans"):
        response = client.get(
            "/hackathon/sets/happy-open-source/results/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="not-published"' in html and "快乐开源" in html


def test_the_person_page_names_each_claims_set(client, sets, published):
    html = client.get("/people/alice-gh/").content.decode()
    assert "Sprint · No.2" in html or "Sprint</a>" in html
    assert 'href="/hackathon/sets/hackathon-9-sprint/tasks/2/"' in html
    assert 'href="/hackathon/9/tasks/2/"' in html
    assert 'href="/hackathon/sets/hackathon-9-sprint/results/"' in html


def test_unpublished_set_results_are_a_staff_preview(client, sets, staff):
    complete(sets["sprint"], 1, PersonFactory(github="early"), staff)
    transitions.compute_results(sets["edition"], staff)
    html = client.get("/hackathon/sets/hackathon-9-sprint/results/").content.decode()
    assert 'data-testid="not-published"' in html and "early" not in html
    client.force_login(staff)
    html = client.get("/hackathon/sets/hackathon-9-sprint/results/").content.decode()
    assert 'data-testid="preview"' in html and "early" in html


# --- 看板 per set --------------------------------------------------------------------------


@pytest.fixture
def progress(sets, staff):
    alice = PersonFactory(github="alice-gh")
    complete(sets["sprint"], 1, alice, staff)
    ClaimFactory(task=Task.objects.get(task_set=sets["sprint"], number=2), person=alice)
    ClaimFactory(task=Task.objects.get(task_set=sets["main"], number=1), person=alice)
    return sets


def test_the_set_progress_page_counts_the_sets_tasks_only(client, progress):
    html = client.get("/hackathon/sets/hackathon-9-sprint/progress/").content.decode()
    assert "2 tasks claimed, 1 tasks submitted, 1 tasks completed, completion rate 25%" in html
    assert 'href="/hackathon/sets/hackathon-9-sprint/progress.csv"' in html
    main = client.get("/hackathon/9/progress/?set=hackathon-9").content.decode()
    assert "1 tasks claimed, 0 tasks submitted, 0 tasks completed" in main
    whole = client.get("/hackathon/9/progress/").content.decode()
    assert "3 tasks claimed" in whole and "<th>Task set</th>" in whole


def test_progress_exports_carry_their_set(client, progress):
    response = client.get("/hackathon/sets/hackathon-9-sprint/progress.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["set"], r["tasks"], r["claimed"], r["completed"]) for r in rows] == [
        ("hackathon-9-sprint", "4", "2", "1"),
        ("hackathon-9-sprint", "4", "2", "1"),  # the total row, of this set
    ]
    response = client.get("/hackathon/9/progress.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["set"], r["direction"], r["claimed"]) for r in rows] == [
        ("hackathon-9", "—", "1"),
        ("hackathon-9-sprint", "—", "2"),
        ("", "total", "3"),
    ]
    data = json.loads(client.get("/hackathon/9/progress.json?set=hackathon-9-sprint").content)
    assert data["set"] == "hackathon-9-sprint"
    assert [row["set"] for row in data["directions"]] == ["hackathon-9-sprint"]
    assert [p["github"] for p in data["people"]] == ["alice-gh"]
    markdown = client.get("/hackathon/sets/hackathon-9-sprint/progress.md").content.decode()
    assert "| — | 4 | 1 / 2 | 25% | 1 | 25% | Sprint |" in markdown
    assert client.get("/hackathon/9/progress.csv?set=nope").status_code == 404


def test_progress_pages_speak_chinese(client, progress):
    with translation.override("zh-hans"):
        html = client.get(
            "/hackathon/sets/hackathon-9-sprint/progress/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
        markdown = client.get(
            "/hackathon/9/progress.md", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    assert "看板" in html or "进展" in html
    assert "任务集" in markdown and "全部任务集" in markdown


def test_a_draft_editions_set_pages_are_for_staff(client, staff):
    draft = EditionFactory(number=12, state=Edition.State.DRAFT)
    main = TaskSet.main_of(draft)
    for url in (
        f"/hackathon/sets/{main.slug}/progress/",
        f"/hackathon/sets/{main.slug}/progress.json",
        f"/hackathon/sets/{main.slug}/results/",
    ):
        assert client.get(url).status_code == 404
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        client.force_login(staff)
        assert client.get(url).status_code == 200
        client.logout()


# --- Query budgets at 10 and 1,000 rows ----------------------------------------------------


def _grow_sprint(task_set):
    def grow(total):
        have = Task.objects.filter(task_set=task_set).count()
        tasks = Task.objects.bulk_create(
            [
                Task(task_set=task_set, edition=task_set.edition, number=n, title=f"t{n}")
                for n in range(have + 1, total + 1)
            ]
        )
        people = Person.objects.bulk_create([Person(github=f"sp-{t.number}") for t in tasks])
        claims = Claim.objects.bulk_create(
            [
                Claim(task=t, person=p, state=(t.number % 6) + 1)
                for t, p in zip(tasks, people, strict=True)
            ]
        )
        ClaimStateChange.objects.bulk_create(
            [ClaimStateChange(claim=c, from_state=None, to_state=c.state) for c in claims]
        )

    return grow


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/hackathon/sets/hackathon-9-sprint/progress/", 8),
        ("/hackathon/sets/hackathon-9-sprint/progress.md", 6),
        ("/hackathon/sets/hackathon-9-sprint/progress.csv", 6),
        ("/hackathon/sets/hackathon-9-sprint/progress.json", 6),
        ("/hackathon/9/progress.csv?set=hackathon-9-sprint", 6),
    ],
)
def test_set_progress_pages_are_flat(client, sets, url, budget):
    count = assert_flat_queries(client, url, _grow_sprint(sets["sprint"]))
    assert count <= budget, count


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/hackathon/sets/hackathon-9-sprint/results/", 8),
        ("/hackathon/9/results/?set=hackathon-9-sprint", 8),
        ("/hackathon/9/results.csv?set=hackathon-9-sprint", 4),
        ("/hackathon/9/results.json?set=hackathon-9-sprint", 5),
    ],
)
def test_set_results_pages_are_flat(client, sets, url, budget):
    Edition.objects.filter(pk=sets["edition"].pk).update(state=Edition.State.RESULTS_PUBLISHED)

    def grow(total):
        have = Result.objects.filter(edition=sets["edition"]).count()
        people = Person.objects.bulk_create([Person(github=f"rs-{n}") for n in range(have, total)])
        Result.objects.bulk_create(
            [
                Result(
                    edition=sets["edition"],
                    person=p,
                    rank=have + i + 1,
                    completed_tasks=1,
                    task_numbers=[1],
                    by_set=[
                        {
                            "set": "hackathon-9-sprint",
                            "name": "Sprint",
                            "tasks": [1],
                            "stars": "1",
                            "reward": "1000.00",
                        }
                    ],  # fmt: skip
                    stars=Decimal("1"),
                    reward=Decimal("1000"),
                )
                for i, p in enumerate(people)
            ]
        )

    count = assert_flat_queries(client, url, grow)
    assert count <= budget, count


# --- Held code PRs, released by staff ------------------------------------------------------


@pytest.fixture
def webhook(settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    settings.GITHUB_TOKEN = ""


@pytest.fixture
def held(client, sets, webhook):
    user = UserFactory(email="alice@example.com")
    PersonFactory(github="alice-gh", github_id=4242, user=user)
    title = "【Hackathon 9th Sprint No.3】直接实现"
    payload = pr_payload("closed", title, number=803, merged=True, login="alice-gh")
    payload["pull_request"]["user"]["id"] = 4242
    deliver(client, "pull_request", payload)
    return PullRequest.objects.get()


def test_a_held_pr_remembers_what_it_would_do(held):
    assert held.claim.state == ClaimState.CLAIMED
    assert held.held_state == ClaimState.COMPLETED
    assert list(PullRequest.objects.held()) == [held]


def test_staff_see_the_held_prs_in_one_list_and_release_one(client, held, staff):
    client.force_login(staff)
    listing = client.get("/admin/hackathon/pullrequest/?held=yes").content.decode()
    assert "/pull/803" in listing
    mail.outbox.clear()
    response = client.post(
        "/admin/hackathon/pullrequest/",
        {"action": "release_held", "_selected_action": [held.pk]},
        follow=True,
    )
    assert "1 held pull requests released." in response.content.decode()
    claim = Claim.objects.get(pk=held.claim_id)
    assert claim.state == ClaimState.COMPLETED
    assert Task.objects.get(pk=claim.task_id).completed_claim == claim
    entry = claim.history.order_by("-pk").first()
    assert (entry.action, entry.from_state, entry.to_state) == ("release_held_pr", 1, 6)
    assert entry.actor == staff and "/pull/803" in entry.note
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    reply = GitHubReply.objects.get(key__contains="released")
    assert "工作人员已放行此PR" in reply.body and "completed" in reply.body
    assert reply.state == GitHubReply.State.RECORDED
    assert not PullRequest.objects.held().exists()
    listing = client.get("/admin/hackathon/pullrequest/?held=yes").content.decode()
    assert "/pull/803" not in listing


def test_releasing_twice_or_by_someone_else_is_refused(held, staff):
    with pytest.raises(transitions.NotAllowed):
        transitions.release_held_pull_request(held, UserFactory())
    with pytest.raises(transitions.NotAllowed):
        transitions.release_held_pull_request(held, transitions.GITHUB)
    transitions.release_held_pull_request(held, staff)
    with pytest.raises(transitions.TransitionError, match="not held"):
        transitions.release_held_pull_request(held, staff)
    assert Claim.objects.get().history.filter(action="release_held_pr").count() == 1


def test_a_released_pr_on_a_task_someone_else_completed_is_partial(held, staff):
    task = held.claim.task
    complete(task.task_set, task.number, PersonFactory(github="first"), staff)
    claim = transitions.release_held_pull_request(held, staff)
    assert claim.state == ClaimState.PARTIAL


def test_an_open_held_pr_released_is_pr_submitted_and_a_later_merge_completes(
    client, sets, webhook, staff
):
    PersonFactory(github="dora-gh", github_id=77)
    title = "【Hackathon 9th Sprint No.3】code"
    opened = pr_payload("opened", title, number=810, login="dora-gh")
    opened["pull_request"]["user"]["id"] = 77
    deliver(client, "pull_request", opened)
    pull = PullRequest.objects.get()
    assert pull.held_state == ClaimState.PR_SUBMITTED
    transitions.release_held_pull_request(pull, staff)
    assert Claim.objects.get().state == ClaimState.PR_SUBMITTED
    merged = pr_payload("closed", title, number=810, login="dora-gh", merged=True)
    merged["pull_request"]["user"]["id"] = 77
    deliver(client, "pull_request", merged)
    assert Claim.objects.get().state == ClaimState.COMPLETED
    assert not PullRequest.objects.held().exists()


def test_a_merged_rfc_does_not_release_a_held_pr_by_itself(client, held, staff):
    rfc = pr_payload(
        "closed", "【Hackathon 9th Sprint No.3】RFC", number=900, merged=True,
        repo="PaddlePaddle/community", login="alice-gh",
    )  # fmt: skip
    rfc["pull_request"]["user"]["id"] = 4242
    deliver(client, "pull_request", rfc)
    assert Claim.objects.get().state == ClaimState.DESIGN_DONE
    assert PullRequest.objects.held().get().url.endswith("/pull/803")  # still in staff's list


def test_the_held_list_is_for_staff_only(client, held):
    assert client.get("/admin/hackathon/pullrequest/?held=yes").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/admin/hackathon/pullrequest/?held=yes").status_code == 302
    client.force_login(StaffFactory(totp=False))
    response = client.get("/admin/hackathon/pullrequest/?held=yes")
    assert response.status_code != 200 or "/pull/803" not in response.content.decode()


def test_the_person_page_filters_by_set(client, sets, published):
    html = client.get("/people/alice-gh/?set=hackathon-9-sprint").content.decode()
    section = html[html.index('id="hackathon"') :]
    assert 'data-testid="set-filter"' in section
    assert 'href="/hackathon/sets/hackathon-9-sprint/tasks/2/"' in section
    assert 'href="/hackathon/9/tasks/2/"' not in section
    html = client.get("/people/alice-gh/?set=nothing-like-it").content.decode()
    assert 'data-testid="set-filter"' in html and "/tasks/2/" not in html
    # The set's results link to the person's page narrowed to the set.
    results = client.get("/hackathon/sets/hackathon-9-sprint/results/").content.decode()
    assert 'href="/people/alice-gh/?set=hackathon-9-sprint"' in results


def test_a_standalone_claim_is_in_the_account_download(db):
    from hackathon.account_data import export

    api = TaskSet.objects.create(slug="api-compatibility", name="API")
    task = Task.objects.create(task_set=api, number=1, title="x")
    person = PersonFactory(github="dl-gh")
    ClaimFactory(task=task, person=person)
    (claim,) = export(None, person)["claims"]
    assert (claim["edition"], claim["set"], claim["task"]) == (None, "api-compatibility", 1)
