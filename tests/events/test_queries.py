"""Query budgets: every events page costs the same number of SQL queries with 10 or 1,000
events, registrations or talks (tests/queries.py)."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Answer, Event, Question, Registration
from pfcc.models import User
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.queries import assert_flat_queries

from .factories import EventFactory

pytestmark = pytest.mark.django_db
STATES = [
    Registration.State.REGISTERED,
    Registration.State.ATTENDED,
    Registration.State.WAITLISTED,
    Registration.State.CANCELLED,
]
_numbers = count()


def grow_events(*, past=False, speakers=(), state=Event.State.PUBLISHED):
    """grow(n): n events (upcoming, or past with recordings), each with the speakers."""

    def grow(total):
        have = Event.objects.filter(slug__startswith="q-").count()
        now = timezone.now()
        events = Event.objects.bulk_create(
            [
                Event(
                    slug=f"q-{next(_numbers)}",
                    title=f"Event {n}",
                    state=state,
                    description_html="<p>x</p>",
                    starts_at=now + timedelta(days=-n - 2 if past else n + 1),
                    ends_at=now + timedelta(days=-n - 2 if past else n + 1, hours=2),
                    venue="北京",
                    recording_url="https://example.org/r" if past else "",
                )
                for n in range(have, total)
            ]
        )
        Event.speakers.through.objects.bulk_create(
            [
                Event.speakers.through(event=event, person=person)
                for event in events
                for person in speakers
            ]
        )

    return grow


def grow_registrations(event, *, user=None):
    """grow(n): n registrations of the event in every state, each with an answer; or, with
    `user`, n registrations of that user for n events."""
    question = Question.objects.create(event=event, label="Topic?")

    def grow(total):
        have = Registration.objects.count()
        new = total - have
        if user is not None:
            now = timezone.now()
            events = Event.objects.bulk_create(
                [
                    Event(
                        slug=f"r-{next(_numbers)}",
                        title="E",
                        state=Event.State.PUBLISHED,
                        starts_at=now + timedelta(days=1),
                        ends_at=now + timedelta(days=1, hours=1),
                    )
                    for _ in range(new)
                ]
            )
            users = [user] * new
        else:
            events = [event] * new
            users = User.objects.bulk_create(
                [UserFactory.build(username=f"q{have + n}") for n in range(new)]
            )
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    event=target,
                    user=who,
                    name=f"Person {have + n}",
                    email=f"p{have + n}@example.org",
                    state=Registration.State.REGISTERED if user else STATES[n % 4],
                )
                for n, (target, who) in enumerate(zip(events, users, strict=True))
            ]
        )
        Answer.objects.bulk_create(
            [
                Answer(registration=r, question=question, question_label="Topic?", value="AI")
                for r in registrations
                if r.event_id == event.pk
            ]
        )
        Event.objects.filter(pk=event.pk).update(
            seats_taken=Registration.objects.holding_seats().filter(event=event).count()
        )

    return grow


@pytest.fixture
def speakers(db):
    return [PersonFactory(), PersonFactory()]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed in"])
def test_upcoming_events(client_for, speakers, signed_in):
    client = client_for(UserFactory() if signed_in else None)
    grow = grow_events(speakers=speakers)
    assert assert_flat_queries(client, reverse("events:index"), grow) <= (6 if signed_in else 3)


def test_past_events(client_for, speakers):
    grow = grow_events(past=True, speakers=speakers)
    assert assert_flat_queries(client_for(), reverse("events:past"), grow) <= 4


def test_the_feed(client_for):
    assert assert_flat_queries(client_for(), reverse("events:feed"), grow_events()) <= 1


@pytest.mark.parametrize("who", ["visitor", "registrant", "waiting", "staff"])
def test_the_event_page(client_for, speakers, who):
    event = EventFactory(capacity=None)
    event.speakers.set(speakers)
    user = {"visitor": None, "staff": StaffFactory()}.get(who, UserFactory())
    if who in ("registrant", "waiting"):
        state = "registered" if who == "registrant" else "waitlisted"
        Registration.objects.create(
            event=event, user=user, name="me", email="me@example.org", state=state
        )
    grow = grow_registrations(event)
    url = event.get_absolute_url()
    assert assert_flat_queries(client_for(user), url, grow) <= 8
    assert assert_flat_queries(client_for(), reverse("events:ics", args=[event.slug]), grow) <= 2


def test_the_register_form(client_for):
    event = EventFactory(capacity=2000)
    url = reverse("events:register", args=[event.slug])
    assert assert_flat_queries(client_for(UserFactory()), url, grow_registrations(event)) <= 8


def test_my_registrations(client_for, event):
    user = UserFactory()
    grow = grow_registrations(event, user=user)
    assert assert_flat_queries(client_for(user), reverse("events:mine"), grow) <= 6


def test_the_check_in_list_and_the_export(client_for, event):
    Event.objects.filter(pk=event.pk).update(capacity=None)
    client = client_for(StaffFactory())
    grow = grow_registrations(event)
    url = reverse("events:check_in_list", args=[event.slug])
    assert assert_flat_queries(client, url, grow) <= 12
    assert assert_flat_queries(client, url + "?q=person", grow) <= 12
    csv_url = reverse("events:registrations_csv", args=[event.slug])
    assert assert_flat_queries(client, csv_url, grow) <= 10


def test_the_home_page(client_for):
    assert assert_flat_queries(client_for(), reverse("pfcc:home"), grow_events()) <= 12


def test_the_person_page(client_for):
    user = UserFactory()
    person = PersonFactory(user=user)
    grow_talks = grow_events(speakers=[person])
    url = person.get_absolute_url()
    assert assert_flat_queries(client_for(), url, grow_talks) <= 15
    # Signed in as that person: their registrations too.
    own = grow_registrations(EventFactory(), user=user)
    assert assert_flat_queries(client_for(user), url, own) <= 20
