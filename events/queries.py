"""Reads for the events pages and for the sections other pages show, each in a fixed number of
queries whatever the number of events and registrations."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pfcc.models import Person

from .models import Answer, Event, Registration

EVENTS_PER_PAGE = 20
CHECK_IN_PER_PAGE = 100
HOME_EVENTS = 3
PERSON_TALKS = 20
PERSON_REGISTRATIONS = 20
FEED_EVENTS = 500
# The feed keeps events a while after they end: calendars that subscribe keep them too.
FEED_KEEPS_PAST = timedelta(days=30)


def upcoming_page(page_number):
    events = Event.objects.listed().upcoming().prefetch_related(_speakers())
    return Paginator(events, EVENTS_PER_PAGE).get_page(page_number)


def past_page(page_number):
    events = Event.objects.listed().past().prefetch_related(_speakers())
    return Paginator(events, EVENTS_PER_PAGE).get_page(page_number)


def _speakers():
    return Prefetch("speakers", queryset=Person.objects.order_by("github"))


def event_for(user, slug) -> Event:
    """The event's page: published and cancelled events for everyone, drafts for staff."""
    events = Event.objects.visible_to(user).prefetch_related(_speakers())
    return get_object_or_404(events, slug=slug)


def listed_event(slug) -> Event:
    return get_object_or_404(Event.objects.listed(), slug=slug)


def current_registration(event, user) -> Registration | None:
    """The user's live registration for the event, else their latest cancelled one."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user).order_by("-created_at", "-pk").first()
    )


def active_registration(event, user) -> Registration | None:
    return Registration.objects.active().filter(event=event, user=user).first()


def waiting_position(registration: Registration) -> int:
    """1 for the first in line."""
    ahead = (
        Registration.objects.waiting_line()
        .filter(event_id=registration.event_id)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
    )
    return ahead.count() + 1


def detail_context(event: Event, user) -> dict:
    registration = current_registration(event, user)
    active = registration if registration is not None and registration.is_active else None
    return {
        "event": event,
        "registration": registration,
        "active_registration": active,
        "waiting_position": waiting_position(active) if active and active.is_waitlisted else None,
        # The online link: to registered people, or to everyone when nobody registers.
        "show_online_link": bool(event.online_url)
        and (event.online_link_is_public or (active is not None and active.holds_seat)),
        "can_register": event.registration_is_open and active is None,
        "needs_sign_in": event.registration_is_open and not user.is_authenticated,
    }


def my_registrations(user):
    return list(
        Registration.objects.filter(user=user)
        .select_related("event")
        .order_by("-event__starts_at", "-created_at", "-pk")
    )


def check_in_page(event: Event, query: str, page_number):
    """Everyone holding a seat (registered or already there), by name; searchable by name or
    e-mail."""
    registrations = Registration.objects.holding_seats().filter(event=event)
    if query:
        registrations = registrations.filter(Q(name__icontains=query) | Q(email__icontains=query))
    registrations = registrations.order_by("name", "pk")
    return Paginator(registrations, CHECK_IN_PER_PAGE).get_page(page_number)


def attended_count(event: Event) -> int:
    return Registration.objects.filter(event=event, state=Registration.State.ATTENDED).count()


def export_registrations(registrations):
    """Registrations with their event and answers, for the CSV export."""
    return list(
        registrations.select_related("event", "user").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("pk"))
        )
    )


def feed_events(now=None):
    now = now or timezone.now()
    return list(
        Event.objects.listed()
        .filter(ends_at__gte=now - FEED_KEEPS_PAST)
        .order_by("starts_at", "pk")[:FEED_EVENTS]
    )


# --- Sections of other pages (pfcc.sections) -------------------------------------------------------


def home_section(request):
    """The next events on the home page; one query."""
    events = list(Event.objects.filter(state=Event.State.PUBLISHED).upcoming()[:HOME_EVENTS])
    return {"upcoming_events": events}


def person_section(person, request):
    """A person's talks (public) and, to themselves, their registrations. Two queries."""
    talks = list(person.event_talks.listed().order_by("-starts_at", "-pk")[:PERSON_TALKS])
    is_self = bool(
        request.user.is_authenticated
        and person.user_id is not None
        and person.user_id == request.user.pk
    )
    registrations = []
    if is_self:
        registrations = list(
            Registration.objects.active()
            .filter(user_id=person.user_id, event__ends_at__gte=timezone.now())
            .select_related("event")
            .order_by("event__starts_at", "pk")[:PERSON_REGISTRATIONS]
        )
    if not talks and not registrations:
        return None
    return {"talks": talks, "registrations": registrations, "is_self": is_self}
