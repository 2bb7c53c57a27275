from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import limits
from common.validators import validate_github_login


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

    @property
    def verified_email(self) -> str:
        """The account's verified address (the primary one first), or "" when none is verified.
        The site writes to this address only: never to one typed into a form."""
        from allauth.account.models import EmailAddress

        address = (
            EmailAddress.objects.filter(user=self, verified=True)
            .order_by("-primary", "pk")
            .values_list("email", flat=True)
            .first()
        )
        return address or ""


class PersonQuerySet(models.QuerySet):
    def by_login(self, login: str):
        return self.filter(github__iexact=login)

    def public(self):
        return self.filter(public_profile=True)

    def for_user(self, user):
        """The person linked to this account (none for visitors and unlinked accounts)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class PersonManager(models.Manager.from_queryset(PersonQuerySet)):
    def get_or_create_by_login(self, login: str, **defaults):
        """The person with this GitHub login (any case), created with `defaults` when new."""
        person = self.get_queryset().by_login(login).first()
        if person is not None:
            return person, False
        return self.get_or_create(github=login, defaults=defaults)

    def of_user(self, user):
        """The person linked to this account, or None."""
        return self.get_queryset().for_user(user).first()

    def create_unverified(self, login: str, user, name: str = ""):
        """A login typed by an account holder (no GitHub sign-in proves it): a new Person of that
        account, never an existing one. Raises LoginTaken when any person has the login."""
        if self.get_queryset().by_login(login).exists():
            raise LoginTaken(login)
        try:
            with transaction.atomic():
                return self.create(github=login, user=user, name=name)
        except IntegrityError as error:  # a racing request took it first
            raise LoginTaken(login) from error

    def free_login(self, login: str, keep=None) -> None:
        """Rename whoever holds this login (but `keep`) to a placeholder that no GitHub account
        can have (a double hyphen), keeping everything they have (claims, results,
        certificates): a GitHub sign-in proved that the login now belongs to someone else."""
        for holder in (
            self.get_queryset()
            .select_for_update()
            .by_login(login)
            .exclude(pk=getattr(keep, "pk", None))
        ):
            suffix = f"--{holder.pk}"
            self.filter(pk=holder.pk).update(github=f"{holder.github[: 39 - len(suffix)]}{suffix}")


class LoginTaken(Exception):
    """A typed GitHub login that a person already has: only signing in with GitHub claims it."""


class Person(models.Model):
    """A GitHub identity: blog authors, claimants, mentees, mentors and members are persons,
    whether or not they ever signed in."""

    github = models.CharField(_("GitHub login"), max_length=39, validators=[validate_github_login])
    # GitHub's numeric user id never changes, unlike the login; set once the person signs in.
    github_id = models.BigIntegerField(_("GitHub user id"), null=True, blank=True, unique=True)
    name = models.CharField(_("display name"), max_length=150, blank=True)
    avatar_url = models.URLField(_("avatar URL"), blank=True)
    bio = models.TextField(_("about"), max_length=limits.NOTE, blank=True)
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
        return f"{self.display_name} ({self.login_label})" if self.name else self.login_label

    def get_absolute_url(self):
        return reverse("pfcc:person", kwargs={"github": self.github})

    @property
    def display_name(self) -> str:
        return self.name or self.github

    @property
    def is_verified(self) -> bool:
        """The GitHub login is proven: someone signed in with that GitHub account (its numeric
        id is known). A login typed into a form is not, and is shown as unverified."""
        return self.github_id is not None

    @property
    def is_unverified(self) -> bool:
        """An account holder typed this login and never proved it by signing in with GitHub.
        (Persons from the community's own files have no account and are not flagged.)"""
        return self.github_id is None and self.user_id is not None

    @property
    def login_label(self) -> str:
        """`@login`, marked when no GitHub sign-in proves it."""
        if self.is_unverified:
            return _("@%(login)s (unverified)") % {"login": self.github}
        return f"@{self.github}"

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

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed permanently")

    to = models.JSONField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), max_length=limits.DOCUMENT)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), max_length=limits.NOTE, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self):
        return self.subject
