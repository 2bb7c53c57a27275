"""A task set as a report's scope, and withdrawn tasks counted by the state they had on the day.

The test replays six days of an edition with two task sets (the main set and its Sprint): claims
move up, staff withdraw a claimed task and reopen it two days later, withdraw an unclaimed task
and a submitted one. At the end of each day it keeps what the live site showed: the edition's
progress export, and the Sprint set's numbers by the hackathon's own definitions (its open
tasks, counted as the export counts them). Afterwards the rebuilt 看板 of every day, of the
edition and of each set, must be exactly those numbers: a task withdrawn on day 6 still counts
on day 5, as it did then; a task reopened on day 4 is out on days 2 and 3 and back from day 4."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client

from hackathon import stats
from hackathon import transitions as hackathon_transitions
from hackathon.models import Claim, ClaimState, Task, TaskSet
from progress import drafting, sources
from tests.progress import steps as services
from tests.progress.conftest import contributor

pytestmark = pytest.mark.django_db

FIRST = date(2026, 3, 2)


def live_numbers(task_set) -> dict:
    """The set's 看板 as the live site counts it now: open tasks only (hackathon.stats)."""
    tasks = Task.objects.filter(task_set=task_set).active()
    rows = {
        row["direction"]: (row["total"], row["claimed"], row["submitted"], row["completed"])
        for row in tasks.values("direction").annotate(**stats._counts()).order_by()
    }
    total = tasks.aggregate(**stats._counts())
    return {
        "rows": rows,
        "total": (total["total"], total["claimed"], total["submitted"], total["completed"]),
    }


def rebuilt(snapshot, directions) -> dict:
    names = {name: pk for pk, name in directions}
    return {
        "rows": {
            names[row.direction]: (row.tasks, row.claimed, row.submitted, row.completed)
            for row in snapshot.rows
        },
        "total": (
            snapshot.total.tasks,
            snapshot.total.claimed,
            snapshot.total.submitted,
            snapshot.total.completed,
        ),
    }


@pytest.fixture
def sprint(board):
    return TaskSet.objects.create(
        edition=board["edition"],
        slug="hackathon-5-sprint",
        name="Sprint",
        title_tags="Hackathon 5th Sprint",
        order=2,
    )


def replay(clock, board, sprint, staff):
    edition = board["edition"]
    main = TaskSet.main_of(edition)
    people = {login: contributor(login) for login in ("Tomoko-hjf", "GreatV", "ccc")}
    client = Client()
    client.force_login(staff)
    seen = {}

    def task(task_set, number):
        return Task.objects.get(task_set=task_set, number=number)

    def claim(task_set, number, login):
        return Claim.objects.get(task__task_set=task_set, task__number=number, person__github=login)

    def close(day):
        clock.at(day, hour=23, minute=30)
        export = json.loads(client.get(f"/hackathon/{edition.number}/progress.json").content)
        seen[day] = {
            "edition": {"directions": export["directions"], "total": export["total"]},
            "people": export["people"],
            "main": live_numbers(main),
            "sprint": live_numbers(sprint),
        }

    day = FIRST
    clock.at(day, 9)
    for number in range(1, 5):
        Task.objects.create(task_set=main, direction=board["framework"], number=number, title="t")
    for number in range(1, 4):
        Task.objects.create(task_set=sprint, direction=board["science"], number=number, title="s")
    clock.at(day, 11)
    services.claim_tasks(main, people["Tomoko-hjf"], "1、2")
    services.claim_tasks(sprint, people["GreatV"], "1、2")
    close(day)

    day += timedelta(days=1)  # a claimed task withdrawn
    clock.at(day, 10)
    services.advance_claim(claim(main, 1, "Tomoko-hjf"), ClaimState.PR_SUBMITTED, staff)
    services.advance_claim(claim(sprint, 1, "GreatV"), ClaimState.PR_SUBMITTED, staff)
    hackathon_transitions.withdraw_task(task(main, 2), staff, "duplicate")
    close(day)

    day += timedelta(days=1)  # an unclaimed Sprint task withdrawn, a completion
    clock.at(day, 10)
    services.advance_claim(claim(main, 1, "Tomoko-hjf"), ClaimState.COMPLETED, staff)
    hackathon_transitions.withdraw_task(task(sprint, 3), staff, "out of scope")
    services.claim_tasks(main, people["ccc"], "3")
    close(day)

    day += timedelta(days=1)  # the withdrawn main task reopened
    clock.at(day, 10)
    hackathon_transitions.reopen_task(task(main, 2), staff, "needed after all")
    services.advance_claim(claim(sprint, 2, "GreatV"), ClaimState.PR_SUBMITTED, staff)
    close(day)

    day += timedelta(days=1)  # a quiet day
    close(day)

    day += timedelta(days=1)  # a submitted Sprint task withdrawn
    clock.at(day, 10)
    hackathon_transitions.withdraw_task(task(sprint, 1), staff, "merged elsewhere")
    close(day)
    clock.at(day + timedelta(days=2), 12)
    return main, seen


