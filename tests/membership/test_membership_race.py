"""One open application per person under a real race: two requests submitted at the same moment
on PostgreSQL, each in its own thread and database connection, both past the view's own check."""

import contextlib
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection
from django.test import Client

from membership import transitions as services
from membership.models import MembershipApplication, MembershipApplicationEvent
from tests.concurrency import run_at_once
from tests.factories import UserFactory

FORM = {
    "github": "racing-dev",
    "name": "Racing Dev",
    "email": "racer@example.org",
    "contributions": "https://github.com/PaddlePaddle/Paddle/pull/70000",
    "statement": "Two tabs, one click each.",
}


@pytest.mark.postgres(reason="two submits cannot race where one writer runs at a time")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["one user in two tabs", "two users with the same login"])
def test_two_concurrent_submits_make_one_application(who, monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite runs one writer at a time, "
            "so two submits cannot race there"
        )
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    first = UserFactory()
    users = [first, first] if who == "one user in two tabs" else [first, UserFactory()]

    # Hold both requests just before their INSERT until both are there, so they really race on
    # the database's constraint rather than on the view's "already applied?" check.
    barrier = threading.Barrier(2)
    original_create = MembershipApplication.objects.create

    def create_together(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        return original_create(**kwargs)

    monkeypatch.setattr(MembershipApplication.objects, "create", create_together)
    refused = []
    original_submit = services.submit_application

    def submit_application(*args, **kwargs):
        try:
            return original_submit(*args, **kwargs)
        except services.ApplicationAlreadyOpen as error:
            refused.append(error.__cause__)
            raise

    monkeypatch.setattr(services, "submit_application", submit_application)

    def submit(user):
        client = Client(raise_request_exception=True)
        client.force_login(user)
        return lambda: client.post("/join/", FORM)

    responses = run_at_once([submit(user) for user in users])

    assert not barrier.broken, "the two requests did not reach the INSERT together"
    # The loser is sent to the status page (same user) or told the login is taken (200).
    expected = [302, 302] if who == "one user in two tabs" else [200, 302]
    assert sorted(response.status_code for response in responses) == expected
    # The database refused the second INSERT; the view turned it into a message.
    assert len(refused) == 1 and isinstance(refused[0], IntegrityError)
    assert MembershipApplication.objects.count() == 1
    assert MembershipApplicationEvent.objects.count() == 1
    # One application: one e-mail to the applicant and one to staff, not two of each.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "racer@example.org",
        "staff@pfcc.example.org",
    ]
