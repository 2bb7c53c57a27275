"""A user's registrations: in the account download; cancelled and erased with the account."""

from django.db.models import Prefetch

from common.transitions import Actor
from pfcc.account_data import iso

from . import transitions
from .models import Answer, Registration, RegistrationChange


def export(user, person):
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("pk")),
            Prefetch("history", queryset=RegistrationChange.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "event": registration.event.title,
            "event_url": registration.event.get_absolute_url(),
            "starts_at": iso(registration.event.starts_at),
            "name": registration.name,
            "email": registration.email,
            "state": registration.state,
            "registered_at": iso(registration.created_at),
            "checked_in_at": iso(registration.checked_in_at),
            "reminded_at": iso(registration.reminded_at),
            "answers": [
                {"question": answer.question_label, "answer": answer.value}
                for answer in registration.answers.all()
            ],
            # Staff stay anonymous, as on the pages.
            "history": [
                {
                    "change": change.action,
                    "by": _who(change, user),
                    "from": change.from_state,
                    "to": change.to_state,
                    "at": iso(change.created_at),
                }
                for change in registration.history.all()
            ],
        }
        for registration in registrations
    ]


def _who(change, user) -> str:
    if change.actor_id == user.pk:
        return "you"
    return "staff" if change.actor_id else "site"


def erase(user, person) -> set[str]:
    """Live registrations are cancelled first (their seats go to the waiting list, and the
    counts stay right); the rows then go with the account."""
    registrations = Registration.objects.filter(user=user)
    for registration in registrations.active().filter(state__in=transitions.CANCEL_FROM):
        transitions.cancel(registration, Actor.system("account deleted"), quiet=True)
    return set(registrations.values_list("email", flat=True))
