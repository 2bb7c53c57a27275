"""A large, realistic data set for the load benchmark: `manage.py seed_bench --scale N`.

At scale 1: 2,000 posts with authors and tags; 10 hackathon editions × 200 tasks with 1–3 claims
each (pull requests, history, results and certificates); 20 camp cohorts × 30 mentees × 8
report periods with reports and reviews; 5,000 membership applications; 5,000 persons. Scale N
has N times as many posts, editions, cohorts, applications and persons; a board (200 tasks) and
a cohort (30 × 8) keep their size.

Bulk inserts, a fixed random seed, and idempotent: bench rows carry a `bench-` prefix; a second
run at the same scale does nothing, at another scale it replaces them. Stored HTML is rendered
once per distinct text. The signed-in bench accounts are `bench-ta`, `bench-mentor` and
`bench-mentee` (TA of, mentor in and mentee of the first bench cohort).
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog.models import Category, Post, PostAuthor, Tag
from blog.rendering import render_post_markdown, split_excerpt
from camp.models import Cohort, Mentorship, Project, Report, ReportPeriod, Review, TechTalk
from camp.services import period_windows
from hackathon.models import (
    Certificate,
    Claim,
    ClaimState,
    ClaimStateChange,
    Direction,
    Edition,
    PullRequest,
    Result,
    Task,
    Track,
)
from pfcc.markdown import render_markdown
from pfcc.models import Membership, MembershipApplication, Person, User

SEED = 20261122
PREFIX = "bench-"
FIRST_EDITION = 1000  # bench editions are numbered from here, far from real ones
BATCH = 2000

POST_BODIES = [
    "飞桨框架 {n} 期社区动态。\n\n<!-- more -->\n\n## 进展\n\n本期完成了 **{n}** 项任务，"
    "合入 PR 若干。\n\n```python\nimport paddle\nprint(paddle.__version__)\n```\n\n"
    "- 框架开发\n- 科学计算\n- 套件开发\n\n更多细节见 [社区仓库](https://github.com/PaddlePaddle/community)。",
    "# Developer story {n}\n\nA contributor tells how they started with PaddlePaddle.\n\n"
    "<!-- more -->\n\n## First pull request\n\nIt took three reviews. " + "Lorem ipsum " * 80,
    "[[toc]]\n\n## 背景\n\n" + "深度学习框架的编译器 " * 60 + "\n\n## 方案\n\n" + "算子融合 " * 60,
    "Short note {n}: the weekly meeting moved to Thursday.",
]
TASK_TEXT = (
    "### 详细描述\n\n为 Paddle 新增 API，对齐 PyTorch。\n\n### 提交内容\n\n- API 实现\n- 单测\n"
    "- 中文文档\n\n### 技术要求\n\n熟悉 Python 与 C++。"
)
REPORT_TEXT = "- 完成算子开发 https://github.com/PaddlePaddle/Paddle/pull/{n}\n- 阅读代码"


def _chunks(rows, size=BATCH):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(model, rows):
    created = []
    for chunk in _chunks(rows):
        created.extend(model.objects.bulk_create(chunk))
    return created


class Command(BaseCommand):
    help = "Fill the database with the load benchmark's data set (idempotent, deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = 2,000 posts, … (default 1)")

    def handle(self, *args, scale, **options):
        if scale < 1:
            self.stderr.write("--scale must be at least 1")
            raise SystemExit(2)
        if self._seeded(scale):
            self.stdout.write(f"bench data at scale {scale} already present")
            return
        started = time.monotonic()
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.now = timezone.now()
        with transaction.atomic():
            self._wipe()
            self._persons(scale)
            self._blog(scale)
            self._hackathon(scale)
            self._camp(scale)
            self._membership(scale)
        self.stdout.write(
            f"bench data at scale {scale}: {Post.objects.filter(slug__startswith=PREFIX).count()} "
            f"posts, {Task.objects.filter(edition__number__gte=FIRST_EDITION).count()} tasks, "
            f"{Report.objects.filter(mentorship__cohort__slug__startswith=PREFIX).count()} reports,"
            f" {len(self.persons)} persons in {time.monotonic() - started:.1f} s"
        )

    def _seeded(self, scale) -> bool:
        return (
            Post.objects.filter(slug__startswith=PREFIX).count() == 2000 * scale
            and Person.objects.filter(github__startswith=PREFIX).count() == 5000 * scale
            and Edition.objects.filter(number__gte=FIRST_EDITION).count() == 10 * scale
            and Cohort.objects.filter(slug__startswith=PREFIX).count() == 20 * scale
            and MembershipApplication.objects.filter(github__startswith=PREFIX).count()
            == 5000 * scale
            and User.objects.filter(username="bench-ta").exists()
        )

    def _wipe(self):
        """Remove an earlier bench data set (another scale, or an interrupted run)."""
        cohorts = Cohort.objects.filter(slug__startswith=PREFIX)
        Review.objects.filter(report__mentorship__cohort__in=cohorts).delete()
        Report.objects.filter(mentorship__cohort__in=cohorts).delete()
        Mentorship.objects.filter(cohort__in=cohorts).delete()
        cohorts.delete()
        Edition.objects.filter(number__gte=FIRST_EDITION).delete()
        Post.objects.filter(slug__startswith=PREFIX).delete()
        Tag.objects.filter(slug__startswith=PREFIX).delete()
        Membership.objects.filter(person__github__startswith=PREFIX).delete()
        MembershipApplication.objects.filter(github__startswith=PREFIX).delete()
        User.objects.filter(username__startswith=PREFIX).delete()
        Person.objects.filter(github__startswith=PREFIX).delete()

    # --- persons and accounts ----------------------------------------------------------------

    def _persons(self, scale):
        total = 5000 * scale
        self.persons = _bulk(
            Person,
            [
                Person(
                    github=f"{PREFIX}p{n}",
                    name=f"贡献者 {n}" if n % 3 else "",
                    public_profile=n % 2 == 0,
                )
                for n in range(total)
            ],
        )
        accounts = {}
        for index, name in enumerate(("ta", "mentor", "mentee")):
            user = User(username=f"bench-{name}", email=f"bench-{name}@bench.invalid", name=name)
            user.set_unusable_password()
            user.save()
            Person.objects.filter(pk=self.persons[index].pk).update(user=user)
            accounts[name] = self.persons[index]
        self.accounts = accounts

    def _pick(self, count, start=3):
        return self.rng.sample(self.persons[start:], count)

    # --- blog ------------------------------------------------------------------------------

    def _blog(self, scale):
        Category.objects.ensure_defaults()
        categories = list(Category.objects.all())
        tags = _bulk(Tag, [Tag(slug=f"{PREFIX}t{n}", name=f"标签 {n}") for n in range(50 * scale)])
        rendered = {}
        for index, template in enumerate(POST_BODIES):
            body = template.format(n=index)
            excerpt = split_excerpt(body)
            html = render_post_markdown(body)
            rendered[index] = {
                "body": body,
                "excerpt": excerpt,
                "body_html": html.html,
                "toc_html": html.toc,
                "excerpt_html": render_post_markdown(excerpt).html if excerpt else "",
            }
        start = self.now - timedelta(days=1)
        posts = []
        for n in range(2000 * scale):
            text = rendered[n % len(POST_BODIES)]
            posts.append(
                Post(
                    slug=f"{PREFIX}post-{n}",
                    title=f"飞桨社区文章 {n}：框架开发与社区故事",
                    date=self.today - timedelta(days=n // 3),
                    category=categories[n % len(categories)],
                    status=Post.Status.PUBLISHED,
                    publish_at=start - timedelta(days=n // 3, minutes=n),
                    pinned=n == 0,
                    **text,
                )
            )
        posts = _bulk(Post, posts)
        authors, post_tags = [], []
        for post in posts:
            for order, person in enumerate(self._pick(self.rng.randint(1, 3))):
                authors.append(PostAuthor(post=post, person=person, order=order))
            for tag in self.rng.sample(tags, self.rng.randint(1, 3)):
                post_tags.append(Post.tags.through(post_id=post.pk, tag_id=tag.pk))
        _bulk(PostAuthor, authors)
        _bulk(Post.tags.through, post_tags)

    # --- hackathon ---------------------------------------------------------------------------

    def _hackathon(self, scale):
        description_html = render_markdown(TASK_TEXT).html
        editions = _bulk(
            Edition,
            [
                Edition(
                    number=FIRST_EDITION + n,
                    name=f"Bench Hackathon {n + 1}",
                    start_date=self.today - timedelta(days=400 - n),
                    end_date=self.today - timedelta(days=300 - n),
                    status=Edition.Status.RESULTS_PUBLISHED,
                    results_published_at=self.now - timedelta(days=30),
                    objection_deadline=self.now + timedelta(days=7),
                )
                for n in range(10 * scale)
            ],
        )
        self.editions = editions
        tracks = _bulk(
            Track,
            [
                Track(edition=e, name=name, slug=slug, order=i)
                for e in editions
                for i, (name, slug) in enumerate((("开源贡献个人挑战赛", "t1"), ("护航计划", "t2")))
            ],
        )
        directions = _bulk(
            Direction,
            [
                Direction(track=t, name=name, order=i)
                for t in tracks
                for i, name in enumerate(("框架开发", "科学计算", "套件开发", "合作伙伴"))
            ],
        )
        by_edition = {}
        for direction in directions:
            by_edition.setdefault(direction.track.edition_id, []).append(direction)
        tasks = _bulk(
            Task,
            [
                Task(
                    edition=e,
                    direction=by_edition[e.pk][n % len(by_edition[e.pk])],
                    number=n + 1,
                    title=f"为 Paddle 新增 API 第 {n + 1} 号",
                    difficulty=Decimal(self.rng.choice(["0.5", "1", "2", "3"])),
                    description=TASK_TEXT,
                    description_html=description_html,
                )
                for e in editions
                for n in range(200)
            ],
        )
        claims = []
        for task in tasks:
            for person in self._pick(self.rng.randint(1, 3)):
                claims.append(
                    Claim(
                        task=task,
                        person=person,
                        state=self.rng.randint(1, 6),
                        team_name="" if self.rng.random() < 0.8 else "队伍",
                        created_at=self.now - timedelta(days=self.rng.randint(1, 90)),
                    )
                )
        claims = _bulk(Claim, claims)
        _bulk(
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
        _bulk(
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
            task.completed_at = self.now
        Task.objects.bulk_update(
            [task_by_pk[pk] for pk in completed], ["completed_claim", "completed_at"], BATCH
        )
        results = []
        for edition in editions:
            for rank, person in enumerate(self._pick(100), start=1):
                stars = Decimal(self.rng.randint(1, 12))
                results.append(
                    Result(
                        edition=edition,
                        person=person,
                        rank=rank,
                        completed_tasks=self.rng.randint(1, 6),
                        task_numbers=sorted(self.rng.sample(range(1, 201), 3)),
                        stars=stars,
                        reward=min(stars * edition.star_value, edition.reward_cap),
                        is_open_source_star=rank <= 3,
                    )
                )
        results = _bulk(Result, results)
        _bulk(Certificate, [Certificate(result=r, code=f"BENCH{r.pk:011d}") for r in results])

    # --- camp --------------------------------------------------------------------------------

    def _camp(self, scale):
        texts = {n: REPORT_TEXT.format(n=n) for n in range(10)}
        html = {n: render_markdown(text).html for n, text in texts.items()}
        review_html = render_markdown("完成得不错，继续加油。").html
        batches = [Cohort.Batch.FIRST, Cohort.Batch.SECOND]
        cohorts = []
        for n in range(20 * scale):
            # the first cohort runs now (period 4 of 8); the others are finished
            start = self.today - timedelta(days=50 + 120 * n)
            cohorts.append(
                Cohort(
                    edition=self.editions[n // 2],
                    batch=batches[n % 2],
                    slug=f"{PREFIX}c{n}",
                    name=f"Bench Code Camp {n}",
                    status=Cohort.Status.RUNNING if n == 0 else Cohort.Status.FINISHED,
                    start_date=start,
                    end_date=start + timedelta(days=8 * 14 - 1),
                    description="护航计划集训营。",
                    description_html=render_markdown("护航计划集训营。").html,
                )
            )
        cohorts = _bulk(Cohort, cohorts)
        self.cohorts = cohorts
        periods = _bulk(
            ReportPeriod,
            [
                ReportPeriod(cohort=c, number=num, start_date=s, end_date=e, due_date=e)
                for c in cohorts
                for num, s, e in period_windows(c.start_date, c.end_date, 14)
            ],
        )
        periods_of = {}
        for period in periods:
            periods_of.setdefault(period.cohort_id, []).append(period)
        projects = _bulk(
            Project,
            [
                Project(
                    cohort=c,
                    number=n + 1,
                    title=f"项目 {n + 1}：算子开发",
                    introduction="算子开发",
                    introduction_html="<p>算子开发</p>",
                    seats=3,
                )
                for c in cohorts
                for n in range(10)
            ],
        )
        mentor, mentee, ta = self.accounts["mentor"], self.accounts["mentee"], self.accounts["ta"]
        cohorts[0].teaching_assistants.add(ta)
        mentorships, mentors = [], []
        for cohort_index, cohort in enumerate(cohorts):
            cohort_projects = projects[cohort_index * 10 : cohort_index * 10 + 10]
            people = self._pick(30)
            if cohort_index == 0:
                people = [mentee, *[p for p in people if p.pk != mentee.pk][:29]]
            for n, person in enumerate(people):
                mentorships.append(
                    Mentorship(cohort=cohort, project=cohort_projects[n // 3], mentee=person)
                )
        mentorships = _bulk(Mentorship, mentorships)
        project_mentors = []
        for project in projects:
            people = [mentor] if project.cohort_id == cohorts[0].pk else self._pick(1)
            project_mentors.extend(
                Project.mentors.through(project_id=project.pk, person_id=p.pk) for p in people
            )
        _bulk(Project.mentors.through, project_mentors)
        mentor_of = {}
        for row in project_mentors:
            mentor_of.setdefault(row.project_id, row.person_id)
        for m in mentorships:
            mentors.append(
                Mentorship.mentors.through(mentorship_id=m.pk, person_id=mentor_of[m.project_id])
            )
        _bulk(Mentorship.mentors.through, mentors)
        reports = []
        for m in mentorships:
            for period in periods_of[m.cohort_id]:
                if period.start_date > self.today:
                    continue
                roll = self.rng.random()
                if roll < 0.08:
                    continue  # missing
                status = (
                    Report.Status.DRAFT
                    if roll < 0.15
                    else Report.Status.SUBMITTED
                    if roll < 0.45
                    else Report.Status.REVIEWED
                )
                n = self.rng.randrange(10)
                submitted = timezone.make_aware(
                    timezone.datetime.combine(period.due_date, timezone.datetime.min.time())
                ) - timedelta(hours=self.rng.randint(-30, 60))
                reports.append(
                    Report(
                        mentorship=m,
                        period=period,
                        status=status,
                        work=texts[n],
                        work_html=html[n],
                        next_work="继续开发",
                        next_work_html="<p>继续开发</p>",
                        pr_links=[f"https://github.com/PaddlePaddle/Paddle/pull/{n}"],
                        submitted_at=None if status == Report.Status.DRAFT else submitted,
                        reviewed_at=submitted if status == Report.Status.REVIEWED else None,
                    )
                )
        reports = _bulk(Report, reports)
        _bulk(
            Review,
            [
                Review(
                    report=r,
                    mentor_id=mentor_of[r.mentorship.project_id],
                    text="完成得不错，继续加油。",
                    text_html=review_html,
                )
                for r in reports
                if r.status == Report.Status.REVIEWED
            ],
        )
        _bulk(
            TechTalk,
            [
                TechTalk(cohort=c, date=c.start_date + timedelta(days=14 * k), title=f"分享 {k}")
                for c in cohorts
                for k in range(3)
            ],
        )

    # --- membership --------------------------------------------------------------------------

    def _membership(self, scale):
        total = 5000 * scale
        unusable = make_password(None)  # nobody signs in with these
        users = _bulk(
            User,
            [
                User(
                    username=f"{PREFIX}u{n}",
                    email=f"{PREFIX}u{n}@bench.invalid",
                    password=unusable,
                )
                for n in range(total)
            ],
        )
        states = list(MembershipApplication.State)
        applications = []
        for n, (user, person) in enumerate(zip(users, self.persons, strict=True)):
            state = states[n % len(states)]
            applications.append(
                MembershipApplication(
                    applicant=user,
                    person=person,
                    github=person.github,
                    name=person.name or person.github,
                    email=user.email,
                    contributions=["https://github.com/PaddlePaddle/Paddle/pull/1"],
                    statement="我想加入 PFCC。",
                    state=state,
                )
            )
        applications = _bulk(MembershipApplication, applications)
        _bulk(
            Membership,
            [
                Membership(
                    person_id=a.person_id,
                    application=a,
                    joined_on=self.today - timedelta(days=n % 700),
                )
                for n, a in enumerate(applications)
                if a.state == MembershipApplication.State.INVITED
            ],
        )
