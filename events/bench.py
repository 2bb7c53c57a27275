"""Events' part of the load benchmark's data set (`manage.py seed_bench`): 200 events a scale
step (half upcoming, half past with recordings), 1,000 accounts that register, 0–60
registrations an event in every state, and one big meetup (`bench-e0`) with 1,000
registrations, for the event page and the check-in list. Counters match the rows."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from common.markdown import render_markdown
from pfcc.models import User

from .models import Answer, Event, Question, Registration

EVENTS = 200
ACCOUNTS = 1000
BIG_EVENT = 1000
DESCRIPTION = (
    "飞桨开源社区活动 {n}。\n\n## 议程\n\n| 时间 | 内容 |\n| --- | --- |\n| 14:00 | 签到 |\n"
    "| 14:30 | 框架开发分享 |\n| 16:00 | 交流 |\n\n欢迎报名，名额有限。"
)
State = Registration.State


def is_seeded(bench, scale) -> bool:
    return Event.objects.filter(slug__startswith=bench.prefix).count() == EVENTS * scale


def wipe(bench):
    Event.objects.filter(slug__startswith=bench.prefix).delete()
    User.objects.filter(username__startswith=f"{bench.prefix}ev").delete()


def summary(bench) -> str:
    events = Event.objects.filter(slug__startswith=bench.prefix)
    registrations = Registration.objects.filter(event__slug__startswith=bench.prefix)
    return f"{events.count()} events with {registrations.count()} registrations"


def seed(bench, scale):
    unusable = make_password(None)
    users = bench.bulk(
        User,
        [
            User(
                username=f"{bench.prefix}ev{n}",
                email=f"{bench.prefix}ev{n}@bench.invalid",
                name=f"参会者 {n}",
                password=unusable,
            )
            for n in range(ACCOUNTS * scale)
        ],
    )
    html = render_markdown(DESCRIPTION.format(n=0)).html
    events = []
    for n in range(EVENTS * scale):
        upcoming = n % 2 == 0
        starts = bench.now + timedelta(days=(n // 2) + 1 if upcoming else -(n // 2) - 1, hours=6)
        online = n % 3 == 0
        events.append(
            Event(
                slug=f"{bench.prefix}e{n}",
                title=f"飞桨开源社区活动 {n}",
                kind=Event.Kind.TALK if online else Event.Kind.MEETUP,
                state=Event.State.PUBLISHED,
                summary="框架开发、黑客松与护航计划。",
                description=DESCRIPTION.format(n=0),
                description_html=html,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                format=Event.Format.ONLINE if online else Event.Format.IN_PERSON,
                venue="" if online else "北京 798 艺术区",
                online_url="https://meeting.example.org/bench" if online else "",
                capacity=None if online else (BIG_EVENT if n == 0 else 40),
                recording_url="" if upcoming else "https://www.bilibili.com/video/BVbench",
                slides_url="" if upcoming else "https://github.com/PaddlePaddle/community",
            )
        )
    events = bench.bulk(Event, events)
    questions = bench.bulk(
        Question,
        [
            Question(event=event, label="你最想听的话题", kind=Question.Kind.TEXT, required=False)
            for event in events
        ],
    )
    registrations = []
    counts = {}
    for index, event in enumerate(events):
        size = BIG_EVENT if index == 0 else bench.rng.randint(0, 60)
        upcoming = event.starts_at > bench.now
        seats = waiting = 0
        for user in bench.rng.sample(users, min(size, len(users))):
            if event.capacity is not None and seats >= event.capacity:
                state = State.WAITLISTED
            elif bench.rng.random() < 0.1:
                state = State.CANCELLED
            elif not upcoming and bench.rng.random() < 0.7:
                state = State.ATTENDED
            else:
                state = State.REGISTERED
            seats += state in Registration.SEAT_STATES
            waiting += state == State.WAITLISTED
            registrations.append(
                Registration(
                    event=event, user=user, name=user.name, email=user.email, state=state,
                    checked_in_at=event.starts_at if state == State.ATTENDED else None,
                )
            )  # fmt: skip
        counts[event.pk] = (seats, waiting)
    registrations = bench.bulk(Registration, registrations)
    by_event = {question.event_id: question for question in questions}
    bench.bulk(
        Answer,
        [
            Answer(
                registration=registration,
                question=by_event[registration.event_id],
                question_label=by_event[registration.event_id].label,
                value="框架开发",
            )
            for registration in registrations[::3]
        ],
    )
    for event in events:
        event.seats_taken, event.waiting_count = counts[event.pk]
    Event.objects.bulk_update(events, ["seats_taken", "waiting_count"], batch_size=bench.batch)
