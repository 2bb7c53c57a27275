"""Staff in the admin: events with their questions, publishing and cancelling, the capacity
(never below the seats taken, the waiting list moving up when it grows), registrations with
their answers, bulk check-in and cancellation, and the CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Answer, Event, Registration
from pfcc.models import OutgoingEmail
from tests.factories import StaffFactory

from .factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
State = Registration.State


@pytest.fixture
def admin_client(client_for):
    return client_for(StaffFactory())


def event_form(event, **changes):
    local = timezone.localtime
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "summary": event.summary,
        "description": event.description,
        "starts_at_0": local(event.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": local(event.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(event.ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": local(event.ends_at).strftime("%H:%M:%S"),
        "format": event.format,
        "venue": event.venue,
        "address": "",
        "online_url": "",
        "speakers": "",
        "registration_enabled": "on",
        "capacity": "" if event.capacity is None else str(event.capacity),
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "recording_url": "",
        "slides_url": "",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
        "history-MIN_NUM_FORMS": "0",
        "history-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_create_an_event_with_questions_then_publish_it(admin_client):
    start = timezone.now() + timedelta(days=5)
    draft = EventFactory.build(slug="new-one", title="New one", starts_at=start, capacity=10)
    data = event_form(
        draft,
        **{
            "description": "Come **along**.",
            "questions-TOTAL_FORMS": "1",
            "questions-0-label": "Topic?",
            "questions-0-kind": "choice",
            "questions-0-choices": "A\nB",
            "questions-0-required": "on",
            "questions-0-order": "0",
            "questions-0-help_text": "",
        },
    )
    response = admin_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="new-one")
    assert event.state == Event.State.DRAFT
    assert "<strong>along</strong>" in event.description_html
    assert list(event.questions.values_list("label", "choices")) == [("Topic?", "A\nB")]
    assert admin_client.get(event.get_absolute_url()).status_code == 200

    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == Event.State.PUBLISHED
    assert event.history.get().action == "publish"


def test_a_choice_question_needs_choices_and_a_place_is_named(admin_client):
    draft = EventFactory.build(slug="bad", venue="")
    data = event_form(
        draft,
        **{
            "questions-TOTAL_FORMS": "1",
            "questions-0-label": "Topic?",
            "questions-0-kind": "choice",
            "questions-0-choices": "only one",
            "questions-0-order": "0",
        },
    )
    page = admin_client.post(reverse("admin:events_event_add"), data).content.decode()
    assert "Give at least two choices" in page
    assert "Name the place of an event that is not online only." in page
    assert not Event.objects.filter(slug="bad").exists()


def test_the_capacity_never_drops_below_the_seats_taken(admin_client, event):
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = admin_client.post(url, event_form(event, capacity="1")).content.decode()
    assert "2 people hold a seat" in page
    event.refresh_from_db()
    assert event.capacity == 2


def test_raising_the_capacity_moves_the_waiting_list_up(admin_client, event):
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    first = RegistrationFactory(event=event, state=State.WAITLISTED, email="first@example.org")
    second = RegistrationFactory(event=event, state=State.WAITLISTED)
    url = reverse("admin:events_event_change", args=[event.pk])
    response = admin_client.post(url, event_form(event, capacity="3"), follow=True)
    assert "1 person moved up from the waiting list" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    event.refresh_from_db()
    assert (first.state, second.state) == (State.REGISTERED, State.WAITLISTED)
    assert (event.capacity, event.seats_taken, event.waiting_count) == (3, 3, 1)
    assert OutgoingEmail.objects.filter(subject__contains="A seat is yours").get().to == [
        "first@example.org"
    ]


def test_cancelling_an_event_from_the_admin_emails_registrants(admin_client, event):
    RegistrationFactory(event=event, email="seated@example.org")
    admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "cancel_events", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.state == Event.State.CANCELLED
    assert OutgoingEmail.objects.get().to == ["seated@example.org"]


def test_registrations_in_the_admin_with_answers_and_bulk_actions(admin_client, event):
    question = QuestionFactory(event=event, label="Topic?")
    alice = RegistrationFactory(event=event, name="Alice", email="alice@example.org")
    Answer.objects.create(
        registration=alice, question=question, question_label="Topic?", value="AI"
    )
    bob = RegistrationFactory(event=event, name="Bob")
    waiting = RegistrationFactory(event=event, name="Carol", state=State.WAITLISTED)
    changelist = reverse("admin:events_registration_changelist")
    page = admin_client.get(changelist, {"q": "alice"}).content.decode()
    assert "alice@example.org" in page and "Bob" not in page
    page = admin_client.get(changelist, {"state__exact": "waitlisted"}).content.decode()
    assert "Carol" in page and "Alice" not in page
    page = admin_client.get(reverse("admin:events_registration_change", args=[alice.pk]))
    assert "AI" in page.content.decode()
    assert admin_client.get(reverse("admin:events_registration_add")).status_code == 403

    admin_client.post(changelist, {"action": "check_in", "_selected_action": [alice.pk]})
    admin_client.post(changelist, {"action": "cancel", "_selected_action": [bob.pk]})
    for registration in (alice, bob, waiting):
        registration.refresh_from_db()
    assert (alice.state, bob.state, waiting.state) == (
        State.ATTENDED,
        State.CANCELLED,
        State.REGISTERED,  # Bob's seat went to Carol
    )
    assert bob.history.last().actor_label.startswith("user")

    response = admin_client.post(
        changelist, {"action": "export_csv", "_selected_action": [alice.pk, bob.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Topic?" and len(rows) == 3
    assert {row[2]: row[-1] for row in rows[1:]} == {"Alice": "AI", "Bob": ""}


def test_the_admin_export_of_whole_events(admin_client, event):
    RegistrationFactory(event=event, name="Alice")
    other = EventFactory(title="Other")
    RegistrationFactory(event=other, name="Bob")
    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_registrations", "_selected_action": [event.pk, other.pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted((row[0], row[2]) for row in rows[1:]) == [
        ("Beijing meetup", "Alice"),
        ("Other", "Bob"),
    ]


@pytest.mark.parametrize("state", [Event.State.DRAFT, Event.State.PUBLISHED])
def test_the_admin_links_only_to_pages_that_exist(admin_client, state):
    """A draft has no check-in list or CSV yet (both answer 404 until it is published): its
    admin page does not link to them; every link it shows opens."""
    event = EventFactory(state=state)
    page = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    html = page.content.decode()
    check_in = reverse("events:check_in_list", kwargs={"slug": event.slug})
    export = reverse("events:registrations_csv", kwargs={"slug": event.slug})
    shown = [url for url in (check_in, export) if f'href="{url}"' in html]
    assert shown == ([] if state == Event.State.DRAFT else [check_in, export])
    for url in shown + [event.get_absolute_url()]:
        assert admin_client.get(url).status_code == 200
