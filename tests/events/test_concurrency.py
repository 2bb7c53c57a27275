"""Races on PostgreSQL, each request in its own thread and connection (tests/concurrency.py):
many people registering for the last seats, one person in several tabs, a cancellation racing new
registrations. And with the event's lock taken away, the database's own constraints still refuse
double registration and over-booking."""

import contextlib
import threading

import pytest
from django.db import IntegrityError
from django.test import Client

from events import transitions
from events.models import Event, Registration
from pfcc.models import OutgoingEmail
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = [
    pytest.mark.postgres(reason="registrations cannot race where one writer runs at a time"),
    pytest.mark.django_db(transaction=True),
]
State = Registration.State


def register(event, user):
    return lambda: transitions.register(event, user, name=user.username, email=user.email)


def assert_counts_match(event):
    event.refresh_from_db()
    seats = Registration.objects.holding_seats().filter(event=event).count()
    waiting = Registration.objects.filter(event=event, state=State.WAITLISTED).count()
    assert (event.seats_taken, event.waiting_count) == (seats, waiting)
    return seats, waiting


def test_many_people_for_the_last_seats_never_overbook():
    event = EventFactory(capacity=3)
    users = [UserFactory() for _ in range(12)]
    results = run_at_once([register(event, user) for user in users])
    assert sorted(r.state for r in results).count(State.REGISTERED) == 3
    assert assert_counts_match(event) == (3, 9)
    # The waiting list is in the order the registrations were made.
    line = list(Registration.objects.waiting_line().filter(event=event))
    assert [r.created_at for r in line] == sorted(r.created_at for r in line)


def test_one_person_in_four_tabs_registers_once():
    event = EventFactory(capacity=10)
    user = UserFactory()

    def submit():
        client = Client(raise_request_exception=True)
        client.force_login(user)
        return client.post(f"/events/{event.slug}/register/", {"name": "Tabs", "email": user.email})

    responses = run_at_once([submit for _ in range(4)])
    assert [response.status_code for response in responses] == [302] * 4
    assert Registration.objects.filter(event=event, user=user).count() == 1
    assert assert_counts_match(event) == (1, 0)
    assert OutgoingEmail.objects.count() == 1  # one confirmation, not four


def test_a_cancellation_racing_new_registrations():
    event = EventFactory(capacity=2)
    seated = [RegistrationFactory(event=event) for _ in range(2)]
    waiting = RegistrationFactory(event=event, state=State.WAITLISTED)
    newcomers = [UserFactory() for _ in range(4)]
    jobs = [lambda: transitions.cancel(seated[0], seated[0].user)]
    jobs += [register(event, user) for user in newcomers]
    run_at_once(jobs)
    waiting.refresh_from_db()
    assert waiting.state == State.REGISTERED  # first in line got the freed seat
    assert assert_counts_match(event) == (2, 4)


def test_check_ins_from_several_phones_at_once():
    event = EventFactory(capacity=None)
    registrations = [RegistrationFactory(event=event) for _ in range(6)]
    staff = UserFactory(is_staff=True, is_superuser=True)
    jobs = [lambda r=r: transitions.check_in(r, staff) for r in registrations]
    jobs += [lambda: transitions.check_in(registrations[0], staff)]  # the same person twice
    results = run_at_once(jobs, expected=(transitions.TransitionError,))
    assert sum(isinstance(r, transitions.TransitionError) for r in results) == 1
    assert Registration.objects.filter(event=event, state=State.ATTENDED).count() == 6
    assert assert_counts_match(event) == (6, 0)


@pytest.fixture
def without_the_event_lock(monkeypatch):
    """Take the event's row lock away and hold every registration just before its INSERT until
    the others are there: only the database's constraints are left to decide."""
    monkeypatch.setattr(transitions, "_lock_event", lambda pk: Event.objects.get(pk=pk))
    barrier = threading.Barrier(2)
    original = Registration.objects.create

    def create_together(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=10)
        return original(**kwargs)

    monkeypatch.setattr(Registration.objects, "create", create_together)
    return barrier


def test_the_database_refuses_a_double_registration(without_the_event_lock):
    event = EventFactory(capacity=10)
    user = UserFactory()
    results = run_at_once(
        [register(event, user), register(event, user)], expected=(transitions.AlreadyRegistered,)
    )
    assert not without_the_event_lock.broken
    assert sum(isinstance(r, transitions.AlreadyRegistered) for r in results) == 1
    assert isinstance(
        next(r for r in results if isinstance(r, Exception)).__cause__, IntegrityError
    )
    assert Registration.objects.filter(event=event).count() == 1
    assert assert_counts_match(event) == (1, 0)


def test_the_database_refuses_overbooking(without_the_event_lock):
    event = EventFactory(capacity=1)
    users = [UserFactory(), UserFactory()]
    results = run_at_once([register(event, u) for u in users], expected=(IntegrityError,))
    assert not without_the_event_lock.broken
    refused = [r for r in results if isinstance(r, IntegrityError)]
    assert len(refused) == 1 and "events_event_not_overbooked" in str(refused[0])
    assert assert_counts_match(event) == (1, 0)
