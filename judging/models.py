"""Judged contests (大模型应用与创意赛): entrants register (alone or as a team) and submit apps,
visitors view and like them in a public gallery per direction, judges assigned by staff score
them on the contest's weighted criteria, and staff turn the ranking into prizes, published as a
table, CSV and JSON, with certificates anyone can verify.

A contest is a judged track of a hackathon edition (an optional ForeignKey to hackathon.Edition,
of which only the id, name and number are used) or a contest of its own.

Counters visitors see (registrations, submissions, likes) are kept on public rows by
judging.transitions in the same transaction as the rows they count: public pages never count
private rows. Views are counted in a private table (SubmissionViews) so that a page view does not
invalidate the anonymous page cache of the whole site.
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import limits
from common.saving import fields_to_save
from common.transitions import AuditEntry

# Slugs that name pages of the app itself, not contests.
RESERVED_SLUGS = {"certificates"}
MAX_SCREENSHOTS = 5
MAX_SUBMISSIONS_PER_REGISTRATION = 10
MAX_TEAM_MEMBERS = 10
SCORE_PLACES = Decimal("0.01")


def validate_contest_slug(value):
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is taken by a page of the site."), code="reserved")


class ContestQuerySet(models.QuerySet):
    def listed(self):
        """What visitors see: every contest past its draft."""
        return self.exclude(state=Contest.State.DRAFT)

    def visible_to(self, user):
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.listed()


class Contest(models.Model):
    """A judged contest: a track of a hackathon edition, or standalone.

    draft ──> open (registration and submissions) ──> judging ──> published (results)"""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for entries")
        JUDGING = "judging", _("judging")
        PUBLISHED = "published", _("results published")

    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        validators=[validate_contest_slug],
        help_text=_("Part of the page's address: /judging/<address>/."),
    )
    name = models.CharField(_("name"), max_length=200)
    edition = models.ForeignKey(
        "hackathon.Edition",
        verbose_name=_("hackathon edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for a contest of its own."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(
        _("description"), max_length=limits.TEXT, blank=True, help_text=_("Markdown.")
    )
    description_html = models.TextField(editable=False, blank=True)
    submissions_close_at = models.DateTimeField(
        _("submissions close"), null=True, blank=True, help_text=_("Empty: when judging starts.")
    )
    # Kept by judging.transitions with the rows they count.
    registration_count = models.PositiveIntegerField(_("registrations"), default=0, editable=False)
    participant_count = models.PositiveIntegerField(_("participants"), default=0, editable=False)
    submission_count = models.PositiveIntegerField(_("submissions"), default=0, editable=False)
    published_at = models.DateTimeField(_("results published at"), null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ContestQuerySet.as_manager()
    audit_model = "ContestChange"
    markdown_fields = {"description": "description_html"}  # common.rerender
    COUNTER_FIELDS = ("registration_count", "participant_count", "submission_count")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("judged contest")
        verbose_name_plural = _("judged contests")

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        # The counters belong to judging.transitions (common.saving).
        fields = fields_to_save(self, update_fields)
        super().save(*args, update_fields=fields, **kwargs)

    def get_absolute_url(self):
        return reverse("judging:contest", kwargs={"slug": self.slug})

    @property
    def short_label(self) -> str:
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.state != self.State.DRAFT

    @property
    def accepts_entries(self) -> bool:
        """Registrations and submissions: while open, until the submissions close."""
        return self.state == self.State.OPEN and (
            self.submissions_close_at is None or timezone.now() < self.submissions_close_at
        )

    @property
    def accepts_likes(self) -> bool:
        return self.state in (self.State.OPEN, self.State.JUDGING)

    @property
    def is_judging(self) -> bool:
        return self.state == self.State.JUDGING

    @property
    def results_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class ContestChange(AuditEntry):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="history"
    )
    subject_field = "contest"

    class Meta(AuditEntry.Meta):
        verbose_name = _("contest history entry")
        verbose_name_plural = _("contest history")


class Direction(models.Model):
    """A direction of a contest (趣味创意, 生产力工具): each has its own gallery and ranking."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="directions"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=50)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [
            models.UniqueConstraint(fields=["contest", "slug"], name="judging_direction_slug"),
            models.UniqueConstraint(fields=["contest", "name"], name="judging_direction_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "judging:gallery_direction",
            kwargs={"slug": self.contest.slug, "direction": self.slug},
        )


