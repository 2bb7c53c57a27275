"""The draft's numbers are the hackathon's progress export (看板) on the range's last day.

The test replays an edition over nine days: tasks published, claims made, moved up through
提交RFC, 提交PR and 完成任务 by claimants and staff, a staff correction taking a completion
back (the task passing to another completed claim, or to none), a second claim completing the
same task, new tasks arriving mid-way, quiet days. At the end of each day it downloads the live
export, as a reader would have; afterwards it drafts a report for ranges ending on each day and
checks that the draft carries exactly the numbers the export gave that day."""

import json
from datetime import date, timedelta

import pytest

from hackathon.models import Claim, ClaimState
from progress import drafting, sources
from progress.models import ProgressReport
from tests.progress import steps as services

from .conftest import contributor, make_tasks

pytestmark = pytest.mark.django_db

FIRST = date(2026, 3, 2)


def claim_of(login, edition, number):
    return Claim.objects.get(task__edition=edition, task__number=number, person__github=login)


def replay(clock, board, staff, client):
    """Nine days of an edition; returns the export downloaded at the end of each day."""
    edition = board["edition"]
    people = {login: contributor(login) for login in ("Tomoko-hjf", "zoooo0820", "GreatV", "ccc")}
    client.force_login(staff)
    exports = {}

    def close(day):
        clock.at(day, hour=23, minute=30)
        response = client.get(f"/hackathon/{edition.number}/progress.json")
        assert response.status_code == 200
        exports[day] = json.loads(response.content)

    def advance(login, number, state, actor=None):
        claim = claim_of(login, edition, number)
        services.advance_claim(claim, state, actor or people[login])

    day = FIRST  # tasks published, the first claims
    clock.at(day, 9)
    make_tasks(edition, board["framework"], range(1, 7))
    make_tasks(edition, board["science"], range(7, 10))
    make_tasks(edition, board["partner"], range(10, 13))
    clock.at(day, 11)
    services.claim_tasks(edition, people["Tomoko-hjf"], "1、2")
    services.claim_tasks(edition, people["zoooo0820"], "2-4")
    close(day)

    day += timedelta(days=1)  # RFCs and the first pull requests
    clock.at(day, 10)
    advance("Tomoko-hjf", 1, ClaimState.PR_SUBMITTED)
    advance("zoooo0820", 3, ClaimState.RFC_SUBMITTED)
    services.claim_tasks(edition, people["GreatV"], "7、10")
    services.claim_tasks(edition, people["ccc"], "1")
    close(day)

    day += timedelta(days=1)  # a first completion (staff), more claims, late at night
    clock.at(day, 10)
    advance("Tomoko-hjf", 1, ClaimState.COMPLETED, staff)
    advance("zoooo0820", 2, ClaimState.PR_SUBMITTED)
    clock.at(day, 23, 10)
    services.claim_tasks(edition, people["ccc"], "8")
    close(day)

    day += timedelta(days=1)  # a second claim completes the same task (staff decide)
    clock.at(day, 10)
    advance("ccc", 1, ClaimState.COMPLETED, staff)
    advance("GreatV", 7, ClaimState.PR_SUBMITTED)
    close(day)

    day += timedelta(days=1)  # a correction: task 1 passes to the other completed claim
    clock.at(day, 10)
    services.correct_claim(
        claim_of("Tomoko-hjf", edition, 1), ClaimState.PR_SUBMITTED, staff, "PR reverted"
    )
    advance("zoooo0820", 2, ClaimState.COMPLETED, staff)
    close(day)

    day += timedelta(days=1)  # a quiet day
    close(day)

    day += timedelta(days=1)  # new tasks; task 2 is taken back to 提交PR (no other completion)
    clock.at(day, 10)
    make_tasks(edition, board["partner"], range(13, 15))
    services.correct_claim(
        claim_of("zoooo0820", edition, 2), ClaimState.PR_SUBMITTED, staff, "not merged"
    )
    services.claim_tasks(edition, people["GreatV"], "13")
    close(day)

    day += timedelta(days=1)  # task 2 completed again, partner tasks submitted
    clock.at(day, 10)
    advance("zoooo0820", 2, ClaimState.COMPLETED, staff)
    advance("GreatV", 10, ClaimState.PR_SUBMITTED)
    advance("GreatV", 13, ClaimState.PARTIAL, staff)
    close(day)

    day += timedelta(days=1)  # the last day
    clock.at(day, 10)
    advance("ccc", 8, ClaimState.DESIGN_DONE)
    advance("Tomoko-hjf", 2, ClaimState.PR_SUBMITTED)
    close(day)
    clock.at(day + timedelta(days=3), 12)  # the report is drafted some days later
    return exports


