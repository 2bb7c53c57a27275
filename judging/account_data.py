"""A user's registrations, entries, likes and judging: in the account download; on deletion the
likes are taken back (the counts stay right), judges' names go, and entries stay with the team
(public contributions stay, as elsewhere). Registrations hold no e-mail address: the site writes
to the account's verified address, which goes with the account."""

from common.transitions import Actor
from pfcc.account_data import iso

from . import transitions
from .models import Judge, Like, Registration, Scorecard


def export(user, person):
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("contest")
        .prefetch_related("members", "submissions")
        .order_by("created_at", "pk")
    )
    return {
        "registrations": [
            {
                "contest": registration.contest.name,
                "contest_url": registration.contest.get_absolute_url(),
                "entering": registration.kind,
                "name": registration.name,
                "members": [member.github for member in registration.members.all()],
                "state": registration.state,
                "registered_at": iso(registration.created_at),
                "entries": [
                    {
                        "title": submission.title,
                        "url": submission.get_absolute_url(),
                        "state": submission.state,
                        "submitted_at": iso(submission.created_at),
                    }
                    for submission in registration.submissions.all()
                ],
            }
            for registration in registrations
        ],
        "likes": [
            {"entry": like.submission.title, "at": iso(like.created_at)}
            for like in Like.objects.filter(user=user).select_related("submission")
        ],
        "judging": [
            {
                "contest": card.judge.contest.name,
                "entry": card.submission.title,
                "total": str(card.total) if card.total is not None else None,
                "comment": card.comment,
                "state": card.state,
            }
            for card in Scorecard.objects.filter(judge__user=user).select_related(
                "judge__contest", "submission"
            )
        ],
    }


def erase(user, person) -> set[str]:
    actor = Actor.system("account deleted")
    for like in Like.objects.filter(user=user).select_related("submission"):
        transitions.unlike(like.submission, user, quiet_actor=actor)
    Judge.objects.filter(user=user).update(name="—")
    return set()  # registrations hold no address: mail goes to the account's verified one