class Criterion(models.Model):
    """One thing judges score (创意, 完成度, 实用性 …), with its weight in the total."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("what judges look at"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Relative weight: the total is the weighted mean, out of 100."),
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="judging_criterion_name"),
        ]

    def __str__(self):
        return self.name


class Prize(models.Model):
    """A prize staff award from the ranking: 一等奖, 二等奖, …, or the popularity prize."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="prizes"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Higher prizes first.")
    )
    is_popularity = models.BooleanField(
        _("popularity prize"), default=False, help_text=_("Awarded by likes, not by scores.")
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="judging_prize_name"),
        ]

    def __str__(self):
        return self.name


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=Registration.State.REGISTERED)


class Registration(models.Model):
    """One entrant, alone or a team, registered by one account.

    registered ──> withdrawn (by the registrant while entries are open, or by staff)"""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("on my own")
        TEAM = "team", _("as a team")

    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WITHDRAWN = "withdrawn", _("withdrawn")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="judging_registrations",
    )
    kind = models.CharField(_("entering"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=150, help_text=_("Shown with your entries: your name, or the team's.")
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    members = models.ManyToManyField(
        "pfcc.Person",
        verbose_name=_("members"),
        blank=True,
        related_name="judging_registrations",
        help_text=_("Everyone in the entry, by GitHub login."),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.REGISTERED,
        editable=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()
    audit_model = "RegistrationChange"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=Q(state="registered"),
                name="judging_one_registration_per_account",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.contest}"

    @property
    def short_label(self) -> str:
        return _("The registration of %(name)s") % {"name": self.name}

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    @property
    def is_active(self) -> bool:
        return self.state == self.State.REGISTERED


class RegistrationChange(AuditEntry):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    subject_field = "registration"

    class Meta(AuditEntry.Meta):
        verbose_name = _("registration history entry")
        verbose_name_plural = _("registration history")


class SubmissionQuerySet(models.QuerySet):
    def shown(self):
        """In the gallery: submitted entries (not withdrawn, not disqualified)."""
        return self.filter(state=Submission.State.SUBMITTED)

    def for_cards(self):
        """What a gallery card shows, in one query (plus one for the covers)."""
        return self.select_related(
            "registration", "direction", "views", "contest"
        ).prefetch_related(
            models.Prefetch(
                "screenshots",
                queryset=Screenshot.objects.order_by("order", "pk"),
                to_attr="screenshot_list",
            )
        )


class Submission(models.Model):
    """An app an entrant submits: its page, running app and source, in one direction.

    submitted ──> withdrawn (by the entrant while entries are open)
    submitted ──> disqualified (by staff, with a reason) ──> submitted (reinstated)"""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DISQUALIFIED = "disqualified", _("disqualified")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="submissions"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("entrant"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    direction = models.ForeignKey(
        Direction, verbose_name=_("direction"), on_delete=models.PROTECT, related_name="submissions"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("one-line summary"), max_length=300, blank=True)
    app_url = models.URLField(_("link to the running app"), max_length=500)
    repository_url = models.URLField(_("source repository"), max_length=500, blank=True)
    description = models.TextField(
        _("description"),
        max_length=limits.TEXT,
        blank=True,
        help_text=_("Markdown: what the app does, how it is built, how to use it."),
    )
    description_html = models.TextField(editable=False, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.SUBMITTED,
        editable=False,
    )
    # Kept by judging.transitions.
    like_count = models.PositiveIntegerField(_("likes"), default=0, editable=False)
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, null=True, blank=True, editable=False
    )
    scorecard_count = models.PositiveIntegerField(_("scorecards"), default=0, editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()
    audit_model = "SubmissionChange"
    markdown_fields = {"description": "description_html"}  # common.rerender
    COUNTER_FIELDS = ("like_count", "score", "scorecard_count")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(fields=["contest", "state", "direction"]),
            models.Index(fields=["contest", "state", "-like_count"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        # The counters belong to judging.transitions (common.saving).
        fields = fields_to_save(self, update_fields)
        super().save(*args, update_fields=fields, **kwargs)

    def get_absolute_url(self):
        return reverse("judging:submission", kwargs={"slug": self.contest.slug, "pk": self.pk})

    @property
    def short_label(self) -> str:
        return self.title

    @property
    def is_shown(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def cover(self):
        """The first screenshot (from `for_cards()`), or None."""
        shots = getattr(self, "screenshot_list", None)
        return shots[0] if shots else None

    @property
    def view_count(self) -> int:
        try:
            return self.views.count
        except SubmissionViews.DoesNotExist:
            return 0


class SubmissionChange(AuditEntry):
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="history"
    )
    subject_field = "submission"

    class Meta(AuditEntry.Meta):
        verbose_name = _("submission history entry")
        verbose_name_plural = _("submission history")


def screenshot_path(instance, filename):
    return f"judging/{instance.submission.contest_id}/{secrets.token_hex(8)}-{filename}"[:200]


class Screenshot(models.Model):
    """A screenshot of a submitted app, checked and re-encoded by common.uploads."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="screenshots",
    )
    image = models.ImageField(_("image"), upload_to=screenshot_path, max_length=255)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self):
        return self.caption or self.image.name


class SubmissionViews(models.Model):
    """How often a submission's page was seen (once per visitor and day). Private to the page
    cache: a view must not invalidate every cached page; the counts shown are at most a minute
    old."""

    submission = models.OneToOneField(
        Submission, primary_key=True, on_delete=models.CASCADE, related_name="views"
    )
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("view count")
        verbose_name_plural = _("view counts")

    def __str__(self):
        return f"{self.submission_id}: {self.count}"


class Like(models.Model):
    """One signed-in person's like of a submission (one each)."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="likes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="judging_likes",
    )
    created_at = models.DateTimeField(_("liked at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="judging_one_like_each")
        ]

    def __str__(self):
        return f"{self.user_id} ♥ {self.submission_id}"


class Judge(models.Model):
    """An account staff assigned to judge a contest.

    active ──> removed ──> active"""

    class State(models.TextChoices):
        ACTIVE = "active", _("judging")
        REMOVED = "removed", _("removed")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="judges"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="judging_assignments",
    )
    name = models.CharField(_("name"), max_length=150)
    # An account has no language of its own: the judge's e-mails are written in this one, which
    # staff choose when assigning (or judging.transitions.assign_judge finds).
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.ACTIVE, editable=False
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    audit_model = "JudgeChange"

    class Meta:
        ordering = ["contest", "name", "pk"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="judging_judge_once"),
        ]

    def __str__(self):
        return f"{self.name} · {self.contest}"

    @property
    def short_label(self) -> str:
        return _("Judge %(name)s") % {"name": self.name}

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE


class JudgeChange(AuditEntry):
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="history"
    )
    subject_field = "judge"

    class Meta(AuditEntry.Meta):
        verbose_name = _("judge history entry")
        verbose_name_plural = _("judge history")


class Scorecard(models.Model):
    """One judge's scores of one submission.

    draft ──> submitted (then the judge sees the other judges' scores; edits stay possible
    while judging runs, recorded)"""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="scorecards"
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="scorecards",
    )
    comment = models.TextField(_("comment"), max_length=limits.NOTE, blank=True)
    total = models.DecimalField(
        _("weighted total"), max_digits=6, decimal_places=2, null=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    audit_model = "ScorecardChange"

    class Meta:
        ordering = ["submission", "judge", "pk"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["judge", "submission"], name="judging_one_card"),
        ]

    def __str__(self):
        return f"{self.judge.name} · {self.submission}"

    @property
    def short_label(self) -> str:
        return _("The scorecard of %(judge)s") % {"judge": self.judge.name}

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


class ScorecardChange(AuditEntry):
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="history"
    )
    subject_field = "scorecard"

    class Meta(AuditEntry.Meta):
        verbose_name = _("scorecard history entry")
        verbose_name_plural = _("scorecard history")


