"""Demo data for the hackathon (`manage.py seed_demo`; idempotent).

Edition 5 (results published, objections open): four directions of the 开源贡献个人挑战赛,
124 tasks of which 120 are claimed, 96 submitted and 85 completed (the numbers of the real
edition), claims in every state with their history, results and certificates. Edition 8 is
open for claims; its 框架开发 direction reproduces the published row "16 | 7 / 13 | 43.75% |
6 | 37.5%". 快乐开源 is a standalone activity (no edition) with its own published results.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from pfcc.models import Person, User

from .models import (
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    PullRequest,
    Repository,
    Task,
    TaskSet,
    Track,
)
from .transitions import Actor, compute_results, publish_results

TITLES = [
    "为 Paddle 新增 {} API",
    "{} 算子迁移至 PHI",
    "为 {} 增加分布式切分推导规则",
    "{} 支持 0-size Tensor",
    "为 Paddle 新增 {} 的复数类型支持",
    "PaConvert 新增 {} 转换规则",
]
APIS = [
    "AdaptiveLogSoftmaxWithLoss", "cholesky_inverse", "ormqr", "LPPool1D", "unfold",
    "ZeroPad1D", "multigammaln", "nanmedian", "histogramdd", "MultiLabelMarginLoss",
    "index_fill", "masked_scatter", "bitwise_invert", "copysign", "trapezoid", "vander",
    "pdist", "cartesian_prod", "combinations", "svd_lowrank", "pca_lowrank", "tensorinv",
]  # fmt: skip
DESCRIPTION = """**详细描述：**

为飞桨框架完成「{title}」，与 PyTorch 对齐，补充单测与中英文文档。

**提交内容：**

- API 的设计文档（RFC），提交至 community 仓库
- Python 实现代码与单测，提交至 Paddle 仓库
- 中英文 API 文档

**技术要求：**

- 熟悉 Python，了解飞桨的 API 体系
- 了解 `{api}` 的数学定义

**验收说明：**

