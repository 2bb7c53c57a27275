"""Registrations are private rows: writing them leaves cached pages alone, while the seat counts
visitors see (kept on the event) refresh the cached pages at once. A user's registrations are in
their data download and go with their account (their seat to the waiting list)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from common import cache
from events.models import Answer, Event, Registration, RegistrationChange
from pfcc.models import OutgoingEmail, User
from tests.factories import UserFactory

from .factories import QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    cache.pages.clear()
    yield
    cache.pages.clear()


def visitor_page(url) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_registration_refreshes_the_cached_seat_count(event):
    assert "0 of 2 seats taken." in visitor_page(event.get_absolute_url())
    assert len(cache.pages) == 1
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory())
    response = client.post(
        reverse("events:register", args=[event.slug]), {"name": "A", "email": "a@example.org"}
    )
    assert response.status_code == 302
    assert "1 of 2 seats taken." in visitor_page(event.get_absolute_url())


def test_private_rows_do_not_invalidate_pages(event):
    registration = RegistrationFactory(event=event)  # the factory also moves the counters
    visitor_page(event.get_absolute_url())
    before = cache.stamp.read()
    Registration.objects.filter(pk=registration.pk).update(name="Renamed")
    Answer.objects.create(registration=registration, question_label="Q", value="A")
    RegistrationChange.objects.create(registration=registration, action="x", to_state="x")
    assert cache.stamp.read() == before
    Event.objects.filter(pk=event.pk).update(title="New title")
    assert cache.stamp.read() != before
    assert "New title" in visitor_page(event.get_absolute_url())


def test_the_data_download_holds_ones_registrations_with_answers(client, event):
    user = UserFactory()
    question = QuestionFactory(event=event, label="Topic?")
    from events import transitions

    registration = transitions.register(
        event, user, name="Me", email="me@example.org", answers=[(question, "AI")]
    )
    transitions.check_in(registration, UserFactory(is_staff=True, is_superuser=True))
    RegistrationFactory(event=event, name="Somebody else", email="else@example.org")
    client.force_login(user)
    data = json.loads(client.get(reverse("pfcc:account_data")).content)
    [mine] = data["events"]
    assert mine["event"] == "Beijing meetup" and mine["email"] == "me@example.org"
    assert mine["answers"] == [{"question": "Topic?", "answer": "AI"}]
    assert [(h["change"], h["by"]) for h in mine["history"]] == [
        ("register", "you"),
        ("check_in", "staff"),
    ]
    assert "else@example.org" not in json.dumps(data)


def test_deleting_an_account_gives_its_seat_to_the_waiting_list(client, event):
    leaving = UserFactory()
    RegistrationFactory(event=event, user=leaving, email="leaving@example.org")
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, state=Registration.State.WAITLISTED)
    client.force_login(leaving)
    response = client.post(reverse("pfcc:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Registration.objects.filter(email="leaving@example.org").exists()
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert waiting.state == Registration.State.REGISTERED
    assert (event.seats_taken, event.waiting_count) == (2, 0)
    # The promoted person is told; nothing is stored for the deleted address.
    assert OutgoingEmail.objects.filter(subject__contains="A seat is yours").count() == 1
    assert not [m for m in OutgoingEmail.objects.all() if "leaving@example.org" in m.to]
