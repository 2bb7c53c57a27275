"""One open application per person under a real race: two requests submitted (or withdrawn) at
the same moment on PostgreSQL, each in its own thread and database connection, both past the
view's own check and held together just before the INSERT the database's constraint decides."""

import contextlib
import threading

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client

from membership import transitions as services
from membership.models import MembershipApplication, MembershipApplicationEvent
from pfcc.models import Person
from tests.concurrency import run_at_once
from tests.factories import UserFactory

FORM = {
    "github": "racing-dev",
    "name": "Racing Dev",
    "email": "racer@example.org",
    "contributions": "https://github.com/PaddlePaddle/Paddle/pull/70000",
    "statement": "Two tabs, one click each.",
}

pytestmark = [
    pytest.mark.postgres(reason="two submits cannot race where one writer runs at a time"),
    pytest.mark.django_db(transaction=True),
]


def _hold_together(monkeypatch, manager):
    """Hold every call of `manager.create` until two requests are there, then let both INSERT."""
    barrier = threading.Barrier(2)
    original_create = manager.create

    def create_together(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        return original_create(**kwargs)

    monkeypatch.setattr(manager, "create", create_together)
    return barrier


def _refusals(monkeypatch):
    refused = []
    original_submit = services.submit_application

    def submit_application(*args, **kwargs):
        try:
            return original_submit(*args, **kwargs)
        except services.TransitionError as error:
            refused.append(error)
            raise

    monkeypatch.setattr(services, "submit_application", submit_application)
    return refused


def _submit(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return lambda: client.post("/join/", FORM)


def test_one_user_in_two_tabs_makes_one_application(monkeypatch, settings):
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    user = UserFactory()
    # Both tabs type the same new login: the second finds the person the first made for this
    # account (never "already known here: sign in with that GitHub account"), and both reach
    # the application's INSERT, where the database's constraint lets one through.
    barrier = _hold_together(monkeypatch, MembershipApplication.objects)
    refused = _refusals(monkeypatch)

    responses = run_at_once([_submit(user), _submit(user)])

    assert not barrier.broken, "the two requests did not reach the INSERT together"
    assert [response.status_code for response in responses] == [302, 302]
    assert {response.url for response in responses} == {"/join/status/"}
    assert len(refused) == 1
    assert isinstance(refused[0], services.ApplicationAlreadyOpen)
    assert isinstance(refused[0].__cause__, IntegrityError)
    assert Person.objects.filter(github__iexact="racing-dev").count() == 1
    assert MembershipApplication.objects.count() == 1
    assert MembershipApplicationEvent.objects.count() == 1
    # One application: one e-mail to the applicant and one to staff, not two of each.
    # (The applicant's is the account's verified address, never one typed into the form.)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [user.email, "staff@pfcc.example.org"]
    )
    # The tab that lost is told it already applied, not that its login belongs to someone else.
    status = Client()
    status.force_login(user)
    page = status.get("/join/status/").content.decode()
    assert "already known here" not in page


def test_two_accounts_typing_the_same_login_make_one_application(monkeypatch, settings):
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    first, second = UserFactory(), UserFactory()
    # Neither account has a person: both type the same new login at the same moment and are held
    # just before the person's INSERT, past the "is this login known?" check.
    barrier = _hold_together(monkeypatch, Person.objects)
    refused = _refusals(monkeypatch)

    responses = run_at_once([_submit(first), _submit(second)])

    assert not barrier.broken, "the two requests did not reach the INSERT together"
    codes = [response.status_code for response in responses]
    assert sorted(codes) == [200, 302]
    winner, loser = (first, second) if codes[0] == 302 else (second, first)
    # The login is the winner's, unverified until it signs in with GitHub; the loser is refused.
    person = Person.objects.get(github__iexact="racing-dev")
    assert person.user_id == winner.pk and person.github_id is None
    assert len(refused) == 1 and refused[0].code == "github_taken"
    assert isinstance(refused[0].__cause__.__cause__, IntegrityError)
    application = MembershipApplication.objects.get()
    assert application.applicant_id == winner.pk
    assert MembershipApplicationEvent.objects.count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [winner.email, "staff@pfcc.example.org"]
    )
    # The loser sees the form again: the reason on the login field, everything it typed kept.
    response = responses[codes.index(200)]
    form = response.context["form"]
    assert list(form.errors) == ["github"]
    assert "@racing-dev" in form.errors["github"][0]
    page = response.content.decode()
    assert FORM["statement"] in page and FORM["contributions"] in page
    assert 'value="Racing Dev"' in page
    assert not MembershipApplication.objects.filter(applicant=loser).exists()


def test_two_accounts_withdraw_at_the_same_time(monkeypatch, settings):
    """Two applicants withdraw their own applications at the same moment (each from the
    confirmation page): each is withdrawn once, with one history entry and one e-mail each."""
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    users = [UserFactory(), UserFactory()]
    clients = []
    for index, user in enumerate(users):
        client = Client(raise_request_exception=True)
        client.force_login(user)
        form = dict(FORM, github=f"racing-dev-{index}")
        assert client.post("/join/", form).status_code == 302
        clients.append(client)
    applications = list(MembershipApplication.objects.order_by("pk"))
    assert [a.applicant_id for a in applications] == [user.pk for user in users]
    mail.outbox.clear()

    def withdraw(client, application):
        return lambda: client.post(f"/join/{application.pk}/withdraw/")

    # Each account also withdraws twice (a double click): still one withdrawal each.
    jobs = [withdraw(c, a) for c, a in zip(clients, applications, strict=True)]
    responses = run_at_once(jobs + jobs)

    assert [response.status_code for response in responses] == [302] * 4
    for application in applications:
        application.refresh_from_db()
        assert application.state == MembershipApplication.State.WITHDRAWN
        assert application.events.filter(action="withdraw").count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(u.email for u in users)
