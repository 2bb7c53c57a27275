"""Membership's part of the load benchmark's data set (`manage.py seed_bench`): 5,000
applications a scale step in every state, and the members they made."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password

from pfcc.models import User

from .models import Membership, MembershipApplication


def is_seeded(bench, scale) -> bool:
    count = MembershipApplication.objects.filter(github__startswith=bench.prefix).count()
    return count == 5000 * scale


def wipe(bench):
    Membership.objects.filter(person__github__startswith=bench.prefix).delete()
    MembershipApplication.objects.filter(github__startswith=bench.prefix).delete()


def summary(bench) -> str:
    return ""


def seed(bench, scale):
    total = 5000 * scale
    unusable = make_password(None)  # nobody signs in with these
    users = bench.bulk(
        User,
        [
            User(
                username=f"{bench.prefix}u{n}",
                email=f"{bench.prefix}u{n}@bench.invalid",
                password=unusable,
            )
            for n in range(total)
        ],
    )
    states = list(MembershipApplication.State)
    applications = []
    for n, (user, person) in enumerate(zip(users, bench.persons, strict=True)):
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
    applications = bench.bulk(MembershipApplication, applications)
    bench.bulk(
        Membership,
        [
            Membership(
                person_id=a.person_id,
                application=a,
                joined_on=bench.today - timedelta(days=n % 700),
            )
            for n, a in enumerate(applications)
            if a.state == MembershipApplication.State.INVITED
        ],
    )
