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
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .mail import queue_mail
from .models import (
    Membership,
    MembershipApplication,
    MembershipApplicationEvent,
    Person,
    User,
)

State = MembershipApplication.State


class TransitionError(Exception):
    """A change the workflow does not allow; the message is shown to the person who tried."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class ApplicationAlreadyOpen(TransitionError):
    def __init__(self):
        super().__init__(
            _("There is already an open application for you or for this GitHub login.")
        )


class AlreadyMember(TransitionError):
    def __init__(self):
        super().__init__(_("This GitHub login is already a member of PFCC."))


# Which states each change may start from.
START_REVIEW_FROM = (State.SUBMITTED,)
ACCEPT_FROM = (State.SUBMITTED, State.UNDER_REVIEW)
REJECT_FROM = (State.SUBMITTED, State.UNDER_REVIEW)
INVITE_FROM = (State.ACCEPTED,)
WITHDRAW_FROM = MembershipApplication.OPEN_STATES


def is_reviewer(user) -> bool:
    """Staff who may work the application queue."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("pfcc.change_membershipapplication")
    )


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


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
        f"pfcc/email/membership_{application.state}",
        {
            "application": application,
            "name": application.name,
            "github": application.github,
            "state": application.state,
            "note": note,
            "reason": application.rejection_reason,
            "status_url": site_url(reverse("membership:status")),
            "directory_url": site_url(reverse("membership:directory")),
        },
        application.language,
    )


def _record(application, actor, from_state, note=""):
    return MembershipApplicationEvent.objects.create(
        application=application,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state or "",
        to_state=application.state,
        note=note,
    )


def submit_application(
    applicant: User,
    *,
    person: Person | None = None,
    github: str = "",
    name: str,
    email: str,
    other_contact: str = "",
    contributions: list[str],
    statement: str,
    language: str | None = None,
) -> MembershipApplication:
    """A signed-in user applies. `person` is the user's linked GitHub identity; without one,
    `github` is the login they entered (already checked against GitHub's rules).

    Raises ApplicationAlreadyOpen when the user or the login already has an open application
    (the database enforces it, so two tabs or a double submit make one application) and
    AlreadyMember when the person is a member."""
    if applicant is None or not applicant.is_authenticated:
        raise PermissionDenied
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    if person is None:
        # Committed on its own (persons exist whether or not they apply), so that two racing
        # submits meet on the application's constraint, not on the person's.
        person, _created = Person.objects.get_or_create_by_login(github, name=name)
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
            _record(application, applicant, "")
            _notify_applicant(application)
            queue_mail(
                staff_recipients(),
                "pfcc/email/membership_staff_new",
                {
                    "application": application,
                    "admin_url": site_url(
                        reverse("admin:pfcc_membershipapplication_change", args=[application.pk])
                    ),
                },
                settings.LANGUAGE_CODE,
            )
    except IntegrityError as error:
        raise ApplicationAlreadyOpen from error
    return application


def _transition(application, actor, allowed_from, to_state, *, note="", staff=True, **changes):
    """Lock the row, check the change, save it, record it and e-mail the applicant."""
    with transaction.atomic():
        locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
        if staff and not is_reviewer(actor):
            raise PermissionDenied
        if not staff and (actor is None or actor.pk != locked.applicant_id):
            raise PermissionDenied
        if locked.state not in allowed_from:
            raise TransitionError(
                _("Application @%(github)s is %(state)s; it cannot become %(target)s.")
                % {
                    "github": locked.github,
                    "state": locked.get_state_display(),
                    "target": State(to_state).label,
                }
            )
        from_state = locked.state
        locked.state = to_state
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=["state", "updated_at", *changes])
        _record(locked, actor, from_state, note)
        if to_state == State.INVITED:
            _make_member(locked)
        _notify_applicant(locked, note)
    # The caller's object reflects the change.
    application.state = locked.state
    application.updated_at = locked.updated_at
    for field, value in changes.items():
        setattr(application, field, value)
    return locked


def _make_member(application: MembershipApplication) -> Membership:
    membership, created = Membership.objects.get_or_create(
        person=application.person,
        defaults={"application": application, "joined_on": timezone.localdate()},
    )
    # The person signs in with this account: link it when it is not linked to anyone yet.
    person = application.person
    if person.user_id is None and not Person.objects.filter(user=application.applicant).exists():
        person.user = application.applicant
        person.save(update_fields=["user", "updated_at"])
    return membership


def start_review(application, actor, note: str = ""):
    return _transition(application, actor, START_REVIEW_FROM, State.UNDER_REVIEW, note=note)


def accept(application, actor, note: str = ""):
    return _transition(application, actor, ACCEPT_FROM, State.ACCEPTED, note=note)


def reject(application, actor, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("A rejection needs a reason the applicant will read."))
    return _transition(
        application, actor, REJECT_FROM, State.REJECTED, note=reason, rejection_reason=reason
    )


def mark_invited(application, actor, note: str = ""):
    return _transition(application, actor, INVITE_FROM, State.INVITED, note=note)


def withdraw(application, actor, note: str = ""):
    return _transition(application, actor, WITHDRAW_FROM, State.WITHDRAWN, note=note, staff=False)


def set_public_profile(user, public: bool) -> Person:
    """A member lists themselves in the directory, or leaves it."""
    person = Person.objects.filter(user=user, membership__isnull=False).first()
    if person is None:
        raise PermissionDenied
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
