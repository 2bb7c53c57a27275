from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_github_login


class User(AbstractUser):
    """A sign-in account. The public identity is the linked Person (see Person.user)."""

    name = models.CharField(_("name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.email or self.username

    def __str__(self):
        return self.display_name


class PersonQuerySet(models.QuerySet):
    def by_login(self, login: str):
        return self.filter(github__iexact=login)

    def public(self):
        return self.filter(public_profile=True)


class PersonManager(models.Manager.from_queryset(PersonQuerySet)):
    def get_or_create_by_login(self, login: str, **defaults):
        """The person with this GitHub login (any case), created with `defaults` when new."""
        person = self.get_queryset().by_login(login).first()
        if person is not None:
            return person, False
        return self.get_or_create(github=login, defaults=defaults)


class Person(models.Model):
    """A GitHub identity: blog authors, claimants, mentees, mentors and members are persons,
    whether or not they ever signed in."""

    github = models.CharField(_("GitHub login"), max_length=39, validators=[validate_github_login])
    # GitHub's numeric user id never changes, unlike the login; set once the person signs in.
    github_id = models.BigIntegerField(_("GitHub user id"), null=True, blank=True, unique=True)
    name = models.CharField(_("display name"), max_length=150, blank=True)
    avatar_url = models.URLField(_("avatar URL"), blank=True)
    bio = models.TextField(_("about"), blank=True)
    user = models.OneToOneField(
        "pfcc.User",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    public_profile = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("Listed in the member directory."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonManager()

    class Meta:
        ordering = [Lower("github")]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(Lower("github"), name="person_github_unique_ci"),
        ]

    def __str__(self):
        return f"{self.display_name} (@{self.github})" if self.name else f"@{self.github}"

    def get_absolute_url(self):
        return reverse("pfcc:person", kwargs={"github": self.github})

    @property
    def display_name(self) -> str:
        return self.name or self.github

    @property
    def avatar(self) -> str:
        # GitHub serves every login's avatar at this address; used until we store the real one.
        return self.avatar_url or f"https://github.com/{self.github}.png?size=80"

    @property
    def github_url(self) -> str:
        return f"https://github.com/{self.github}"


class OutgoingEmail(models.Model):
    """Every e-mail the site sends is stored first, then delivered by a background task, so a
    failing mail server loses nothing: a failed delivery stays pending and is retried."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed permanently")

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.subject


# Membership: applications to join PFCC, their history, and the members they make.


class MembershipApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=MembershipApplication.OPEN_STATES)


class MembershipApplication(models.Model):
    """An application to join PFCC. Its state moves only through pfcc.services, which checks
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
        "pfcc.User",
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
    statement = models.TextField(_("statement"))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MembershipApplicationQuerySet.as_manager()

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
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def can_withdraw(self) -> bool:
        return self.is_open


class MembershipApplicationEvent(models.Model):
    """One change of an application's state: who, when, from, to, and a note."""

    application = models.ForeignKey(
        MembershipApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        "pfcc.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=MembershipApplication.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=MembershipApplication.State.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
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