def compared(export):
    return {"directions": export["directions"], "total": export["total"]}


def test_every_day_of_the_history_rebuilds_that_days_export(clock, board, staff, client):
    exports = replay(clock, board, staff, client)
    last = max(exports)
    history = sources.EditionHistory(board["edition"].pk, last)
    for day, export in exports.items():
        assert history.snapshot(day).as_export() == compared(export), day
    # 统计信息 too (the order of ties on equal keys is the database's collation: compare sets).
    for day, export in exports.items():
        people = history.people(day)
        assert sorted(people, key=lambda p: p["github"]) == sorted(
            export["people"], key=lambda p: p["github"]
        ), day
        ranks = [(-p["completed"], -float(p["stars"]), -p["submitted"]) for p in people]
        assert ranks == sorted(ranks)
    # The chart's timeline (swept once, not recounted per day) agrees, day by day.
    timeline = history.timeline(min(exports) - timedelta(days=1), last)
    assert [point.total.as_dict() for point in timeline[1:]] == [
        history.snapshot(day).total.as_dict() for day in sorted(exports)
    ]
    assert timeline[0].total.tasks == 0
    # The history was not flat: the numbers moved, and moved back.
    completed = [exports[day]["total"]["completed"] for day in sorted(exports)]
    assert completed == [0, 0, 1, 1, 2, 2, 1, 2, 2]
    assert [exports[day]["total"]["tasks"] for day in sorted(exports)][-1] == 14


def test_drafts_carry_the_export_of_their_last_day(clock, board, staff, client):
    exports = replay(clock, board, staff, client)
    scope = sources.resolve_scope("edition:5")
    for end in sorted(exports)[2:]:
        start = end - timedelta(days=2)
        report = drafting.draft_report(scope, start, end, staff)
        export = exports[end]
        assert report.numbers["progress"] == compared(export), end
        leaders = [person for person in export["people"] if person["completed"]]
        assert sorted(report.numbers["leaders"], key=lambda p: p["github"]) == sorted(
            leaders, key=lambda p: p["github"]
        )
        for person in leaders:
            assert (
                f"| [@{person['github']}](https://github.com/{person['github']}) "
                f"| {person['claims']} | {person['submitted']} | {person['completed']} "
                f"| {person['stars']} |"
            ) in report.post.body
        body = report.post.body
        for row in export["directions"]:
            # The 看板 as the community prints it (with a track column: two tracks here).
            line = (
                f"| {row['direction']} | {row['tasks']} | {row['submitted']} / {row['claimed']} "
                f"| {row['submission_rate']} | {row['completed']} | {row['completion_rate']} |"
            )
            assert line in body, (end, line)
        total = export["total"]
        assert (
            f"| **合计** | {total['tasks']} | {total['submitted']} / {total['claimed']} "
            f"| {total['submission_rate']} | {total['completed']} | {total['completion_rate']} |"
        ) in body
        # Over the range: the export on the last day minus the export the day before it began.
        before = exports.get(start - timedelta(days=1))
        for key in ("claimed", "submitted", "completed"):
            expected = total[key] - (before["total"][key] if before else 0)
            assert report.numbers["range"]["total"][key] == expected, (end, key)
    assert ProgressReport.objects.count() == len(exports) - 2


def test_most_active_people_over_the_range(clock, board, staff, client):
    replay(clock, board, staff, client)
    history = sources.EditionHistory(board["edition"].pk, date(2026, 3, 10))
    people = history.activity(date(2026, 3, 8), date(2026, 3, 10))
    # 3.8 GreatV claims 13; 3.9 his 13 reaches 部分完成 and 10 提交PR; 3.10 Tomoko-hjf's 2
    # reaches 提交PR. Task 2 went from 完成任务 down and back up: no change over the range.
    assert [(p.github, p.claimed, p.submitted, p.completed) for p in people] == [
        ("GreatV", 1, 2, 0),
        ("Tomoko-hjf", 0, 1, 0),
    ]
