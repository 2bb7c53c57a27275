"""The events pages as people use them: visitors, registrants and staff, in both languages."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import transitions
from events.models import Answer, Event, Question, Registration
from tests.factories import PersonFactory, StaffFactory, UserFactory

from .factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
State = Registration.State


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_shows_upcoming_events_and_the_past_page_their_recordings(client_for):
    EventFactory(title="Next meetup")
    EventFactory(title="Hidden draft", state=Event.State.DRAFT)
    EventFactory(title="Called off", state=Event.State.CANCELLED)
    past = EventFactory(
        title="Last year",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30, hours=-2),
        recording_url="https://www.bilibili.com/video/BV1",
        slides_url="https://example.org/slides.pdf",
    )
    EventFactory(title="Full one", capacity=1, seats_taken=1)
    EventFactory(title="Roomy", capacity=5, seats_taken=1)
    page = html(client_for().get(reverse("events:index")))
    assert "Next meetup" in page and "Called off" in page
    assert "Full: the waiting list is open" in page and "4 seats left" in page
    assert "Hidden draft" not in page and "Last year" not in page
    page = html(client_for().get(reverse("events:past")))
    assert past.title in page and past.recording_url in page and past.slides_url in page
    assert "Next meetup" not in page


def test_the_event_page_for_a_visitor(client_for, event):
    page = html(client_for().get(event.get_absolute_url()))
    assert "0 of 2 seats taken." in page
    assert f'href="{reverse("account_login")}?next=/events/meetup/register/"' in page
    assert "<h2" in page and "<em>questions</em>" in page  # the stored Markdown
    assert reverse("events:ics", args=[event.slug]) in page
    assert 'name="csrfmiddlewaretoken"' not in page  # cacheable for every visitor


def test_drafts_are_for_staff_only(client_for):
    draft = EventFactory(state=Event.State.DRAFT, slug="draft")
    assert client_for().get(draft.get_absolute_url()).status_code == 404
    assert client_for(UserFactory()).get(draft.get_absolute_url()).status_code == 404
    assert client_for(StaffFactory()).get(draft.get_absolute_url()).status_code == 200
    assert client_for(UserFactory()).get(reverse("events:ics", args=["draft"])).status_code == 404


def test_register_with_answers_then_cancel(client_for, event):
    choice = QuestionFactory(
        event=event, label="Topic?", kind=Question.Kind.CHOICE, choices="Framework\nScience"
    )
    parking = QuestionFactory(event=event, label="Parking?", kind=Question.Kind.YES_NO)
    note = QuestionFactory(
        event=event, label="Anything else?", kind=Question.Kind.PARAGRAPH, required=False
    )
    user = UserFactory(name="Li Lei")
    client = client_for(user)
    url = reverse("events:register", args=[event.slug])
    form = html(client.get(url))
    assert "Topic?" in form and "Framework" in form and "Parking?" in form
    assert 'value="Li Lei"' in form and user.email in form  # where the mail goes, not a field

    # A required answer missing: the form again, with what was typed, and nothing saved.
    data = {"name": "Li Lei", "email": user.email, f"q{choice.pk}": "Framework"}
    page = html(client.post(url, data))
    assert "This field is required." in page and "Li Lei" in page
    assert not Registration.objects.exists()
    # Not one of the choices.
    response = client.post(url, {**data, f"q{parking.pk}": "no", f"q{choice.pk}": "Cooking"})
    assert response.status_code == 200 and not Registration.objects.exists()

    response = client.post(url, {**data, f"q{parking.pk}": "yes", f"q{note.pk}": ""})
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    registration = Registration.objects.get(user=user)
    assert registration.state == State.REGISTERED
    assert dict(Answer.objects.values_list("question_label", "value")) == {
        "Topic?": "Framework",
        "Parking?": "yes",
    }
    page = html(client.get(event.get_absolute_url()))
    assert "You are registered. See you there!" in page
    assert "1 of 2 seats taken." in page and "Cancel my registration" in page

    # Registering again sends back to the page.
    response = client.get(url)
    assert response.status_code == 302
    response = client.post(reverse("events:cancel", args=[event.slug]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    page = html(client.get(event.get_absolute_url()))
    assert "Your registration is cancelled." in page
    assert "You cancelled your registration." in page and "0 of 2 seats taken." in page


def test_a_full_event_offers_the_waiting_list_and_shows_the_place_in_line(client_for, event):
    RegistrationFactory(event=event)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, state=State.WAITLISTED)
    user = UserFactory()
    client = client_for(user)
    page = html(client.get(event.get_absolute_url()))
    assert "2 of 2 seats taken. 1 on the waiting list." in page
    assert "Join the waiting list" in page
    url = reverse("events:register", args=[event.slug])
    assert "The event is full." in html(client.get(url))
    client.post(url, {"name": "Waiting", "email": user.email})
    page = html(client.get(event.get_absolute_url()))
    assert "you are on the waiting list" in page
    assert "You are on the waiting list, number 2." in page
    assert "Leave the waiting list" in page


def test_the_online_link_is_for_people_with_a_seat(client_for):
    event = EventFactory(
        format=Event.Format.ONLINE, venue="", online_url="https://meet.example.org/x", capacity=1
    )
    seated = RegistrationFactory(event=event).user
    waiting = RegistrationFactory(event=event, state=State.WAITLISTED).user
    assert "meet.example.org" not in html(client_for().get(event.get_absolute_url()))
    assert "meet.example.org" not in html(client_for(waiting).get(event.get_absolute_url()))
    assert "meet.example.org" in html(client_for(seated).get(event.get_absolute_url()))
    # Without registration, the link is for everyone.
    open_talk = EventFactory(
        format=Event.Format.ONLINE,
        venue="",
        online_url="https://live.example.org/y",
        registration_enabled=False,
    )
    page = html(client_for().get(open_talk.get_absolute_url()))
    assert "live.example.org" in page and "No registration needed." in page


def test_closed_registration_is_said_and_refused(client_for):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(hours=1))
    client = client_for(UserFactory())
    assert "Registration is closed." in html(client.get(event.get_absolute_url()))
    response = client.post(
        reverse("events:register", args=[event.slug]), {"name": "x", "email": "x@example.org"}
    )
    assert response.status_code == 302 and not Registration.objects.exists()


def test_my_registrations(client_for, event):
    user = UserFactory()
    RegistrationFactory(event=event, user=user)
    other = EventFactory(title="Another one")
    RegistrationFactory(event=other, user=user, state=State.CANCELLED)
    RegistrationFactory(event=EventFactory(title="Not mine"))
    page = html(client_for(user).get(reverse("events:mine")))
    assert "Beijing meetup" in page and "Another one" in page and "Not mine" not in page
    assert client_for().get(reverse("events:mine")).status_code == 302


def test_both_languages(client_for, event):
    page = html(client_for(language="zh-hans").get(event.get_absolute_url()))
    assert "已占 0 个座位，共 2 个。" in page and "添加到我的日历" in page
    page = html(client_for(language="en").get(event.get_absolute_url()))
    assert "0 of 2 seats taken." in page and "Add to my calendar" in page
    assert "活动" in html(client_for(language="zh-hans").get(reverse("events:index")))


# --- Staff: the check-in list and the export ---------------------------------------------------


def test_check_in_is_for_staff_who_passed_the_second_factor(client_for, event):
    url = reverse("events:check_in_list", args=[event.slug])
    assert client_for().get(url).status_code == 302
    assert client_for(UserFactory()).get(url).status_code == 403
    # Staff without an authenticator are sent to set one up.
    response = client_for(StaffFactory(totp=False)).get(url)
    assert urlsplit(response["Location"]).path == reverse("mfa_activate_totp")
    # Staff signed in with the password alone are asked for a code.
    staff = StaffFactory()
    client = Client()
    assert client.login(username=staff.username, password="correct-horse-battery")
    assert SESSION_KEY in client.session
    response = client.get(url)
    assert urlsplit(response["Location"]).path == reverse("mfa_reauthenticate")
    csv_url = reverse("events:registrations_csv", args=[event.slug])
    assert client.get(csv_url).status_code == 302
    assert client_for(staff).get(url).status_code == 200


def test_staff_check_people_in_from_the_list(client_for, event):
    staff = StaffFactory()
    alice = RegistrationFactory(event=event, name="Alice Wang")
    RegistrationFactory(event=event, name="Bob Li")
    RegistrationFactory(event=event, name="Waiting Zhao", state=State.WAITLISTED)
    client = client_for(staff)
    url = reverse("events:check_in_list", args=[event.slug])
    page = html(client.get(url))
    assert "Alice Wang" in page and "Bob Li" in page and "Waiting Zhao" not in page
    assert "0 of 2 checked in." in page
    page = html(client.get(url, {"q": "alice"}))
    assert "Alice Wang" in page and "Bob Li" not in page

    action = reverse("events:check_in", args=[event.slug, alice.pk])
    response = client.post(action, {"action": "check_in", "q": "alice"})
    assert response["Location"] == f"{url}?q=alice#r{alice.pk}"
    alice.refresh_from_db()
    assert alice.state == State.ATTENDED
    page = html(client.get(url))
    assert "1 of 2 checked in." in page and "Alice Wang is checked in." in page
    client.post(action, {"action": "undo"})
    alice.refresh_from_db()
    assert alice.state == State.REGISTERED
    # A registration of another event is not reachable through this one.
    other = RegistrationFactory(event=EventFactory())
    assert client.post(reverse("events:check_in", args=[event.slug, other.pk])).status_code == 404
    # Contributors cannot check anyone in.
    response = client_for(UserFactory()).post(action, {"action": "check_in"})
    assert response.status_code == 403


def test_staff_export_registrations_with_answers(client_for, event):
    question = QuestionFactory(event=event, label="Topic?")
    user = UserFactory()
    transitions.register(
        event, user, name="Alice", email="alice@example.org", answers=[(question, "AI")]
    )
    RegistrationFactory(event=event, name="Bob", state=State.CANCELLED)
    response = client_for(StaffFactory()).get(
        reverse("events:registrations_csv", args=[event.slug])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Topic?"
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["Alice"][3] == "alice@example.org" and by_name["Alice"][-1] == "AI"
    assert by_name["Alice"][5] == "registered" and by_name["Bob"][5] == "cancelled"


# --- Other pages: home, person ------------------------------------------------------------------


def test_the_home_page_shows_the_next_events(client_for):
    EventFactory(title="Soon")
    EventFactory(title="Draft one", state=Event.State.DRAFT)
    page = html(client_for().get(reverse("pfcc:home")))
    assert "Upcoming events" in page and "Soon" in page and "Draft one" not in page


def test_the_person_page_shows_talks_to_all_and_registrations_to_themselves(client_for, event):
    user = UserFactory()
    person = PersonFactory(user=user, github="speaker-li")
    talk = EventFactory(title="Talk about PIR")
    talk.speakers.add(person)
    RegistrationFactory(event=event, user=user)
    url = person.get_absolute_url()
    page = html(client_for().get(url))
    assert "Talk about PIR" in page and "Beijing meetup" not in page
    assert "Beijing meetup" not in html(client_for(UserFactory()).get(url))
    page = html(client_for(user).get(url))
    assert "Beijing meetup" in page and "Only you see this list." in page


def test_registration_mails_the_verified_address_never_a_typed_one(client):
    """Issue 19, item 6 for events: a typed address would let anyone mail a stranger the
    confirmation with a "name" of the attacker's choosing."""
    from allauth.account.models import EmailAddress

    from pfcc.models import OutgoingEmail

    event = EventFactory()
    user = UserFactory(email="me@example.org")
    client.force_login(user)
    url = reverse("events:register", args=[event.slug])
    page = client.get(url)
    assert "me@example.org" in page.content.decode() and 'name="email"' not in page.content.decode()
    client.post(url, {"name": "Your account is locked, verify at evil", "email": "victim@x.org"})
    mails = list(OutgoingEmail.objects.all())
    assert mails and all(mail.to == ["me@example.org"] for mail in mails)

    unverified = UserFactory(email="new@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    client.force_login(unverified)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("account_email")
