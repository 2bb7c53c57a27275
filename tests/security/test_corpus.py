"""Every payload of the hostile-input corpus (tests/security/corpus.py) through every form
people write in, then every export and feed that shows what they wrote: never a 500, nothing
changes but what the form is for, nobody else is mailed, and no export or feed runs markup."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from events.models import Event
from judging.models import Submission
from tests.events.world import add_events
from tests.judging.world import add_judging

from . import test_hostile_input
from .corpus import CORPUS
from .test_hostile_input import submit
from .test_xss import _problems

pytestmark = pytest.mark.django_db
world = test_hostile_input.world  # the fixture: the security tests' world, a cohort open


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _forms(world):
    """(client, url, data for a payload, what may change) for every form people write in."""
    users = world.users
    ed, pub = world.edition.number, world.published.number
    return [
        (users["contributor"], reverse("hackathon:claim", args=[ed]),
         lambda p: {"numbers": "2", "team_name": p[:100], "github": p[:39]}, {"claims", "history", "profiles"}),
        (world.plain_user, reverse("hackathon:claim", args=[ed]),
         lambda p: {"numbers": "3", "team_name": p[:100], "github": p[:39]}, {"claims", "history", "profiles"}),
        (users["contributor"], reverse("hackathon:add_pull_request", args=[ed, world.claim.pk]),
         lambda p: {f"c{world.claim.pk}-url": p}, {"pulls", "claims", "history"}),
        (users["applicant"], reverse("hackathon:objection", args=[pub]),
         lambda p: {"text": p}, {"objections"}),
        (world.plain_user, reverse("membership:apply"),
         lambda p: {"github": p[:39], "name": p, "email": "victim@example.org", "other_contact": p,
                    "contributions": "https://github.com/PaddlePaddle/Paddle/pull/1", "statement": p},
         {"membership", "profiles"}),
        (users["mentee"], reverse("camp:write", args=[world.second_period.pk]),
         lambda p: {"work": p, "questions": p, "next_work": p, "action": "save"}, {"reports"}),
        (users["mentor"], reverse("camp:report", args=[world.report.pk]),
         lambda p: {"text": p}, {"reports", "reviews"}),
        (users["staff"], reverse("blog:preview"), lambda p: {"body": p}, set()),
        # A judged contest's registration once asked for an address: it asks no more (mail goes
        # to the account's verified one), so a typed victim's address is ignored.
        (world.plain_user, reverse("judging:register", args=[world.jd_open.slug]),
         lambda p: {"kind": "individual", "name": p[:150], "email": "victim@example.org",
                    "members": ""},
         {"contests", "contest_registrations"}),
        # An entrant's app: every field people read (the gallery, results, the certificate).
        (users["contributor"], reverse("judging:submit", args=[world.jd_open.slug]),
         lambda p: {"direction": world.jd_open.directions.get().pk, "title": p[:200],
                    "summary": p[:300], "app_url": "https://aistudio.example/app",
                    "repository_url": "", "description": p},
         {"entries", "contests"}),
        (users["contributor"], reverse("judging:edit", args=[world.jd_open.slug, world.jd_entry.pk]),
         lambda p: {"direction": world.jd_open.directions.get().pk, "title": p[:200],
                    "summary": p[:300], "app_url": "https://aistudio.example/app",
                    "repository_url": "", "description": p},
         {"entries"}),
        # A judge's comment, for the other judges and staff.
        (users["mentor"], reverse("judging:score", args=[world.jd_judging.slug, world.jd_judged_entry.pk]),
         lambda p: {f"c{world.jd_judging.criteria.get().pk}": "3", "comment": p, "action": "submit"},
         {"scorecards"}),
        # A meetup's registration: the name on the badge, an answer staff export.
        (users["mentee"], reverse("events:register", args=[world.event.slug]),
         lambda p: {"name": p[:150], f"q{world.event_question.pk}": p[:300]},
         {"events", "registrations"}),
    ]  # fmt: skip


def _exports(world):
    ed = world.edition.number
    return [
        (None, reverse("hackathon:board_md", args=[ed])),
        (None, reverse("hackathon:progress_md", args=[ed])),
        (None, reverse("hackathon:board_json", args=[ed])),
        (None, reverse("blog:feed_rss")),
        (None, reverse("blog:feed_atom")),
        ("mentee", reverse("camp:report_export", args=[world.report.pk])),
        ("ta", reverse("camp:period_summary", args=[world.cohort.slug, 1])),
        (None, reverse("events:ics", args=[world.event.slug])),
        (None, reverse("events:feed")),
        (None, reverse("judging:results_json", args=[world.jd_published.slug])),
    ]


def test_every_payload_through_every_form_then_every_export(world, settings):
    add_events(add_judging(world))
    # Every payload reaches every form (their limits would answer 429 after ten).
    scopes = ("judging.register", "judging.submit", "judging.edit", "judging.score")
    settings.PFCC_RATE_LIMITS = {
        **settings.PFCC_RATE_LIMITS,
        **dict.fromkeys((*scopes, "events.register"), "1000/m"),
    }
    forms = [(_client(user), url, data, may) for user, url, data, may in _forms(world)]
    readers = {
        role: _client(world.users[role] if role else None) for role in (None, "mentee", "ta")
    }
    failures = []
    for payload in CORPUS:
        for client, url, data, may_change in forms:
            mail.outbox.clear()
            submit(client, "post", url, data(payload), may_change)
            stray = [m.to for m in mail.outbox if "victim@example.org" in m.to]
            if stray:
                failures.append(f"{url} mailed {stray} for {payload[:40]!r}")
    # What the forms store is shown by the exports and feeds: write it for real once per payload.
    winner = world.jd_certificate.award.submission
    for payload in CORPUS:
        world.claim.team_name = payload[:100]
        world.claim.save()
        world.report.work = payload
        world.report.save()
        # What staff type for a meetup (its title and place), what an entrant typed.
        Event.objects.filter(pk=world.event.pk).update(title=payload[:200], venue=payload[:200])
        Submission.objects.filter(pk=winner.pk).update(title=payload[:200], summary=payload[:300])
        for role, url in _exports(world):
            response = readers[role].get(url)
            if response.status_code != 200:
                failures.append(f"{url}: {response.status_code} for {payload[:40]!r}")
                continue
            failures += [f"{url}: {p} for {payload[:40]!r}" for p in _problems(response)]
    assert not failures, "\n".join(failures[:30])
