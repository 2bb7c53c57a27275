"""Factories for the events models."""

from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Event, Question, Registration
from tests.factories import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"meetup-{n}")
    title = factory.Sequence(lambda n: f"飞桨开源社区 Meetup {n}")
    kind = Event.Kind.MEETUP
    state = Event.State.PUBLISHED
    summary = "A community meetup."
    description = "## Agenda\n\n- talks\n- *questions*"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    format = Event.Format.IN_PERSON
    venue = "北京 798"
    capacity = None


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.TEXT
    required = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written as it stands (with the event's counters kept right), without the
    transitions' e-mail."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda registration: registration.user.display_name)
    email = factory.LazyAttribute(lambda registration: registration.user.email)
    language = "en"
    state = Registration.State.REGISTERED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        registration = super()._create(model_class, *args, **kwargs)
        event = registration.event
        if registration.holds_seat:
            event.seats_taken += 1
        elif registration.is_waitlisted:
            event.waiting_count += 1
        Event.objects.filter(pk=event.pk).update(
            seats_taken=event.seats_taken, waiting_count=event.waiting_count
        )
        return registration
