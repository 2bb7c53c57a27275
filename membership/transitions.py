"""Membership workflow: one function per state change of a MembershipApplication.

Each function checks that the change is allowed from the current state and by this actor, saves
the new state, records who made it, when, from and to (with a note), and queues the applicant's
e-mail, all in one transaction on a locked row. The views and the admin (single and bulk
actions) call these functions only, so no change skips its history or its e-mail.

    submitted ─┬─> under review ─┬─> accepted ──> invited (a member)
               │                 └─> rejected (a reason is required)
               └─> accepted / rejected (staff may decide without the review step)
    submitted, under review, accepted ──> withdrawn (by the applicant only)
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.site import absolute_url
from common.staff import staff_with_permission
from common.transitions import Actor, NotAllowed, TransitionError, record, transition
from pfcc.mail import queue_mail
from pfcc.models import LoginTaken, Person, User

from .models import Membership, MembershipApplication

State = MembershipApplication.State

__all__ = ["NotAllowed", "TransitionError"]


class ApplicationAlreadyOpen(TransitionError):
    def __init__(self):
        super().__init__(
            _("There is already an open application for you or for this GitHub login."),
            code="already_open",
        )


class NoVerifiedEmail(TransitionError):
    def __init__(self):
        super().__init__(
            _("Verify your e-mail address first: we write to it at every step."),
            code="no_verified_email",
        )


class AlreadyMember(TransitionError):
    def __init__(self):
        super().__init__(_("This GitHub login is already a member of PFCC."), code="member")


# Which states each change may start from.
START_REVIEW_FROM = (State.SUBMITTED,)
ACCEPT_FROM = (State.SUBMITTED, State.UNDER_REVIEW)
REJECT_FROM = (State.SUBMITTED, State.UNDER_REVIEW)
INVITE_FROM = (State.ACCEPTED,)
WITHDRAW_FROM = MembershipApplication.OPEN_STATES
REVIEW_PERMISSION = "membership.change_membershipapplication"


def is_reviewer(user) -> bool:
    """Staff who may work the application queue."""
    return staff_with_permission(user, REVIEW_PERMISSION)


def staff_recipients() -> list[str]:
    addresses = list(settings.STAFF_NOTIFY_EMAILS)
    if not addresses:
        # Without a configured list, staff who may review are told directly.
        addresses = [
            user.email
            for user in User.objects.filter(is_active=True, is_staff=True, is_superuser=True)
            .exclude(email="")
            .order_by("pk")
        ]
    return list(dict.fromkeys(addresses))


def _notify_applicant(application: MembershipApplication, note: str = "") -> None:
    queue_mail(
        application.email,
        f"membership/email/{application.state}",
        {
            "application": application,
            "name": application.name,
            "github": application.github,
            "state": application.state,
            "note": note,
            "reason": application.rejection_reason,
            "status_url": absolute_url(reverse("membership:status")),
            "directory_url": absolute_url(reverse("membership:directory")),
        },
        application.language,
    )


def _own_person(applicant: User, login: str) -> Person | None:
    """The person with this login that is already the applicant's: their account's, or the one
    of an earlier application of theirs."""
    return (
        Person.objects.by_login(login)
        .filter(Q(user=applicant) | Q(membership_applications__applicant=applicant))
        .first()
    )


def submit_application(
    applicant: User,
    *,
    person: Person | None = None,
    github: str = "",
    name: str,
    other_contact: str = "",
    contributions: list[str],
    statement: str,
    language: str | None = None,
) -> MembershipApplication:
    """A signed-in user applies. `person` is the user's linked GitHub identity; without one,
    `github` is the login they entered (already checked against GitHub's rules).

    Raises ApplicationAlreadyOpen when the user or the login already has an open application
    (the database enforces it, so two tabs or a double submit make one application) and
    AlreadyMember when the person is a member. Every e-mail about the application goes to the
    account's verified address (never one typed into the form: the form once mailed any
    address a stranger typed, with their text as the "name"); NoVerifiedEmail without one."""
    Actor.of(applicant)
    email = applicant.verified_email
    if not email:
        raise NoVerifiedEmail
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    if person is None:
        person = _own_person(applicant, github)
    if person is None:
        # A typed login: a new, unverified person of this account, never an existing one.
        # Committed on its own (persons exist whether or not they apply).
        try:
            person = Person.objects.create_unverified(github, applicant, name=name)
        except LoginTaken as error:
            # This account's other tab (a double submit) may have made the person a moment
            # ago: then it is this applicant's own, and the application's constraint decides.
            person = _own_person(applicant, github)
            if person is None:
                raise TransitionError(
                    _(
                        "@%(login)s is already known here: "
                        "sign in with that GitHub account to use it."
                    )
                    % {"login": github},
                    code="github_taken",
                ) from error
    try:
        with transaction.atomic():
            if Membership.objects.filter(person=person).exists():
                raise AlreadyMember
            application = MembershipApplication.objects.create(
                applicant=applicant,
                person=person,
                github=person.github,
                name=name,
                email=email,
                other_contact=other_contact,
                contributions=list(contributions),
                statement=statement,
                language=language,
                state=State.SUBMITTED,
            )
            record(application, Actor.of(applicant), "submit")
            _notify_applicant(application)
            queue_mail(
                staff_recipients(),
                "membership/email/staff_new",
                {
                    "application": application,
                    "admin_url": absolute_url(
                        reverse(
                            "admin:membership_membershipapplication_change", args=[application.pk]
                        )
                    ),
                },
                settings.LANGUAGE_CODE,
            )
    except IntegrityError as error:
        raise ApplicationAlreadyOpen from error
    return application


def _staff(actor, application) -> bool:
    return actor.has_perm(REVIEW_PERMISSION) and not actor.is_system


def _applicant(actor, application) -> bool:
    return actor.user_id is not None and actor.user_id == application.applicant_id


def _change(application, actor, action, allowed_from, to, *, may=_staff, note="", **changes):
    """One change of the application: locked, checked, saved, recorded, and the applicant told."""
    return transition(
        application,
        actor,
        to=to,
        allowed_from=allowed_from,
        may=may,
        action=action,
        note=note,
        changes=changes,
        after=(lambda locked, entry: _make_member(locked)) if to == State.INVITED else None,
        notify=lambda locked, entry: _notify_applicant(locked, note),
    )


def _make_member(application: MembershipApplication) -> Membership:
    membership, created = Membership.objects.get_or_create(
        person=application.person,
        defaults={"application": application, "joined_on": timezone.localdate()},
    )
    # The person signs in with this account: link it when it is not linked to anyone yet.
    person = application.person
    if person.user_id is None and not Person.objects.for_user(application.applicant).exists():
        person.user = application.applicant
        person.save(update_fields=["user", "updated_at"])
    return membership


def start_review(application, actor, note: str = ""):
    return _change(
        application, actor, "start_review", START_REVIEW_FROM, State.UNDER_REVIEW, note=note
    )


def accept(application, actor, note: str = ""):
    return _change(application, actor, "accept", ACCEPT_FROM, State.ACCEPTED, note=note)


def reject(application, actor, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("A rejection needs a reason the applicant will read."))
    return _change(
        application,
        actor,
        "reject",
        REJECT_FROM,
        State.REJECTED,
        note=reason,
        rejection_reason=reason,
    )


def mark_invited(application, actor, note: str = ""):
    return _change(application, actor, "mark_invited", INVITE_FROM, State.INVITED, note=note)


def withdraw(application, actor, note: str = ""):
    return _change(
        application, actor, "withdraw", WITHDRAW_FROM, State.WITHDRAWN, may=_applicant, note=note
    )


def set_public_profile(user, public: bool) -> Person:
    """A member lists themselves in the directory, or leaves it."""
    person = Person.objects.for_user(user).filter(membership__isnull=False).first()
    if person is None:
        raise NotAllowed
    person.public_profile = public
    person.save(update_fields=["public_profile", "updated_at"])
    return person


def staff_transitions(application) -> list[tuple[str, str]]:
    """The changes staff may make to this application now: (name, label) pairs."""
    choices = [
        ("start_review", START_REVIEW_FROM, _("Move to review")),
        ("accept", ACCEPT_FROM, _("Accept")),
        ("reject", REJECT_FROM, _("Reject")),
        ("mark_invited", INVITE_FROM, _("Mark invited (member)")),
    ]
    return [(name, label) for name, states, label in choices if application.state in states]


def make_staff_transition(application, actor, name: str, note: str = ""):
    """Run the staff change called `name` (one of staff_transitions); the note is the reason
    when rejecting."""
    if name == "reject":
        return reject(application, actor, reason=note)
    change = {"start_review": start_review, "accept": accept, "mark_invited": mark_invited}
    if name not in change:
        raise TransitionError(_("Unknown change."))
    return change[name](application, actor, note=note)
