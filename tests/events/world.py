"""The events part of the security tests' sample world (tests/security/world.py): a published
meetup with one seat, taken by the contributor, the applicant on its waiting list, a question
with private answers, and a draft."""

from datetime import timedelta

from django.utils import timezone

from events.models import Answer, Event
from tests.factories import UserFactory

from .factories import EventFactory, QuestionFactory, RegistrationFactory

# What only staff and the registrant themselves may see.
REGISTRANT_SECRETS = ["registrant-private@example.org", "event-answer-secret"]


def add_events(world):
    o = world.objects
    soon = timezone.now() + timedelta(days=3)
    o["event"] = EventFactory(
        slug="meetup", title="Meetup", capacity=1, starts_at=soon, ends_at=soon + timedelta(hours=2)
    )
    o["event_question"] = QuestionFactory(event=o["event"], label="Topic?", required=False)
    o["event_registration"] = RegistrationFactory(
        event=o["event"],
        user=world.users["contributor"],
        name="Contributor",
        email="registrant-private@example.org",
    )
    Answer.objects.create(
        registration=o["event_registration"],
        question=o["event_question"],
        question_label="Topic?",
        value="event-answer-secret",
    )
    o["event_waiting"] = RegistrationFactory(
        event=o["event"],
        user=world.users["applicant"],
        state="waitlisted",
        email=world.users["applicant"].email,
    )
    o["draft_event"] = EventFactory(slug="draft-event", state=Event.State.DRAFT)
    # Someone else, so that every role except these two is a newcomer to the event.
    RegistrationFactory(event=EventFactory(slug="elsewhere"), user=UserFactory())
    return world
