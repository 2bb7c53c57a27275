"""Meetups and talks, their registrations and the questions staff ask.

An Event is generic: it knows nothing of hackathons or the camp. Another app that wants its own
events (the camp's tech talks) points at them from its own models (a ForeignKey or
ManyToManyField to `events.Event`), so this app never imports it.

What visitors see of the registrations (seats taken, the waiting list's length) is kept on the
Event row by events.transitions: public pages never count private rows, and the database checks
that the seats taken never exceed the capacity.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import limits
from common.saving import fields_to_save
from common.transitions import AuditEntry

# Slugs that name pages of the app itself, not events.
RESERVED_SLUGS = {"mine", "past", "upcoming", "feed"}


def validate_event_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is taken by a page of the site."), code="reserved")


class EventQuerySet(models.QuerySet):
    def listed(self):
        """What visitors see: published events and cancelled ones (their page says so)."""
        return self.filter(state__in=[Event.State.PUBLISHED, Event.State.CANCELLED])

    def visible_to(self, user):
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.listed()

    def upcoming(self, now=None):
        """Not over yet (running ones included), soonest first."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    class Kind(models.TextChoices):
        MEETUP = "meetup", _("meetup")
        TALK = "talk", _("talk")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("at a place")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("at a place and online")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        validators=[validate_event_slug],
        help_text=_("Part of the page's address: /events/<address>/."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETUP)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence for lists.")
    )
    description = models.TextField(
        _("description"), max_length=limits.TEXT, blank=True, help_text=_("Markdown.")
    )
    description_html = models.TextField(editable=False, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    format = models.CharField(
        _("where"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = models.CharField(_("place"), max_length=200, blank=True, help_text=_("e.g. 北京 798"))
    address = models.CharField(_("address of the place"), max_length=300, blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_(
            "Where to join online. Shown to registered people only when the event takes "
            "registrations, to everyone otherwise."
        ),
    )
    speakers = models.ManyToManyField(
        "pfcc.Person", verbose_name=_("speakers"), blank=True, related_name="event_talks"
    )
    registration_enabled = models.BooleanField(_("takes registrations"), default=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Seats; empty for no limit. Past it, people join the waiting list."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event starts."),
    )
    # Kept by events.transitions in the same transaction as the registrations they count.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    waiting_count = models.PositiveIntegerField(_("waiting"), default=0, editable=False)
    recording_url = models.URLField(_("recording"), blank=True)
    slides_url = models.URLField(_("slides"), blank=True)
    # iCalendar's SEQUENCE: goes up when the time, the place or the state changes.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()
    audit_model = "EventChange"

    COUNTER_FIELDS = ("seats_taken", "waiting_count")
    # A change of these makes calendars update their copy (a new SEQUENCE).
    SCHEDULE_FIELDS = ("title", "starts_at", "ends_at", "venue", "address", "format", "state")
    markdown_fields = {"description": "description_html"}  # common.rerender

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["state", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"
            ),
            # No over-booking, whatever races: the seats taken never exceed the capacity.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="events_event_not_overbooked",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        # The counters belong to events.transitions (common.saving).
        fields = fields_to_save(self, update_fields)
        if self.pk and (fields is None or fields & set(self.SCHEDULE_FIELDS)):
            before = (
                Event.objects.filter(pk=self.pk).values("sequence", *self.SCHEDULE_FIELDS).first()
            )
            if before is not None and any(
                before[name] != getattr(self, name) for name in self.SCHEDULE_FIELDS
            ):
                self.sequence = before["sequence"] + 1
                if fields is not None:
                    fields.add("sequence")
        super().save(*args, update_fields=fields, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def short_label(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.format in (self.Format.IN_PERSON, self.Format.HYBRID) and not self.venue:
            errors["venue"] = _("Name the place of an event that is not online only.")
        if (
            self.registration_closes_at
            and self.starts_at
            and self.registration_closes_at > self.starts_at
        ):
            errors["registration_closes_at"] = _("Registration must close by the start.")
        if errors:
            raise ValidationError(errors)

    # --- What pages show (computed here, not in templates) -----------------------------------

    @property
    def is_listed(self) -> bool:
        return self.state in (self.State.PUBLISHED, self.State.CANCELLED)

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def ends_same_day(self) -> bool:
        return timezone.localtime(self.starts_at).date() == timezone.localtime(self.ends_at).date()

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    @property
    def registration_is_open(self) -> bool:
        return (
            self.registration_enabled
            and self.state == self.State.PUBLISHED
            and timezone.now() < self.closes_at
        )

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def at_a_place(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def online_link_is_public(self) -> bool:
        return bool(self.online_url) and not self.registration_enabled

    @property
    def location_text(self) -> str:
        """The place as one line (iCalendar's LOCATION, the CSV export)."""
        parts = [self.venue, self.address] if self.at_a_place else []
        if self.is_online:
            parts.append(str(_("online")))
        return ", ".join(part for part in parts if part)

    @property
    def has_materials(self) -> bool:
        return bool(self.recording_url or self.slides_url)


class EventChange(AuditEntry):
    """One change of an event's state (published, cancelled)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="history"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=Event.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Event.State.choices)

    subject_field = "event"

    class Meta(AuditEntry.Meta):
        verbose_name = _("event history entry")
        verbose_name_plural = _("event history")


class Question(models.Model):
    """A question staff ask everyone who registers for one event."""

    class Kind(models.TextChoices):
        TEXT = "text", _("short answer")
        PARAGRAPH = "paragraph", _("paragraph")
        CHOICE = "choice", _("one of a list")
        YES_NO = "yes_no", _("yes or no")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(
        _("choices"),
        max_length=limits.NOTE,
        blank=True,
        help_text=_("For “one of a list”: one choice a line."),
    )
    required = models.BooleanField(_("required"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        if self.kind == self.Kind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one a line.")})


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=Registration.ACTIVE_STATES)

    def holding_seats(self):
        return self.filter(state__in=Registration.SEAT_STATES)

    def waiting_line(self):
        """The waiting list, first come first served."""
        return self.filter(state=Registration.State.WAITLISTED).order_by("created_at", "pk")


class Registration(models.Model):
    """One account's registration for one event. Its state moves only through
    events.transitions:

        registered ──> attended (checked in by staff; undone back to registered)
        waitlisted ──> registered (promoted when a seat frees up)
        registered, waitlisted ──> cancelled
    """

    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        ATTENDED = "attended", _("attended")
        CANCELLED = "cancelled", _("cancelled")

    ACTIVE_STATES = (State.REGISTERED, State.WAITLISTED, State.ATTENDED)
    SEAT_STATES = (State.REGISTERED, State.ATTENDED)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()
    audit_model = "RegistrationChange"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "state", "created_at"])]
        constraints = [
            # One live registration per account and event, whatever races (two tabs, two
            # clicks); a cancelled one does not count, so people may register again.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(state__in=["registered", "waitlisted", "attended"]),
                name="events_one_active_registration",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.event}"

    @property
    def short_label(self) -> str:
        return _("The registration of %(name)s") % {"name": self.name}

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def holds_seat(self) -> bool:
        return self.state in self.SEAT_STATES

    @property
    def is_waitlisted(self) -> bool:
        return self.state == self.State.WAITLISTED

    @property
    def is_attended(self) -> bool:
        return self.state == self.State.ATTENDED

    @property
    def can_cancel(self) -> bool:
        return self.state in (self.State.REGISTERED, self.State.WAITLISTED)


class Answer(models.Model):
    """A registrant's answer to one of the event's questions, stored with the registration. The
    question's text is kept too: staff may reword or delete a question later."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    question_label = models.CharField(_("question"), max_length=300)
    value = models.TextField(_("answer"), max_length=limits.NOTE, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="events_one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_label}: {self.value}"


class RegistrationChange(AuditEntry):
    """One change of a registration: registered, waitlisted, promoted, cancelled, checked in."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=Registration.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=Registration.State.choices)

    subject_field = "registration"

    class Meta(AuditEntry.Meta):
        verbose_name = _("registration history entry")
        verbose_name_plural = _("registration history")