def test_every_day_rebuilds_the_edition_and_each_set_with_their_withdrawals(
    clock, board, sprint, staff
):
    main, seen = replay(clock, board, sprint, staff)
    last = max(seen)
    edition = board["edition"]
    history = sources.EditionHistory(edition.pk, last)
    directions = [(pk, name) for pk, _track, name in history.directions]
    sets = {
        name: sources.EditionHistory(edition.pk, last, (("task_set_id", task_set.pk),))
        for name, task_set in (("main", main), ("sprint", sprint))
    }
    for day, live in seen.items():
        assert history.snapshot(day).as_export() == live["edition"], day
        people = sorted(history.people(day), key=lambda p: p["github"])
        assert people == sorted(live["people"], key=lambda p: p["github"]), day
        for name, set_history in sets.items():
            assert rebuilt(set_history.snapshot(day), directions) == live[name], (name, day)
    # The withdrawals moved the numbers, and the reopening moved them back.
    assert [seen[day]["edition"]["total"]["tasks"] for day in sorted(seen)] == [7, 6, 5, 6, 6, 5]
    assert [seen[day]["sprint"]["total"][2] for day in sorted(seen)] == [0, 1, 1, 2, 2, 1]
    # The chart's timeline agrees with the day-by-day boards.
    timeline = history.timeline(FIRST, last)
    assert [point.total.as_dict() for point in timeline] == [
        history.snapshot(day).total.as_dict() for day in sorted(seen)
    ]


def test_a_sprint_report_carries_the_sets_numbers_of_its_last_day(clock, board, sprint, staff):
    _main, seen = replay(clock, board, sprint, staff)
    scope = sources.resolve_scope("set:hackathon-5-sprint")
    assert (scope.kind, scope.label, scope.edition_number) == ("set", "第五期 Sprint", 5)
    end = FIRST + timedelta(days=4)  # before the last withdrawal
    report = drafting.draft_report(scope, end - timedelta(days=2), end, staff)
    tasks, claimed, submitted, completed = seen[end]["sprint"]["total"]
    assert (tasks, claimed, submitted, completed) == (2, 2, 2, 0)
    total = report.numbers["progress"]["total"]
    assert (total["tasks"], total["claimed"], total["submitted"]) == (tasks, claimed, submitted)
    assert report.scope_key == "set:hackathon-5-sprint"
    assert report.post.slug == f"hackathon-5-sprint-progress-{end:%Y%m%d}"
    assert report.post.title.startswith("PaddlePaddle Hackathon Episode 01 | 第五期 Sprint活动上线")
    body = report.post.body
    assert body.startswith("向大家快速介绍飞桨黑客松第五期 Sprint开展以来的进展（")
    assert "| 科学计算 | 2 | 2 / 2 | 100% | 0 | 0% |" in body
    assert "框架开发" not in body  # the main set's direction has no Sprint task
    assert "飞桨护航计划集训营" not in body  # the camp's reports belong to the edition's report
    assert "/hackathon/sets/hackathon-5-sprint/" in body  # the set's live board
    # The next Sprint report compares with this one, not with the edition's reports.
    drafting.draft_report(sources.resolve_scope("edition:5"), end - timedelta(days=2), end, staff)
    from blog import transitions as blog_transitions

    blog_transitions.publish(report.post, staff)
    last = max(seen)
    later = drafting.draft_report(scope, last, last, staff)
    assert later.numbers["previous"] == report.pk
    assert later.numbers["progress"]["total"]["tasks"] == 1  # task 1 withdrawn on the last day
    assert later.post.title.startswith("PaddlePaddle Hackathon Episode 02 |")


def test_a_standalone_set_is_a_scope_of_its_own(db, staff, clock):
    happy = TaskSet.objects.create(slug="happy-open-source", name="快乐开源")
    clock.at(FIRST, 9)
    for number in (1, 2, 3):
        Task.objects.create(task_set=happy, number=number, title=f"快乐 {number}")
    services.claim_tasks(happy, contributor("ccc"), "1、2")
    clock.at(FIRST + timedelta(days=1), 10)
    hackathon_transitions.withdraw_task(Task.objects.get(task_set=happy, number=3), staff)
    clock.at(FIRST + timedelta(days=3), 10)
    scope = sources.resolve_scope("set:happy-open-source")
    assert (scope.label, scope.edition_number, scope.edition_pk) == ("快乐开源", None, None)
    history = sources.edition_history(scope, FIRST + timedelta(days=2))
    assert history.snapshot(FIRST).total.tasks == 3  # withdrawn the next day
    assert history.snapshot(FIRST + timedelta(days=1)).total.tasks == 2
    report = drafting.draft_report(scope, FIRST, FIRST + timedelta(days=2), staff)
    assert report.post.title.startswith("快乐开源 Episode 01 | 活动上线")
    assert report.post.body.startswith("向大家快速介绍快乐开源开展以来的进展（")
    assert "| **合计** | 2 | 0 / 2 | 0% | 0 | 0% |" in report.post.body


def test_a_task_withdrawn_without_recorded_history_counts_by_its_present_state(
    db, staff, clock, board
):
    """Imported withdrawn (no TaskEvent): nothing says when, so it is out on every day."""
    clock.at(FIRST, 9)
    edition = board["edition"]
    Task.objects.create(edition=edition, number=1, title="a", state=Task.State.WITHDRAWN)
    Task.objects.create(edition=edition, number=2, title="b")
    history = sources.EditionHistory(edition.pk, FIRST + timedelta(days=1))
    assert history.snapshot(FIRST + timedelta(days=1)).total.tasks == 1