class Score(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="judging_one_score"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


def weighted_total(values: dict, criteria) -> Decimal:
    """The weighted mean of the scores, each as a share of its criterion's highest score, out
    of 100: {criterion_id: value} over the contest's criteria."""
    weights = sum(criterion.weight for criterion in criteria)
    if not weights:
        return Decimal(0)
    total = sum(
        Decimal(values[criterion.pk]) / criterion.max_score * criterion.weight
        for criterion in criteria
    )
    return (total * 100 / weights).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


class Award(models.Model):
    """A prize given to a submission; published with the results."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="awards"
    )
    prize = models.ForeignKey(
        Prize, verbose_name=_("prize"), on_delete=models.PROTECT, related_name="awards"
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="awards"
    )
    created_at = models.DateTimeField(_("awarded at"), auto_now_add=True)

    class Meta:
        ordering = ["prize__order", "prize_id", "submission__direction__order", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["prize", "submission"], name="judging_award_once"),
        ]

    def __str__(self):
        return f"{self.prize} · {self.submission}"


def new_certificate_code() -> str:
    # The hackathon's format (16 hex digits), prefixed so that a code says where it verifies.
    return "J" + secrets.token_hex(8).upper()


class Certificate(models.Model):
    """获奖证书: one per award and member of the winning entry; verified by its code."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="certificates"
    )
    person = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="judging_certificates",
    )
    name = models.CharField(_("name on the certificate"), max_length=200)
    code = models.CharField(_("code"), max_length=32, unique=True, default=new_certificate_code)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["-issued_at", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "person"],
                condition=Q(person__isnull=False),
                name="judging_certificate_once",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("judging:certificate", kwargs={"code": self.code})
