"""The hackathon's part of the load benchmark's data set (`manage.py seed_bench`): 10 editions a
scale step (numbered from 1000), 200 tasks each with 1–3 claims, pull requests, history,
results and certificates."""

from datetime import timedelta
from decimal import Decimal

from common.markdown import render_markdown

from .models import (
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    PullRequest,
    Result,
    Task,
    TaskSet,
    Track,
    main_set_slug,
    main_set_values,
)

FIRST_EDITION = 1000  # bench editions are numbered from here, far from real ones
TASK_TEXT = (
    "### 详细描述\n\n为 Paddle 新增 API，对齐 PyTorch。\n\n### 提交内容\n\n- API 实现\n- 单测\n"
    "- 中文文档\n\n### 技术要求\n\n熟悉 Python 与 C++。"
)


def is_seeded(bench, scale) -> bool:
    return Edition.objects.filter(number__gte=FIRST_EDITION).count() == 10 * scale


def wipe(bench):
    Edition.objects.filter(number__gte=FIRST_EDITION).delete()


def summary(bench) -> str:
    return f"{Task.objects.filter(edition__number__gte=FIRST_EDITION).count()} tasks"


def seed(bench, scale):
    description_html = render_markdown(TASK_TEXT).html
    editions = bench.bulk(
        Edition,
        [
            Edition(
                number=FIRST_EDITION + n,
                name=f"Bench Hackathon {n + 1}",
                start_date=bench.today - timedelta(days=400 - n),
                end_date=bench.today - timedelta(days=300 - n),
                state=Edition.State.RESULTS_PUBLISHED,
                results_published_at=bench.now - timedelta(days=30),
                objection_deadline=bench.now + timedelta(days=7),
            )
            for n in range(10 * scale)
        ],
    )
    bench.editions = editions
    tracks = bench.bulk(
        Track,
        [
            Track(edition=e, name=name, slug=slug, order=i)
            for e in editions
            for i, (name, slug) in enumerate((("开源贡献个人挑战赛", "t1"), ("护航计划", "t2")))
        ],
    )
    directions = bench.bulk(
        Direction,
        [
            Direction(track=t, name=name, order=i)
            for t in tracks
            for i, name in enumerate(("框架开发", "科学计算", "套件开发", "合作伙伴"))
        ],
    )
    main_sets = bench.bulk(
        TaskSet,
        [
            TaskSet(edition=e, slug=main_set_slug(e.number), **main_set_values(e.number))
            for e in editions
        ],
    )
    set_of = {task_set.edition_id: task_set for task_set in main_sets}
    by_edition = {}
    for direction in directions:
        by_edition.setdefault(direction.track.edition_id, []).append(direction)
    tasks = bench.bulk(
        Task,
        [
            Task(
                task_set=set_of[e.pk],
                edition=e,
                direction=by_edition[e.pk][n % len(by_edition[e.pk])],
                number=n + 1,
                title=f"为 Paddle 新增 API 第 {n + 1} 号",
                difficulty=Decimal(bench.rng.choice(["0.5", "1", "2", "3"])),
                description=TASK_TEXT,
                description_html=description_html,
            )
            for e in editions
            for n in range(200)
        ],
    )
    claims = []
    for task in tasks:
        for person in bench.pick(bench.rng.randint(1, 3)):
            claims.append(
                Claim(
                    task=task,
                    person=person,
                    state=bench.rng.randint(1, 6),
                    team_name="" if bench.rng.random() < 0.8 else "队伍",
                    created_at=bench.now - timedelta(days=bench.rng.randint(1, 90)),
                )
            )
    claims = bench.bulk(Claim, claims)
    bench.bulk(
        PullRequest,
        [
            PullRequest(
                claim=c,
                url=f"https://github.com/PaddlePaddle/Paddle/pull/{60000 + c.pk}",
                merged=c.state == ClaimState.COMPLETED,
            )
            for c in claims
            if c.state >= ClaimState.PR_SUBMITTED
        ],
    )
    bench.bulk(
        ClaimStateChange,
        [
            ClaimStateChange(claim=c, from_state=None, to_state=c.state, actor_label="bench")
            for c in claims
        ],
    )
    completed = {}
    for claim in claims:
        if claim.state == ClaimState.COMPLETED and claim.task_id not in completed:
            completed[claim.task_id] = claim
    task_by_pk = {task.pk: task for task in tasks}
    for task_id, claim in completed.items():
        task = task_by_pk[task_id]
        task.completed_claim = claim
        task.completed_at = bench.now
    Task.objects.bulk_update(
        [task_by_pk[pk] for pk in completed], ["completed_claim", "completed_at"], bench.batch
    )
    results = []
    for edition in editions:
        for rank, person in enumerate(bench.pick(100), start=1):
            stars = Decimal(bench.rng.randint(1, 12))
            results.append(
                Result(
                    edition=edition,
                    person=person,
                    rank=rank,
                    completed_tasks=bench.rng.randint(1, 6),
                    task_numbers=sorted(bench.rng.sample(range(1, 201), 3)),
                    stars=stars,
                    reward=min(stars * edition.star_value, edition.reward_cap),
                    is_open_source_star=rank <= 3,
                )
            )
    results = bench.bulk(Result, results)
    bench.bulk(Certificate, [Certificate(result=r, code=f"BENCH{r.pk:011d}") for r in results])
