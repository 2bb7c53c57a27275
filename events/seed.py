"""Demo events: a meetup at a place with questions, an online talk, a small session that is full
with a waiting list, a past meetup with its recording and slides, and a draft. Idempotent.

Rows are written as they stand (with their history and the event's counters), not through the
transitions, so seeding sends no e-mail."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from pfcc.models import Person, User

from .models import Event, EventChange, Question, Registration, RegistrationChange

State = Registration.State


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


MEETUP_DESCRIPTION = """\
飞桨开源社区 meetup，欢迎来聊框架开发、黑客松和护航计划。

## 议程

| 时间 | 内容 |
| --- | --- |
| 14:00 | 签到 |
| 14:30 | 飞桨框架 3.0 新特性 |
| 15:30 | 黑客松优秀选手分享 |
| 16:30 | 自由交流 |

现场有茶歇。请带上身份证件以便入园。
"""

TALK_DESCRIPTION = """\
护航计划技术分享会：**PIR** 与新执行器。

- PIR 的设计与 Pass 体系
- 新执行器的调度
- 如何参与相关任务

分享后有 15 分钟问答。
"""

EVENTS = [
    {
        "slug": "beijing-meetup",
        "title": "飞桨开源社区 Meetup · 北京 798",
        "kind": Event.Kind.MEETUP,
        "summary": "本周六下午在北京 798 举行的飞桨开源社区 meetup。",
        "description": MEETUP_DESCRIPTION,
        "starts_at": (10, 14),
        "ends_at": (10, 17),
        "format": Event.Format.IN_PERSON,
        "venue": "北京 798 艺术区",
        "address": "北京市朝阳区酒仙桥路 4 号",
        "capacity": 30,
        "questions": [
            (
                "你最想听的话题",
                Question.Kind.CHOICE,
                "框架开发\n科学计算\n大模型应用\n社区与黑客松",
                True,
            ),
            ("是否需要停车位？", Question.Kind.YES_NO, "", True),
            ("想对社区说的话", Question.Kind.PARAGRAPH, "", False),
        ],
        "registrations": [("contributor", State.REGISTERED)],
    },
    {
        "slug": "tech-talk-pir",
        "title": "技术分享会：PIR 与新执行器",
        "kind": Event.Kind.TALK,
        "summary": "护航计划技术分享会，线上进行。",
        "description": TALK_DESCRIPTION,
        "starts_at": (3, 19, 30),
        "ends_at": (3, 21),
        "format": Event.Format.ONLINE,
        "online_url": "https://meeting.example.org/pfcc-pir",
        "speakers": ["SigureMo"],
        "registrations": [("mentee", State.REGISTERED), ("contributor", State.REGISTERED)],
    },
    {
        "slug": "code-reading",
        "title": "源码共读：自动微分",
        "kind": Event.Kind.MEETUP,
        "summary": "小范围源码共读，名额有限。",
        "description": "一起读飞桨自动微分的源码。名额 2 人，满员后可以排队候补。",
        "starts_at": (1, 20),
        "ends_at": (1, 21, 30),
        "format": Event.Format.HYBRID,
        "venue": "百度科技园 K2",
        "online_url": "https://meeting.example.org/pfcc-autodiff",
        "capacity": 2,
        "registrations": [
            ("mentee", State.REGISTERED),
            ("mentor", State.REGISTERED),
            ("contributor", State.WAITLISTED),
        ],
    },
    {
        "slug": "hackathon-5th-meetup",
        "title": "第五期黑客松线下颁奖 Meetup",
        "kind": Event.Kind.MEETUP,
        "summary": "第五期黑客松颁奖与优秀选手分享。",
        "description": "颁奖、选手分享与合影。回放和幻灯片见下方链接。",
        "starts_at": (-30, 14),
        "ends_at": (-30, 17),
        "format": Event.Format.IN_PERSON,
        "venue": "北京 798 艺术区",
        "capacity": 50,
        "recording_url": "https://www.bilibili.com/video/BV1demo5th",
        "slides_url": "https://github.com/PaddlePaddle/community/tree/master/pfcc/meetup",
        "speakers": ["Ligoml", "luotao1"],
        "registrations": [("mentor", State.ATTENDED), ("contributor", State.REGISTERED)],
    },
    {
        "slug": "workshop-draft",
        "title": "Paddle 动转静工作坊（筹备中）",
        "kind": Event.Kind.MEETUP,
        "state": Event.State.DRAFT,
        "description": "筹备中，尚未发布。",
        "starts_at": (40, 9),
        "ends_at": (40, 12),
        "format": Event.Format.ONLINE,
    },
]


def _time(spec) -> datetime:
    return _at(*spec)


def seed(command):
    created = 0
    staff = User.objects.filter(username="admin").first()
    for spec in EVENTS:
        spec = dict(spec)
        questions = spec.pop("questions", [])
        registrations = spec.pop("registrations", [])
        speakers = spec.pop("speakers", [])
        slug = spec.pop("slug")
        state = spec.pop("state", Event.State.PUBLISHED)
        spec["starts_at"], spec["ends_at"] = _time(spec["starts_at"]), _time(spec["ends_at"])
        if Event.objects.filter(slug=slug).exists():
            continue
        event = Event.objects.create(slug=slug, state=state, **spec)
        created += 1
        if state != Event.State.DRAFT:
            EventChange.objects.create(
                event=event, actor=staff, actor_label="admin", action="publish",
                from_state=Event.State.DRAFT, to_state=state,
            )  # fmt: skip
        for order, (label, kind, choices, required) in enumerate(questions):
            Question.objects.create(
                event=event, label=label, kind=kind, choices=choices, required=required,
                order=order,
            )  # fmt: skip
        event.speakers.set([Person.objects.get_or_create_by_login(login)[0] for login in speakers])
        seats = waiting = 0
        for username, reg_state in registrations:
            user = User.objects.filter(username=username).first()
            if user is None:
                continue
            registration = Registration.objects.create(
                event=event,
                user=user,
                name=user.display_name,
                email=user.email,
                state=reg_state,
                checked_in_at=event.starts_at if reg_state == State.ATTENDED else None,
            )
            RegistrationChange.objects.create(
                registration=registration, actor=user, actor_label=user.username,
                action="register" if reg_state != State.WAITLISTED else "join_waiting_list",
                to_state=State.WAITLISTED if reg_state == State.WAITLISTED else State.REGISTERED,
            )  # fmt: skip
            if reg_state == State.ATTENDED:
                RegistrationChange.objects.create(
                    registration=registration, actor=staff, actor_label="admin",
                    action="check_in", from_state=State.REGISTERED, to_state=State.ATTENDED,
                )  # fmt: skip
            if reg_state == State.WAITLISTED:
                waiting += 1
            else:
                seats += 1
        Event.objects.filter(pk=event.pk).update(seats_taken=seats, waiting_count=waiting)
    command.stdout.write(f"Events: {Event.objects.count()} events, {created} demo events created.")
