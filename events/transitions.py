"""Every state change of events and registrations, one function each, on top of
common.transitions.

    register ──> registered (a seat is free) or waitlisted (the event is full)
    waitlisted ──> registered   promote: the first in line when a seat frees up (e-mailed)
    registered, waitlisted ──> cancelled   by the registrant before the start, or by staff
    registered ──> attended     check_in by staff (undo_check_in goes back)
    event: draft ──> published ──> cancelled (registrants are e-mailed)

Seats: the event's `seats_taken` and `waiting_count` change in the same transaction as the
registrations they count, with the event's row locked first (always the event, then the
registration: two changes never wait for each other in opposite orders). The database refuses
two live registrations of one account for one event, and more seats taken than the capacity,
whatever a race does.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.site import absolute_url
from common.staff import staff_with_permission
from common.transitions import (
    Actor,
    NotAllowed,
    TransitionError,
    as_actor,
    record,
    transition,
)
from pfcc.mail import queue_mail

from .models import Answer, Event, Registration

State = Registration.State
EventState = Event.State

__all__ = ["NotAllowed", "TransitionError"]

CHANGE_REGISTRATION = "events.change_registration"
CHANGE_EVENT = "events.change_event"
CANCEL_FROM = (State.REGISTERED, State.WAITLISTED)
WAITING_LIST = "waiting list"


class AlreadyRegistered(TransitionError):
    def __init__(self):
        super().__init__(_("You are already registered for this event."), code="already")


class RegistrationClosed(TransitionError):
    def __init__(self, message=None):
        super().__init__(message or _("Registration for this event is closed."), code="closed")


def may_manage_registrations(user) -> bool:
    """Staff who may check people in, export and cancel registrations."""
    return staff_with_permission(user, CHANGE_REGISTRATION)


def _staff(actor, locked=None) -> bool:
    return actor.has_perm(CHANGE_REGISTRATION)


def _lock_event(event_id) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _count(event: Event, *, seats: int = 0, waiting: int = 0) -> None:
    """Move the event's counters (its row is locked by the caller)."""
    Event.objects.filter(pk=event.pk).update(
        seats_taken=F("seats_taken") + seats, waiting_count=F("waiting_count") + waiting
    )
    event.seats_taken += seats
    event.waiting_count += waiting


def _has_seat(event: Event) -> bool:
    return event.capacity is None or event.seats_taken < event.capacity


# --- E-mail ------------------------------------------------------------------------------------


def mail_context(registration: Registration, **extra) -> dict:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "name": registration.name,
        "event_url": absolute_url(event),
        "ics_url": absolute_url(reverse("events:ics", kwargs={"slug": event.slug})),
        "mine_url": absolute_url(reverse("events:mine")),
        **extra,
    }


def _mail(registration: Registration, template: str, **extra) -> None:
    queue_mail(
        registration.email,
        f"events/email/{template}",
        mail_context(registration, **extra),
        registration.language,
    )


# --- Registrations -------------------------------------------------------------------------------


def _check_open(event: Event) -> None:
    if event.state == EventState.CANCELLED:
        raise RegistrationClosed(_("This event has been cancelled."))
    if not event.registration_is_open:
        raise RegistrationClosed


def register(
    event: Event,
    user,
    *,
    name: str,
    email: str,
    answers=(),
    language: str | None = None,
) -> Registration:
    """A signed-in user registers: a seat when one is free, the waiting list otherwise.

    `answers` are (question, text) pairs for the event's questions (already validated by the
    form). Raises AlreadyRegistered (also when a double submit races the first one) and
    RegistrationClosed."""
    actor = Actor.of(user)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    try:
        with transaction.atomic():
            locked = _lock_event(event.pk)
            _check_open(locked)
            if Registration.objects.active().filter(event=locked, user=user).exists():
                raise AlreadyRegistered
            seat = _has_seat(locked)
            registration = Registration.objects.create(
                event=locked,
                user=user,
                name=name.strip(),
                email=email,
                language=language,
                state=State.REGISTERED if seat else State.WAITLISTED,
            )
            Answer.objects.bulk_create(
                Answer(
                    registration=registration,
                    question=question,
                    question_label=question.label,
                    value=value,
                )
                for question, value in answers
            )
            _count(locked, seats=1 if seat else 0, waiting=0 if seat else 1)
            record(registration, actor, "register" if seat else "join_waiting_list")
            if seat:
                _mail(registration, "registered")
            else:
                _mail(registration, "waitlisted", position=locked.waiting_count)
    except IntegrityError as error:
        if "events_one_active_registration" in str(error) or _is_duplicate(event, user):
            raise AlreadyRegistered from error
        raise
    event.seats_taken, event.waiting_count = locked.seats_taken, locked.waiting_count
    return registration


def _is_duplicate(event, user) -> bool:
    return Registration.objects.active().filter(event=event, user=user).exists()


