"""Demo membership data: applications in every state and a few listed members. Idempotent.

Run by `manage.py seed_demo` after the core accounts exist. Rows are written directly (with
their history) rather than through the services, so seeding sends no e-mail.
"""

from datetime import timedelta

from django.utils import timezone

from pfcc.models import Person, User

from .models import (
    Membership,
    MembershipApplication,
    MembershipApplicationEvent,
)

State = MembershipApplication.State

# Founding members, listed in the directory: (GitHub login, days since joining).
FOUNDING_MEMBERS = [("Ligoml", 720), ("luotao1", 700), ("Tulip-hua", 400), ("GreatV", 200)]

# (username, the states its application went through, note of the last change)
DEMO_APPLICATIONS = [
    # The mentor is a member: submitted → under review → accepted → invited.
    ("mentor", [State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED, State.INVITED], ""),
    # The mentee's application is being reviewed.
    ("mentee", [State.SUBMITTED, State.UNDER_REVIEW], ""),
    # The contributor was turned down once and may apply again.
    (
        "contributor",
        [State.SUBMITTED, State.UNDER_REVIEW, State.REJECTED],
        "请先完成至少一个黑客松任务或几个已合入的 PR 后再申请。 / Please come back after a "
        "completed hackathon task or a few merged pull requests.",
    ),
]

DEMO_PRS = [
    "https://github.com/PaddlePaddle/Paddle/pull/58000",
    "https://github.com/PaddlePaddle/Paddle/pull/58123",
    "https://github.com/PaddlePaddle/docs/pull/6200",
]


def seed(command):
    now = timezone.now()
    today = timezone.localdate()
    for login, days in FOUNDING_MEMBERS:
        person, _ = Person.objects.get_or_create_by_login(login)
        if not person.public_profile:
            person.public_profile = True
            person.save(update_fields=["public_profile", "updated_at"])
        Membership.objects.get_or_create(
            person=person, defaults={"joined_on": today - timedelta(days=days)}
        )

    staff = User.objects.filter(username="admin").first()
    created = 0
    for username, states, note in DEMO_APPLICATIONS:
        user = User.objects.filter(username=username).first()
        person = Person.objects.of_user(user) if user is not None else None
        if person is None or user.membership_applications.exists():
            continue
        started = now - timedelta(days=30)
        application = MembershipApplication.objects.create(
            applicant=user,
            person=person,
            github=person.github,
            name=person.name or user.display_name,
            email=user.email,
            other_contact="WeChat: pfcc-demo",
            contributions=DEMO_PRS,
            statement="我参与了飞桨框架的开发，希望加入 PFCC，和大家一起贡献。",
            language="zh-hans",
            state=states[-1],
            rejection_reason=note if states[-1] == State.REJECTED else "",
            created_at=started,
        )
        previous = ""
        for step, state in enumerate(states):
            MembershipApplicationEvent.objects.create(
                application=application,
                actor=user if state == State.SUBMITTED else staff,
                from_state=previous,
                to_state=state,
                note=note if step == len(states) - 1 else "",
                created_at=started + timedelta(days=3 * step),
            )
            previous = state
        if states[-1] == State.INVITED:
            person.public_profile = True
            person.save(update_fields=["public_profile", "updated_at"])
            Membership.objects.get_or_create(
                person=person,
                defaults={"application": application, "joined_on": today - timedelta(days=21)},
            )
        created += 1
    command.stdout.write(
        f"Membership: {Membership.objects.count()} members, {created} demo applications created."
    )