PR 合入 Paddle develop 分支即为完成。
"""


def _person_pool():
    logins = ["megemini", "gouzil", "SigureMo", "GreatV"] + [
        f"hacker-{i:02d}" for i in range(1, 41)
    ]
    persons = []
    for login in logins:
        person, _created = Person.objects.get_or_create_by_login(login, name="")
        persons.append(person)
    return persons


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _make_tasks(edition, directions, counts, rng):
    tasks = []
    number = 0
    for direction, count in zip(directions, counts, strict=True):
        for _i in range(count):
            number += 1
            api = APIS[number % len(APIS)]
            title = TITLES[number % len(TITLES)].format(api)
            difficulty = rng.choice(
                [Decimal("0.5"), Decimal("1"), Decimal("1"), Decimal("2"), Decimal("3")]
            )
            if number % 17 == 0:
                difficulty = Decimal("0.025")
            task = Task(
                edition=edition,
                direction=direction,
                number=number,
                title=title,
                difficulty=difficulty,
                needs_rfc=number % 3 == 0,
                description=DESCRIPTION.format(title=title, api=api),
            )
            task.save()
            tasks.append(task)
    return tasks


def _claim(task, person, top_state, start, rng, team="", actor_label="seed"):
    claimed_at = _at(start + timedelta(days=rng.randint(0, 20)), rng.randint(8, 22))
    claim = Claim.objects.create(
        task=task,
        person=person,
        team_name=team,
        state=top_state,
        created_at=claimed_at,
        state_changed_at=claimed_at,
    )
    history = [
        ClaimStateChange(
            claim=claim, from_state=None, to_state=1, actor_label=actor_label, created_at=claimed_at
        )
    ]
    when = claimed_at
    previous = 1
    steps = [s for s in range(2, top_state + 1) if task.needs_rfc or s not in (2, 3)]
    for step in steps:
        when = when + timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 8))
        history.append(
            ClaimStateChange(
                claim=claim,
                from_state=previous,
                to_state=step,
                actor_label=actor_label,
                created_at=when,
            )
        )
        previous = step
    ClaimStateChange.objects.bulk_create(history)
    claim.state_changed_at = when
    claim.save(update_fields=["state_changed_at"])
    if top_state >= ClaimState.PR_SUBMITTED:
        PullRequest.objects.create(
            claim=claim,
            url=f"https://github.com/PaddlePaddle/Paddle/pull/{58000 + task.number * 7 + rng.randint(0, 6)}",
            merged=top_state == ClaimState.COMPLETED,
            merged_at=when if top_state == ClaimState.COMPLETED else None,
        )
    if top_state == ClaimState.COMPLETED and task.completed_claim_id is None:
        task.completed_claim = claim
        task.completed_at = when
        task.save(update_fields=["completed_claim", "completed_at"])
    return claim


def _claims_for(tasks, plan, persons, start, rng, fixed=None):
    """plan: list of top states per task (None = unclaimed). A task gets 1–3 claims; its first
    claim has the top state, the others stay lower."""
    fixed = fixed or {}
    for task, top in zip(tasks, plan, strict=True):
        if top is None:
            continue
        people = rng.sample(persons, k=rng.choice([1, 1, 1, 2, 3]))
        if task.number in fixed:
            people = [fixed[task.number]] + [p for p in people if p != fixed[task.number]]
        _claim(task, people[0], top, start, rng, team=rng.choice(["", "", "", "飞桨小分队"]))
        for other in people[1:]:
            _claim(task, other, rng.randint(1, min(top, 4) if top > 1 else 1), start, rng)


def _plan(total, claimed, submitted, completed, rng):
    plan = (
        [ClaimState.COMPLETED] * completed
        + [rng.choice([ClaimState.PR_SUBMITTED, ClaimState.PARTIAL]) for _ in range(submitted - completed)]
        + [rng.choice([ClaimState.CLAIMED, ClaimState.RFC_SUBMITTED, ClaimState.DESIGN_DONE]) for _ in range(claimed - submitted)]
        + [None] * (total - claimed)
    )  # fmt: skip
    rng.shuffle(plan)
    return plan


def _tracks(edition, directions_by_track):
    directions = []
    for order, (name, slug, names, is_camp) in enumerate(directions_by_track):
        track, _created = Track.objects.get_or_create(
            edition=edition, slug=slug, defaults={"name": name, "order": order, "is_camp": is_camp}
        )
        for position, direction_name in enumerate(names):
            direction, _created = Direction.objects.get_or_create(
                track=track, name=direction_name, defaults={"order": position}
            )
            directions.append(direction)
    return directions


def seed_edition_5(command, persons, admin):
    edition, _created = Edition.objects.get_or_create(
        number=5,
        defaults={
            "name": "飞桨黑客马拉松第五期",
            "start_date": datetime(2023, 9, 15).date(),
            "end_date": datetime(2023, 12, 20).date(),
            "state": Edition.State.CLOSED,
        },
    )
    if Task.objects.filter(edition=edition).exists():
        return
    rng = random.Random(5)
    directions = _tracks(
        edition,
        [
            (
                "开源贡献个人挑战赛",
                "challenge",
                ["框架开发", "科学计算", "套件开发", "合作伙伴"],
                False,
            ),
            ("大模型应用与创意赛", "llm-apps", [], False),
            ("飞桨护航计划集训营", "camp", [], True),
        ],
    )
    tasks = _make_tasks(edition, directions, [48, 30, 26, 20], rng)
    start = edition.start_date
    fixed = {3: persons[0], 7: persons[0], 12: persons[0], 21: persons[1]}
    plan = _plan(124, 120, 96, 85, rng)
    for number in fixed:  # the demo accounts' tasks are completed ones
        index = number - 1
        if plan[index] != ClaimState.COMPLETED:
            swap = next(
                i for i, s in enumerate(plan) if s == ClaimState.COMPLETED and i + 1 not in fixed
            )
            plan[index], plan[swap] = plan[swap], plan[index]
    _claims_for(tasks, plan, persons, start, rng, fixed=fixed)
    actor = Actor.of(admin) if admin else Actor.system("seed")
    compute_results(edition, actor)
    edition.objection_deadline = timezone.now() + timedelta(days=30)
    edition.objection_reply_date = (timezone.now() + timedelta(days=35)).date()
    edition.save(update_fields=["objection_deadline", "objection_reply_date"])
    publish_results(edition, actor)
    command.stdout.write("Hackathon: edition 5 with 124 tasks and published results.")


def seed_edition_8(command, persons):
    today = timezone.localdate()
    edition, _created = Edition.objects.get_or_create(
        number=8,
        defaults={
            "name": "飞桨黑客马拉松第八期",
            "start_date": today - timedelta(days=40),
            "end_date": today + timedelta(days=50),
            "state": Edition.State.OPEN,
        },
    )
    # The repositories whose pull requests the GitHub webhook counts for this edition.
    for name in ("PaddlePaddle/Paddle", "PaddlePaddle/docs"):
        if not Repository.objects.filter(edition=edition, full_name__iexact=name).exists():
            Repository.objects.create(edition=edition, full_name=name)
    if Task.objects.filter(edition=edition).exists():
        return
    rng = random.Random(8)
    directions = _tracks(
        edition,
        [
            ("开源贡献个人挑战赛", "challenge", ["框架开发", "科学计算"], False),
            ("Fundable Projects", "fundable", ["基础设施"], False),
            ("飞桨护航计划集训营", "camp", [], True),
        ],
    )
    tasks = _make_tasks(edition, directions, [16, 6, 3], rng)
    start = edition.start_date
    framework = _plan(16, 13, 7, 6, rng)
    others = [None] * 9
    others[1] = ClaimState.CLAIMED
    others[6] = ClaimState.PR_SUBMITTED
    _claims_for(tasks, framework + others, persons[2:], start, rng)
    # The contributor demo account (megemini) has one fresh claim to move along.
    free = next(task for task in tasks[16:] if not task.claims.exists())
    _claim(free, persons[0], ClaimState.CLAIMED, today - timedelta(days=21), rng)
    command.stdout.write("Hackathon: edition 8 open for claims.")


def seed_happy_open_source(command, persons, admin):
    """快乐开源, a standalone activity (no edition) with its own published results: ¥500 a
    star, at most ¥3,000 a person."""
    task_set, _created = TaskSet.objects.get_or_create(
        slug="happy-open-source",
        defaults={
            "name": "快乐开源",
            "title_tags": "快乐开源",
            "star_value": Decimal("500"),
            "reward_cap": Decimal("3000"),
        },
    )
    if task_set.tasks.exists():
        return
    rng = random.Random(11)
    tasks = []
    for number in range(1, 13):
        task = Task(
            task_set=task_set,
            number=number,
            title=f"快乐开源：{TITLES[number % len(TITLES)].format(APIS[number % len(APIS)])}",
            difficulty=Decimal(1 + number % 3) / 2,
        )
        task.save()
        tasks.append(task)
    start = timezone.localdate() - timedelta(days=60)
    plan = (
        [ClaimState.COMPLETED] * 7
        + [ClaimState.PR_SUBMITTED] * 2
        + [ClaimState.CLAIMED, None, None]
    )
    _claims_for(tasks, plan, persons[1:], start, rng, fixed={1: persons[0]})
    actor = Actor.of(admin) if admin else Actor.system("seed")
    compute_results(task_set, actor)
    publish_results(task_set, actor, objection_deadline=timezone.now() + timedelta(days=30))
    command.stdout.write("Hackathon: 快乐开源 (standalone) with published results.")


def seed(command):
    persons = _person_pool()
    admin = User.objects.filter(username="admin", is_staff=True).first()
    seed_edition_5(command, persons, admin)
    seed_edition_8(command, persons)
    seed_happy_open_source(command, persons, admin)