def cancel(registration: Registration, actor, *, note: str = "", quiet: bool = False):
    """The registrant (before the start) or staff cancel a registration; the seat goes to the
    first on the waiting list. `quiet`: no e-mail to the registrant (their account is being
    deleted)."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = _lock_event(registration.event_id)

        def check(locked):
            if not _staff(actor) and event.has_started:
                raise TransitionError(
                    _("The event has started; registrations can no longer be cancelled."),
                    code="started",
                )

        def after(locked, entry):
            if entry.from_state in Registration.SEAT_STATES:
                _count(event, seats=-1)
            else:
                _count(event, waiting=-1)

        def notify(locked, entry):
            if not quiet:
                locked.event = event
                _mail(locked, "cancelled", by_staff=actor.user_id != locked.user_id, note=note)

        cancelled = transition(
            registration,
            actor,
            to=State.CANCELLED,
            allowed_from=CANCEL_FROM,
            may=lambda actor, locked: actor.user_id == locked.user_id or _staff(actor),
            action="cancel",
            note=note,
            check=check,
            after=after,
            notify=notify,
        )
        _fill_seats(event)
    return cancelled


def promote(registration: Registration, actor, *, note: str = ""):
    """Give the waiting registrant a seat (staff, or the waiting list itself) and e-mail them."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        return _promote(event, registration, actor, note=note)


def _promote(event: Event, registration: Registration, actor: Actor, note: str = ""):
    def check(locked):
        if not _has_seat(event):
            raise TransitionError(_("The event is full: no seat is free."), code="full")
        if event.state != EventState.PUBLISHED:
            raise TransitionError(_("This event is not open."), code="closed")

    def notify(locked, entry):
        locked.event = event
        _mail(locked, "promoted")

    return transition(
        registration,
        actor,
        to=State.REGISTERED,
        allowed_from=(State.WAITLISTED,),
        may=_staff,
        action="promote",
        note=note,
        check=check,
        after=lambda locked, entry: _count(event, seats=1, waiting=-1),
        notify=notify,
    )


def _fill_seats(event: Event) -> list[Registration]:
    """While a seat is free, promote the first on the waiting list (the event is locked). Not
    once the event has started, nor for a cancelled event."""
    promoted = []
    if event.state != EventState.PUBLISHED or event.has_started:
        return promoted
    while _has_seat(event):
        waiting = Registration.objects.waiting_line().filter(event=event).first()
        if waiting is None:
            break
        promoted.append(_promote(event, waiting, Actor.system(WAITING_LIST)))
    return promoted


def fill_from_waitlist(event: Event, actor) -> list[Registration]:
    """After staff raise the capacity (or remove it): the waiting list moves up."""
    actor = as_actor(actor)
    if not actor.has_perm(CHANGE_EVENT):
        raise NotAllowed
    with transaction.atomic():
        locked = _lock_event(event.pk)
        promoted = _fill_seats(locked)
    event.seats_taken, event.waiting_count = locked.seats_taken, locked.waiting_count
    return promoted


def check_in(registration: Registration, actor):
    """Staff mark a registrant as there."""
    return transition(
        registration,
        actor,
        to=State.ATTENDED,
        allowed_from=(State.REGISTERED,),
        may=_staff,
        action="check_in",
        changes={"checked_in_at": timezone.now()},
        check=_event_not_cancelled,
    )


def undo_check_in(registration: Registration, actor):
    """Staff take back a check-in made by mistake."""
    return transition(
        registration,
        actor,
        to=State.REGISTERED,
        allowed_from=(State.ATTENDED,),
        may=_staff,
        action="undo_check_in",
        changes={"checked_in_at": None},
    )


def _event_not_cancelled(locked: Registration) -> None:
    if locked.event.state == EventState.CANCELLED:
        raise TransitionError(_("This event has been cancelled."), code="cancelled")


# --- Events ---------------------------------------------------------------------------------------


def _event_staff(actor, locked=None) -> bool:
    return actor.has_perm(CHANGE_EVENT)


def publish(event: Event, actor, note: str = ""):
    """The event gets its public page, its place in the feeds, and takes registrations."""
    return transition(
        event,
        actor,
        to=EventState.PUBLISHED,
        allowed_from=(EventState.DRAFT,),
        may=_event_staff,
        action="publish",
        note=note,
    )


def cancel_event(event: Event, actor, note: str = ""):
    """Call the event off: its page says so, calendars drop it, and everyone registered or
    waiting is e-mailed (with the note)."""

    def notify(locked, entry):
        for registration in Registration.objects.active().filter(event=locked):
            registration.event = locked
            _mail(registration, "event_cancelled", note=note)

    return transition(
        event,
        actor,
        to=EventState.CANCELLED,
        allowed_from=(EventState.PUBLISHED,),
        may=_event_staff,
        action="cancel",
        note=note,
        notify=notify,
    )
