from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import limits
from common.transitions import AuditEntry
from common.validators import validate_github_login
from pfcc.models import Person


class MembershipApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=MembershipApplication.OPEN_STATES)


class MembershipApplication(models.Model):
    """An application to join PFCC. Its state moves only through membership.transitions, which checks
    the transition and the actor, records a history row and e-mails the applicant."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        UNDER_REVIEW = "under_review", _("under review")
        ACCEPTED = "accepted", _("accepted")
        INVITED = "invited", _("invited")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Open applications are still being decided or acted on; a person has at most one.
    OPEN_STATES = (State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="membership_applications",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="membership_applications",
    )
    github = models.CharField(_("GitHub login"), max_length=39, validators=[validate_github_login])
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    other_contact = models.CharField(_("other contact"), max_length=200, blank=True)
    contributions = models.JSONField(_("contributions"), default=list)
    statement = models.TextField(_("statement"), max_length=limits.TEXT)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    rejection_reason = models.TextField(_("rejection reason"), max_length=limits.NOTE, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MembershipApplicationQuerySet.as_manager()
    audit_model = "MembershipApplicationEvent"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        indexes = [models.Index(fields=["state", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(state__in=["submitted", "under_review", "accepted"]),
                name="membership_one_open_application_per_user",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state__in=["submitted", "under_review", "accepted"]),
                name="membership_one_open_application_per_person",
            ),
        ]

    def __str__(self):
        return f"@{self.github} ({self.get_state_display()})"

    @property
    def short_label(self) -> str:
        """How error messages name it."""
        return _("Application @%(github)s") % {"github": self.github}

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def can_withdraw(self) -> bool:
        return self.is_open


class MembershipApplicationEvent(AuditEntry):
    """One change of an application's state: who, when, from, to, and a note."""

    application = models.ForeignKey(
        MembershipApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=MembershipApplication.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=MembershipApplication.State.choices)

    subject_field = "application"

    class Meta(AuditEntry.Meta):
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")

    def __str__(self):
        return f"{self.get_from_state_display() or '—'} → {self.get_to_state_display()}"


class MembershipQuerySet(models.QuerySet):
    def listed(self):
        """Members who opted in to the public directory."""
        return self.filter(person__public_profile=True)


class Membership(models.Model):
    """A person who is a member of PFCC, since `joined_on`."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="membership"
    )
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    application = models.OneToOneField(
        MembershipApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-joined_on", "-pk"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["joined_on"])]

    def __str__(self):
        return str(self.person)
