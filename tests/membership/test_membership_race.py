"""One open application per person under a real race: two requests submitted at the same moment
on PostgreSQL, each in its own thread and database connection, both past the view's own check."""

import contextlib
import threading

import pytest
from django.core import mail
from django.db import connection
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
# Two accounts typing the same login no longer race here: the first typed login becomes an
# unverified person of that account, and the second account is refused before any INSERT
# (tests/pfcc/test_github_login.py).
@pytest.mark.parametrize("who", ["one user in two tabs"])
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

    # Both requests may meet at the INSERT (the database's constraint decides) or the second may
    # wait on the first's row lock (the barrier then times out): either way, one application.
    # The loser is sent to the status page (same user) or told the login is taken (200).
    # The winner goes to the status page; the loser too, or sees the form again with the reason.
    codes = sorted(response.status_code for response in responses)
    assert codes in ([302, 302], [200, 302])
    # The database refused the second INSERT; the view turned it into a message.
    assert len(refused) <= 1
    assert MembershipApplication.objects.count() == 1
    assert MembershipApplicationEvent.objects.count() == 1
    # One application: one e-mail to the applicant and one to staff, not two of each.
    # (The applicant's is the account's verified address, never one typed into the form.)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [first.email, "staff@pfcc.example.org"]
    )
