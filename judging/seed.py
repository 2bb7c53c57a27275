"""Demo judged contests: 大模型应用与创意赛 of the 5th hackathon (when the hackathon seed made
it), being judged, with two directions, weighted criteria, entries with likes and views and the
demo mentor as a judge; and a standalone contest whose results are published, with prizes and
certificates. Idempotent.

Rows are written as they stand (counters, history and certificates included), not through the
transitions, so seeding sends no e-mail."""

from decimal import Decimal

from django.utils import timezone

from hackathon.models import Edition
from pfcc.models import Person, User

from .models import (
    Award,
    Certificate,
    Contest,
    ContestChange,
    Criterion,
    Direction,
    Judge,
    Prize,
    Registration,
    Score,
    Scorecard,
    Submission,
    SubmissionViews,
    weighted_total,
)

DESCRIPTION = """\
基于文心大模型，发挥想象力和创新精神，开发 AI 原生应用。

- **趣味创意**：好玩、有创意的应用
- **生产力工具**：提升学习和工作效率的应用

应用需部署到星河社区应用中心，提交体验链接和源码仓库。
"""

DIRECTIONS = [("fun", "趣味创意", "好玩、有创意的应用"), ("productivity", "生产力工具", "提效工具")]
CRITERIA = [
    ("创意性", 40, "想法是否新颖"),
    ("完成度", 30, "功能是否完整可用"),
    ("实用性", 30, "是否解决真实问题"),
]
PRIZES = [("一等奖", 1, False), ("二等奖", 2, False), ("三等奖", 3, False), ("人气奖", 9, True)]

# (registrant login or None, entrant name, team logins, direction, title, likes, views)
ENTRIES = [
    ("contributor", "megemini", [], "productivity", "文档知识问答助手", 256, 3120),
    ("contributor", "megemini", [], "fun", "AI 古诗配图", 88, 940),
    ("mentee", "星河小队", ["GreatV"], "productivity", "会议纪要自动生成", 120, 1500),
    (None, "Tulip-hua", [], "fun", "数字人聊天室", 190, 2210),
    (None, "Ligoml", [], "fun", "周报小助手", 41, 380),
]


def _contest(slug, name, edition, state):
    contest, created = Contest.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "edition": edition,
            "state": state,
            "summary": "基于文心大模型，创意无限，开发 AI 原生应用。",
            "description": DESCRIPTION,
            "published_at": timezone.now() if state == Contest.State.PUBLISHED else None,
        },
    )
    if created:
        for order, (dslug, dname, description) in enumerate(DIRECTIONS):
            Direction.objects.create(
                contest=contest, slug=dslug, name=dname, description=description, order=order
            )
        for order, (cname, weight, description) in enumerate(CRITERIA):
            Criterion.objects.create(
                contest=contest, name=cname, weight=weight, description=description, order=order
            )
        for pname, order, popularity in PRIZES:
            Prize.objects.create(contest=contest, name=pname, order=order, is_popularity=popularity)
        ContestChange.objects.create(contest=contest, action="seed", to_state=state)
    return contest, created


def _entries(contest):
    directions = {d.slug: d for d in contest.directions.all()}
    people = 0
    submissions = []
    for username, name, team, direction, title, likes, views in ENTRIES:
        user = User.objects.filter(username=username).first() if username else None
        login = user.person.github if user is not None and hasattr(user, "person") else name
        registration = Registration.objects.filter(contest=contest, name=name).first()
        if registration is None:
            registration = Registration.objects.create(
                contest=contest,
                user=user,
                kind=Registration.Kind.TEAM if team else Registration.Kind.INDIVIDUAL,
                name=name,
            )
            members = [Person.objects.get_or_create_by_login(login)[0]]
            members += [Person.objects.get_or_create_by_login(t)[0] for t in team]
            registration.members.set(members)
            people += len(members)
        submission = Submission.objects.create(
            contest=contest,
            registration=registration,
            direction=directions[direction],
            title=title,
            summary=f"{title}：基于 ERNIE Bot SDK 的应用。",
            app_url="https://aistudio.baidu.com/application/detail/1",
            repository_url="https://github.com/PaddlePaddle/community",
            description=f"## {title}\n\n基于文心一言 API。\n\n- 上传文档\n- 提问\n- 得到回答",
            like_count=likes,
        )
        SubmissionViews.objects.create(submission=submission, count=views)
        submissions.append(submission)
    Contest.objects.filter(pk=contest.pk).update(
        registration_count=contest.registrations.count(),
        participant_count=people,
        submission_count=len(submissions),
    )
    return submissions


def _score(contest, judge, submissions, base):
    criteria = list(contest.criteria.all())
    for offset, submission in enumerate(submissions):
        values = {c.pk: max(0, min(c.max_score, base - offset)) for c in criteria}
        card = Scorecard.objects.create(
            judge=judge,
            submission=submission,
            state=Scorecard.State.SUBMITTED,
            total=weighted_total(values, criteria),
        )
        Score.objects.bulk_create(
            Score(scorecard=card, criterion=c, value=values[c.pk]) for c in criteria
        )
        Submission.objects.filter(pk=submission.pk).update(score=card.total, scorecard_count=1)


def seed(command):
    edition = Edition.objects.filter(number=5).first()
    judging, created = _contest(
        "hackathon-5th-llm", "大模型应用与创意赛", edition, Contest.State.JUDGING
    )
    if created:
        submissions = _entries(judging)
        mentor = User.objects.filter(username="mentor").first()
        if mentor is not None:
            judge = Judge.objects.create(contest=judging, user=mentor, name=mentor.display_name)
            _score(judging, judge, submissions[3:], 9)

    published, created = _contest(
        "ernie-apps-2024", "文心应用创意赛 2024", None, Contest.State.PUBLISHED
    )
    if created:
        submissions = _entries(published)
        staff = User.objects.filter(username="admin").first()
        if staff is not None:
            judge = Judge.objects.create(contest=published, user=staff, name=staff.display_name)
            _score(published, judge, submissions, 10)
        prizes = {p.name: p for p in published.prizes.all()}
        for prize, submission in [
            ("一等奖", submissions[0]),
            ("二等奖", submissions[2]),
            ("一等奖", submissions[3]),
            ("人气奖", submissions[0]),
        ]:
            award = Award.objects.create(
                contest=published, prize=prizes[prize], submission=submission
            )
            for person in submission.registration.members.all():
                Certificate.objects.create(award=award, person=person, name=person.display_name)
        Submission.objects.filter(pk=submissions[1].pk).update(score=Decimal("55.00"))
    command.stdout.write(
        f"Judging: {Contest.objects.count()} contests, {Submission.objects.count()} entries."
    )
