"""Judging's part of the load benchmark's data set (`manage.py seed_bench`): one published contest
a scale step (`bench-j0`, …) with two directions, three criteria, four prizes, 1,000 entrants (a
third of them teams of two or three bench persons) with one entry each, view counts, likes
(counters and 5,000 like rows), scores, and prizes with certificates: for the gallery, an entry's
page and the results (table, CSV and JSON)."""

from decimal import Decimal

from common.markdown import render_markdown

from .models import (
    Award,
    Certificate,
    Contest,
    Criterion,
    Direction,
    Prize,
    Registration,
    Submission,
    SubmissionViews,
)

ENTRIES = 1000
DESCRIPTION = "## {title}\n\n基于文心一言 API 的应用。\n\n- 上传文档\n- 提问\n- 得到回答\n"


def is_seeded(bench, scale) -> bool:
    return Submission.objects.filter(contest__slug__startswith=bench.prefix).count() == (
        ENTRIES * scale
    )


def wipe(bench):
    contests = Contest.objects.filter(slug__startswith=bench.prefix)
    Award.objects.filter(contest__in=contests).delete()
    Submission.objects.filter(contest__in=contests).delete()
    contests.delete()


def summary(bench) -> str:
    submissions = Submission.objects.filter(contest__slug__startswith=bench.prefix)
    return f"{submissions.count()} contest entries"


def seed(bench, scale):
    html = render_markdown(DESCRIPTION.format(title="应用")).html
    for n in range(scale):
        _contest(bench, n, html)


def _contest(bench, n, html):
    contest = Contest.objects.create(
        slug=f"{bench.prefix}j{n}",
        name=f"大模型应用与创意赛 {n}",
        state=Contest.State.PUBLISHED,
        summary="基于文心大模型，开发 AI 原生应用。",
        description="趣味创意与生产力工具两个方向。",
        published_at=bench.now,
        registration_count=ENTRIES,
        submission_count=ENTRIES,
    )
    directions = bench.bulk(
        Direction,
        [
            Direction(contest=contest, slug="fun", name="趣味创意", order=0),
            Direction(contest=contest, slug="productivity", name="生产力工具", order=1),
        ],
    )
    bench.bulk(
        Criterion,
        [
            Criterion(contest=contest, name=name, weight=weight, order=order)
            for order, (name, weight) in enumerate([("创意性", 40), ("完成度", 30), ("实用性", 30)])
        ],
    )
    prizes = bench.bulk(
        Prize,
        [
            Prize(contest=contest, name=name, order=order, is_popularity=name == "人气奖")
            for order, name in enumerate(["一等奖", "二等奖", "三等奖", "人气奖"])
        ],
    )
    registrations = bench.bulk(
        Registration,
        [
            Registration(
                contest=contest,
                kind=Registration.Kind.TEAM if i % 3 == 0 else Registration.Kind.INDIVIDUAL,
                name=f"参赛者 {i}",
            )
            for i in range(ENTRIES)
        ],
    )
    members = Registration.members.through
    rows, people = [], 0
    for i, registration in enumerate(registrations):
        team = bench.pick(bench.rng.randint(2, 3) if i % 3 == 0 else 1)
        people += len(team)
        rows += [members(registration=registration, person=person) for person in team]
    bench.bulk(members, rows)
    Contest.objects.filter(pk=contest.pk).update(participant_count=people)
    submissions = bench.bulk(
        Submission,
        [
            Submission(
                contest=contest,
                registration=registration,
                direction=directions[i % 2],
                title=f"文心应用 {i}",
                summary="基于 ERNIE Bot SDK 的应用。",
                app_url=f"https://aistudio.baidu.com/application/detail/{i}",
                repository_url=f"https://github.com/bench/app-{i}",
                description=DESCRIPTION.format(title="应用"),
                description_html=html,
                like_count=bench.rng.randint(0, 260),
                score=Decimal(bench.rng.randint(4000, 9500)) / 100,
                scorecard_count=3,
            )
            for i, registration in enumerate(registrations)
        ],
    )
    bench.bulk(
        SubmissionViews,
        [
            SubmissionViews(submission=submission, count=bench.rng.randint(0, 3000))
            for submission in submissions
        ],
    )
    ranked = sorted(submissions, key=lambda submission: -submission.score)
    awards = bench.bulk(
        Award,
        [
            Award(contest=contest, prize=prizes[min(place, 2)], submission=submission)
            for place, submission in enumerate(ranked[:8])
        ]
        + [
            Award(
                contest=contest,
                prize=prizes[3],
                submission=max(submissions, key=lambda s: s.like_count),
            )
        ],
    )
    team_of = {}
    for row in rows:
        team_of.setdefault(row.registration_id, []).append(row.person)
    bench.bulk(
        Certificate,
        [
            Certificate(
                award=award,
                person=person,
                name=person.display_name,
                code=f"JBENCH{award.pk:06d}{person.pk:08d}",
            )
            for award in awards
            for person in team_of[award.submission.registration_id]
        ],
    )
