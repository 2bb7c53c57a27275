import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common import limits
from common.markdown import render_markdown
from common.transitions import AuditEntry
from common.validators import pull_request_key

from .pr_titles import ordinal
from .task_numbers import IDENTIFIER_MAX_LENGTH, normalize_identifier
from .validators import validate_pull_request_url


class EditionQuerySet(models.QuerySet):
    def visible(self):
        return self.exclude(state=Edition.State.DRAFT)

    def current(self):
        """The edition people are working on now: the newest open one; without one, the newest
        that ran (closed or with results), and only then an upcoming one. An upcoming edition
        just imported is not "current" while another one runs."""
        preference = models.Case(
            models.When(models.Q(state=Edition.State.OPEN), then=0),
            models.When(models.Q(state=Edition.State.UPCOMING), then=2),
            default=1,
        )
        return self.visible().order_by(preference, "-number").first()


class Edition(models.Model):
    """One hackathon, numbered as the community does (5 for 第五期)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        UPCOMING = "upcoming", _("upcoming")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        RESULTS_PUBLISHED = "results_published", _("results published")

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1)]
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.UPCOMING
    )
    objection_deadline = models.DateTimeField(_("objection deadline"), null=True, blank=True)
    objection_reply_date = models.DateField(_("objection reply date"), null=True, blank=True)
    star_value = models.DecimalField(
        _("value of one star (¥)"), max_digits=10, decimal_places=2, default=Decimal("2000")
    )
    reward_cap = models.DecimalField(
        _("reward cap per person (¥)"), max_digits=10, decimal_places=2, default=Decimal("30000")
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    objects = EditionQuerySet.as_manager()
    audit_model = "EditionEvent"

    class Meta:
        ordering = ["-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self):
        return self.name or _("Hackathon %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("hackathon:edition", kwargs={"number": self.number})

    def get_results_url(self):
        return reverse("hackathon:results", kwargs={"number": self.number})

    @property
    def results_published(self) -> bool:
        return self.state == self.State.RESULTS_PUBLISHED

    @property
    def accepts_claims(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def main_set(self) -> "TaskSet":
        return TaskSet.main_of(self)

    def objections_open(self, now=None) -> bool:
        if not self.results_published or self.objection_deadline is None:
            return False
        return (now or timezone.now()) <= self.objection_deadline


def main_set_slug(number: int) -> str:
    return f"hackathon-{number}"


def main_set_values(number: int) -> dict:
    """The main set of edition N (also used by the migration that made one per edition)."""
    return {"name": "主赛题", "is_main": True, "title_tags": f"Hackathon {ordinal(number)}"}


class TaskSetQuerySet(models.QuerySet):
    def for_tag(self, tag: str) -> list["TaskSet"]:
        """The sets a PR-title tag names (normalised as `pr_titles.normalize_tag`): one, none,
        or (a configuration mistake staff must fix) several."""
        from .pr_titles import normalize_tag

        wanted = normalize_tag(tag)
        return [task_set for task_set in self.exclude(title_tags="") if wanted in task_set.tags]

    def direct_tags(self) -> frozenset[str]:
        """The tags of the sets whose titles may write the number right after the tag, without
        “No.” (`【Starter Code Camp 3】`): the title parser reads that form for these alone."""
        tags = set()
        for task_set in self.filter(number_follows_tag=True).exclude(title_tags=""):
            tags.update(task_set.tags)
        return frozenset(tags)

    def for_issue(self, repository: str, number: int) -> "TaskSet | None":
        """The set whose task issue is this one (claims by comment)."""
        suffix = f"/{repository}/issues/{number}".lower()
        for task_set in self.exclude(issue_url=""):
            if task_set.issue_url.rstrip("/").lower().endswith(suffix):
                return task_set
        return None


class TaskSet(models.Model):
    """A set of tasks numbered from 1: an edition's main challenge, its Sprint, Spring, Fundable
    Projects N, …, or a standalone activity (快乐开源, API compatibility, 0-size Tensor) with no
    edition. PR titles name the set by one of its tags (`【Hackathon 9th Sprint No.3】`)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        RESULTS_PUBLISHED = "results_published", _("results published")

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="task_sets",
        help_text=_("Empty for a standalone activity (快乐开源, API compatibility, …)."),
    )
    slug = models.SlugField(
        _("short name"), max_length=80, unique=True, help_text=_("In the set's addresses.")
    )
    name = models.CharField(_("name"), max_length=200)
    is_main = models.BooleanField(
        _("main set of the edition"),
        default=False,
        help_text=_("The set the edition's board, progress and exports show by default."),
    )
    title_tags = models.TextField(
        _("PR-title tags"),
        max_length=limits.NOTE,
        blank=True,
        help_text=_("One per line, as in 【Hackathon 9th Sprint No.3】: “Hackathon 9th Sprint”."),
    )
    number_follows_tag = models.BooleanField(
        _("number right after the tag"),
        default=False,
        help_text=_(
            "On: a PR title may write the task number right after the tag, without “No.” "
            "(【Starter Code Camp 3】, 【Starter Code Camp】3). Off: “No.” is required "
            "(【PaddleX No.3】)."
        ),
    )
    repositories = models.TextField(
        _("repositories"),
        max_length=limits.NOTE,
        blank=True,
        help_text=_("owner/name, one per line: pull requests there count as code."),
    )
    rfc_repository = models.CharField(
        _("RFC repository"),
        max_length=140,
        blank=True,
        validators=[
            RegexValidator(r"^$|" + r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
        ],
        help_text=_("owner/name (PaddlePaddle/community): PRs there are RFCs (设计文档)."),
    )
    issue_url = models.URLField(
        _("task issue"),
        blank=True,
        help_text=_("The GitHub issue where people claim by comment (【报名】：2、3)."),
    )
    star_value = models.DecimalField(
        _("value of one star (¥)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The reward rule; empty: the edition's."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A standalone activity publishes its own results (an edition's sets follow the edition).
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.OPEN,
        help_text=_("A standalone activity's own: open, or its results published."),
    )
    reward_cap = models.DecimalField(
        _("reward cap per person (¥)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A standalone activity's cap on a person's reward; empty: no cap."),
    )
    objection_deadline = models.DateTimeField(_("objection deadline"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    objects = TaskSetQuerySet.as_manager()
    audit_model = "TaskSetEvent"

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("task set")
        verbose_name_plural = _("task sets")
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=models.Q(is_main=True),
                name="task_set_one_main_per_edition",
            )
        ]

    def __str__(self):
        if self.edition_id and not self.is_main:
            return f"{self.edition} · {self.name}"
        return self.name

    def get_absolute_url(self):
        if self.edition_id and self.is_main:
            return reverse("hackathon:board", kwargs={"number": self.edition.number})
        return reverse("hackathon:set_board", kwargs={"slug": self.slug})

    @property
    def reward_star_value(self):
        """The value of one star for this set's tasks: its own rule, else its edition's (None
        for a standalone set without a rule)."""
        if self.star_value is not None:
            return self.star_value
        return self.edition.star_value if self.edition_id else None

    @classmethod
    def main_of(cls, edition) -> "TaskSet":
        """The edition's main set (tag `Hackathon <N>th`), made when missing."""
        main = cls.objects.filter(edition=edition, is_main=True).select_related("edition").first()
        if main is None:
            main, _created = cls.objects.get_or_create(
                slug=main_set_slug(edition.number),
                defaults=main_set_values(edition.number) | {"edition": edition},
            )
        return main

    @property
    def tags(self) -> list[str]:
        from .pr_titles import normalize_tag

        return [normalize_tag(line) for line in self.title_tags.splitlines() if line.strip()]

    @property
    def repository_names(self) -> list[str]:
        return [line.strip() for line in self.repositories.splitlines() if line.strip()]

    def counts_repository(self, full_name: str) -> bool:
        names = {name.lower() for name in self.repository_names}
        if self.edition_id:  # the edition's webhook repositories count for its sets
            names |= {
                name.lower()
                for name in self.edition.repositories.values_list("full_name", flat=True)
            }
        return (full_name or "").lower() in names

    def is_rfc_repository(self, full_name: str) -> bool:
        return (
            bool(self.rfc_repository) and self.rfc_repository.lower() == (full_name or "").lower()
        )

    @property
    def is_standalone(self) -> bool:
        return self.edition_id is None

    @property
    def accepts_claims(self) -> bool:
        """An edition's sets follow the edition; a standalone activity takes claims until its
        results are published."""
        if self.edition_id:
            return self.edition.accepts_claims
        return self.state != self.State.RESULTS_PUBLISHED

    @property
    def results_published(self) -> bool:
        if self.edition_id:
            return self.edition.results_published
        return self.state == self.State.RESULTS_PUBLISHED

    def objections_open(self, now=None) -> bool:
        """A standalone activity's objection period (an edition's set: the edition's)."""
        if self.edition_id:
            return self.edition.objections_open(now)
        if not self.results_published or self.objection_deadline is None:
            return False
        return (now or timezone.now()) <= self.objection_deadline

    def get_results_url(self):
        return reverse("hackathon:set_results", kwargs={"slug": self.slug})


class Track(models.Model):
    """A track of an edition: 开源贡献个人挑战赛, 飞桨护航计划集训营, Fundable Projects, …"""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="tracks"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=50, allow_unicode=True)
    description = models.TextField(_("description"), max_length=limits.NOTE, blank=True)
    is_camp = models.BooleanField(
        _("Code Camp track"),
        default=False,
        help_text=_("The camp's projects live in the Code Camp area, not on the task board."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "order", "pk"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="track_slug_unique"),
            models.UniqueConstraint(fields=["edition", "name"], name="track_name_unique"),
        ]

    def __str__(self):
        return self.name


class Direction(models.Model):
    """A direction inside a track: 框架开发, 科学计算, 套件开发, 合作伙伴, …"""

    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.CASCADE, related_name="directions"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["track__order", "track_id", "order", "pk"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [
            models.UniqueConstraint(fields=["track", "name"], name="direction_name_unique"),
        ]

    def __str__(self):
        return f"{self.track.name} / {self.name}"


MIN_DIFFICULTY = Decimal("0.025")
MAX_DIFFICULTY = Decimal("3")


class TaskQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=Task.State.OPEN)

    def by_keys(self, keys) -> dict[str, "Task"]:
        """The tasks these keys name, by key: "42" names the task numbered 42 that has no
        identifier, "C-115" the task with that identifier. One query."""
        numbers, identifiers = [], []
        for key in keys:
            key = str(key)
            if key.isdigit():
                numbers.append(int(key))
            elif (identifier := normalize_identifier(key)) is not None:
                identifiers.append(identifier)
        if not numbers and not identifiers:
            return {}
        found = self.filter(
            models.Q(identifier="", number__in=numbers) | models.Q(identifier__in=identifiers)
        )
        return {task.key: task for task in found}

    def for_board(self):
        """Everything the board shows, in a fixed number of queries."""
        claims = Claim.objects.select_related("person").prefetch_related("pull_requests")
        return self.select_related("direction__track", "completed_claim__person").prefetch_related(
            models.Prefetch("claims", queryset=claims.order_by("created_at", "pk"))
        )


class Task(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        WITHDRAWN = "withdrawn", _("withdrawn")

    task_set = models.ForeignKey(
        TaskSet, verbose_name=_("task set"), on_delete=models.CASCADE, related_name="tasks"
    )
    # The set's edition, kept on the task for the per-edition pages and counts (None for a
    # standalone activity's tasks).
    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
        editable=False,
    )
    direction = models.ForeignKey(
        Direction,
        verbose_name=_("direction"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    number = models.PositiveIntegerField(
        _("number"),
        validators=[MinValueValidator(1)],
        blank=True,
        help_text=_(
            "The task's place in its set and its address. Empty with an identifier: the next "
            "free number."
        ),
    )
    identifier = models.CharField(
        _("identifier"),
        max_length=IDENTIFIER_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Only where the set numbers its items as text (C-115, 1.3): then titles, comments "
            "and claims name the task by it, and the number only orders the board."
        ),
    )
    title = models.CharField(_("title"), max_length=300)
    difficulty = models.DecimalField(
        _("difficulty (stars)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(MIN_DIFFICULTY), MaxValueValidator(MAX_DIFFICULTY)],
        help_text=_("From 0.025 to 3 stars; fractions are allowed."),
    )
    description = models.TextField(
        _("description"),
        max_length=limits.TEXT,
        blank=True,
        help_text=_("Markdown: 详细描述, 提交内容, 技术要求, 验收说明."),
    )
    description_html = models.TextField(editable=False, blank=True)
    needs_rfc = models.BooleanField(_("RFC needed"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    completed_claim = models.OneToOneField(
        "Claim",
        verbose_name=_("completed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completed_task",
        help_text=_("The first claim that reached 完成任务."),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TaskQuerySet.as_manager()
    audit_model = "TaskEvent"
    markdown_fields = {"description": "description_html"}  # common.rerender

    class Meta:
        ordering = ["task_set", "number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["task_set", "number"], name="task_number_in_set"),
            models.UniqueConstraint(
                fields=["task_set", "identifier"],
                condition=~models.Q(identifier=""),
                name="task_identifier_in_set",
                violation_error_message=_("This set already has a task with this identifier."),
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=MIN_DIFFICULTY)
                & models.Q(difficulty__lte=MAX_DIFFICULTY),
                name="task_difficulty_range",
            ),
        ]

    def __str__(self):
        return f"No.{self.label} {self.title}"

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description).html
        if self.task_set_id is None and self.edition_id is not None:
            self.task_set = TaskSet.main_of(self.edition)
        if self.task_set_id is not None:
            self.edition_id = self.task_set.edition_id
        self._fill_number()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "description" in update_fields:
            kwargs["update_fields"] = {*update_fields, "description_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        task_set = self.task_set
        if task_set.is_main and task_set.edition_id:
            return reverse(
                "hackathon:task", kwargs={"number": task_set.edition.number, "task": self.number}
            )
        return reverse("hackathon:set_task", kwargs={"slug": task_set.slug, "task": self.number})

    def clean(self):
        if self.identifier:
            if normalize_identifier(self.identifier) is None:
                raise ValidationError(
                    {
                        "identifier": _(
                            "Write an identifier as letters and a number (C-115) or numbers "
                            "with dots (1.3); a number alone goes in “number”."
                        )
                    }
                )
            self._fill_number()
        elif self.number is None:
            raise ValidationError({"number": _("Give the task a number or an identifier.")})
        if self.completed_claim_id and self.completed_claim.task_id != self.pk:
            raise ValidationError(
                {"completed_claim": _("The completing claim must be a claim on this task.")}
            )
        if self.direction_id and self.direction.track.edition_id != self.task_set.edition_id:
            raise ValidationError(
                {"direction": _("The direction must belong to a track of this edition.")}
            )

    @property
    def label(self) -> str:
        """How people name the task: its identifier (C-115, 1.3) where it has one, else its
        number. Shown wherever the number was."""
        return self.identifier or str(self.number)

    key = label  # what titles, comments and the claim form resolve (TaskQuerySet.by_keys)

    def _fill_number(self) -> None:
        normalized = normalize_identifier(self.identifier) if self.identifier else None
        if normalized:
            self.identifier = normalized
        if self.number is None and self.identifier and self.task_set_id is not None:
            last = Task.objects.filter(task_set_id=self.task_set_id).aggregate(
                last=models.Max("number")
            )["last"]
            self.number = (last or 0) + 1

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def state_label(self) -> str:
        """What the task page says: withdrawn, completed (it has a 完成队伍) or open."""
        if not self.is_open:
            return self.get_state_display()
        if self.completed_claim_id:
            return str(_("completed"))
        return self.get_state_display()

    @property
    def difficulty_display(self) -> str:
        return format_stars(self.difficulty)

    @property
    def difficulty_emoji(self) -> str:
        return stars_emoji(self.difficulty)

    @property
    def difficulty_stars(self) -> str:
        """For pages: ★ signs (a font every system has), "0.5★" for fractions."""
        value = Decimal(self.difficulty)
        if value == value.to_integral_value() and value >= 1:
            return "★" * int(value)
        return f"{format_stars(value)}★"


def format_stars(value) -> str:
    """1.000 → "1", 0.500 → "0.5", 0.025 → "0.025"."""
    text = format(Decimal(value).normalize(), "f")
    return text


def stars_emoji(value) -> str:
    value = Decimal(value)
    if value == value.to_integral_value() and value >= 1:
        return "⭐️" * int(value)
    return f"{format_stars(value)}⭐️"


class ClaimState(models.IntegerChoices):
    CLAIMED = 1, _("claimed")
    RFC_SUBMITTED = 2, _("RFC submitted")
    DESIGN_DONE = 3, _("design document done")
    PR_SUBMITTED = 4, _("PR submitted")
    PARTIAL = 5, _("partially completed")
    COMPLETED = 6, _("completed")


# The community's board legend: one emoji per state, pasteable into a GitHub issue.
STATE_EMOJI = {1: "🔵", 2: "🙋", 3: "🟢", 4: "🟡", 5: "🏁", 6: "✅"}
# The highest state a claimant may set on their own claim; above it is a staff decision.
CLAIMANT_MAX_STATE = ClaimState.PR_SUBMITTED


class ClaimQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(state=ClaimState.COMPLETED)


class Claim(models.Model):
    """A person (optionally under a team name) working on a task. The state only moves up,
    except through a recorded staff correction."""

    State = ClaimState

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="claims"
    )
    person = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("claimant"),
        on_delete=models.PROTECT,
        related_name="hackathon_claims",
    )
    team_name = models.CharField(_("team name"), max_length=100, blank=True)
    state = models.PositiveSmallIntegerField(
        _("state"), choices=ClaimState.choices, default=ClaimState.CLAIMED
    )
    created_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)

    objects = ClaimQuerySet.as_manager()
    audit_model = "ClaimStateChange"

    class Meta:
        ordering = ["task", "created_at", "pk"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["task", "person"], name="claim_once_per_person"),
        ]
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self):
        return f"{self.task} — {self.label}"

    @property
    def label(self) -> str:
        """How the board names the claimant: the team name, else @login."""
        if self.team_name:
            return f"{self.team_name} (@{self.person.github})"
        return f"@{self.person.github}"

    @property
    def state_emoji(self) -> str:
        return STATE_EMOJI[self.state]

    @property
    def badge_class(self) -> str:
        return f"state-{self.state}"

    @property
    def is_completed(self) -> bool:
        return self.state == ClaimState.COMPLETED


class PullRequestQuerySet(models.QuerySet):
    def held(self):
        """Code PRs held until staff release them (the task needs an RFC)."""
        return self.filter(held_state__isnull=False)


class PullRequest(models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="pull_requests"
    )
    url = models.URLField(_("pull request URL"), validators=[validate_pull_request_url])
    merged = models.BooleanField(_("merged"), default=False)
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # A code PR on a task that needs an RFC, recorded while the claim had no merged design
    # document: the state it would have moved the claim to, until staff release it.
    held_state = models.PositiveSmallIntegerField(
        _("held at (waiting for the RFC)"),
        choices=ClaimState.choices,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The state this pull request moves the claim to once staff release it."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = PullRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pull request")
        verbose_name_plural = _("pull requests")
        constraints = [models.UniqueConstraint(fields=["claim", "url"], name="pr_once_per_claim")]

    def __str__(self):
        return self.url

    @property
    def short(self) -> str:
        """`Paddle#123`."""
        parts = self.url.rstrip("/").split("/")
        return f"{parts[4]}#{parts[6]}" if len(parts) >= 7 else self.url


class ClaimStateChange(AuditEntry):
    """The history of a claim: who moved it, when, from which state to which."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="history"
    )
    from_state = models.PositiveSmallIntegerField(
        _("from"), choices=ClaimState.choices, null=True, blank=True
    )
    to_state = models.PositiveSmallIntegerField(_("to"), choices=ClaimState.choices)
    is_correction = models.BooleanField(_("staff correction"), default=False)

    subject_field = "claim"

    class Meta(AuditEntry.Meta):
        verbose_name = _("claim state change")
        verbose_name_plural = _("claim state changes")

    def __str__(self):
        return f"{self.claim_id}: {self.from_state} → {self.to_state}"


def _one_activity(prefix: str):
    """A result or an objection belongs to an edition or to a standalone activity, never both."""
    return models.CheckConstraint(
        condition=models.Q(edition__isnull=False, task_set__isnull=True)
        | models.Q(edition__isnull=True, task_set__isnull=False),
        name=f"{prefix}_edition_or_task_set",
        violation_error_message=_("Name an edition or a standalone activity, not both."),
    )


def activity_filter(scope) -> dict:
    """The filter of the results and objections of an edition or of a standalone activity (a
    task set without an edition): `{"edition": …}` or `{"task_set": …}`."""
    return {"edition": scope} if isinstance(scope, Edition) else {"task_set": scope}


class ActivityQuerySet(models.QuerySet):
    def of_activity(self, scope):
        return self.filter(**activity_filter(scope))


class ActivityMixin:
    """What results and objections say about the activity they belong to: an edition, or a
    standalone activity (a task set without an edition)."""

    @property
    def activity(self):
        return self.edition if self.edition_id else self.task_set

    def get_results_url(self):
        return self.activity.get_results_url()


class Result(ActivityMixin, models.Model):
    """One person's line of the results (榜单) of an edition or of a standalone activity."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="results",
        null=True,
        blank=True,
    )
    task_set = models.ForeignKey(
        TaskSet,
        verbose_name=_("standalone activity"),
        on_delete=models.CASCADE,
        related_name="results",
        null=True,
        blank=True,
        help_text=_("For a standalone activity's results (the edition stays empty)."),
    )
    person = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="hackathon_results",
    )
    rank = models.PositiveIntegerField(_("rank"))
    completed_tasks = models.PositiveIntegerField(_("completed tasks"))
    task_numbers = models.JSONField(_("task numbers"), default=list, blank=True)
    # Per task set: [{"set": slug, "name": …, "tasks": [numbers], "stars": "1.5",
    # "reward": "3000.00"}], each set's reward by its own rule (before the per-person cap).
    by_set = models.JSONField(_("per task set"), default=list, blank=True)
    stars = models.DecimalField(_("stars"), max_digits=8, decimal_places=3)
    reward = models.DecimalField(_("reward (¥)"), max_digits=12, decimal_places=2)
    is_open_source_star = models.BooleanField(_("飞桨开源之星"), default=False)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "task_set", "rank", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["edition", "person"], name="result_once_per_person"),
            models.UniqueConstraint(
                fields=["task_set", "person"], name="result_once_per_person_and_activity"
            ),
            _one_activity("result"),
        ]

    def __str__(self):
        return f"{self.activity} #{self.rank} @{self.person.github}"

    @property
    def stars_display(self) -> str:
        return format_stars(self.stars)

    @property
    def task_list(self) -> str:
        """`3、4`, or per set when the tasks come from several (`主赛题 3 · Sprint 3、4`)."""
        if len(self.by_set) > 1:
            return " · ".join(
                f"{part['name']} " + "、".join(str(n) for n in part["tasks"])
                for part in self.by_set
            )
        return "、".join(str(number) for number in self.task_numbers)

    @property
    def set_names(self) -> str:
        return "、".join(part["name"] for part in self.by_set)


class Objection(ActivityMixin, models.Model):
    """An objection to the published results of an edition or of a standalone activity; one
    per person per activity."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered")

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="objections",
        null=True,
        blank=True,
    )
    task_set = models.ForeignKey(
        TaskSet,
        verbose_name=_("standalone activity"),
        on_delete=models.CASCADE,
        related_name="objections",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="hackathon_objections",
    )
    user = models.ForeignKey(
        "pfcc.User", verbose_name=_("account"), on_delete=models.SET_NULL, null=True, blank=True
    )
    text = models.TextField(_("objection"), max_length=limits.TEXT)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), max_length=limits.TEXT, blank=True)
    answered_by = models.ForeignKey(
        "pfcc.User",
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    audit_model = "ObjectionEvent"

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(fields=["edition", "person"], name="objection_once_per_person"),
            models.UniqueConstraint(
                fields=["task_set", "person"], name="objection_once_per_person_and_activity"
            ),
            _one_activity("objection"),
        ]

    def __str__(self):
        return f"{self.activity} @{self.person.github}"


def new_certificate_code() -> str:
    return secrets.token_hex(8).upper()


class Certificate(models.Model):
    """结项证书 for a result with completed tasks; anyone can verify it by its code."""

    result = models.OneToOneField(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(_("code"), max_length=32, unique=True, default=new_certificate_code)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("hackathon:certificate", kwargs={"code": self.code})

    def clean(self):
        if self.result_id and not self.result.completed_tasks:
            raise ValidationError(_("A certificate needs at least one completed task."))


# --- GitHub webhooks -------------------------------------------------------------------------

REPOSITORY_NAME_RE = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$"


class Repository(models.Model):
    """A GitHub repository whose pull requests count for an edition. Staff list them; the
    webhook ignores pull requests elsewhere (and records them for a look)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="repositories"
    )
    full_name = models.CharField(
        _("repository"),
        max_length=140,
        validators=[RegexValidator(REPOSITORY_NAME_RE, _("Write the repository as owner/name."))],
        help_text=_("owner/name, as on GitHub: PaddlePaddle/Paddle."),
    )

    class Meta:
        ordering = ["edition", Lower("full_name")]
        verbose_name = _("webhook repository")
        verbose_name_plural = _("webhook repositories")
        constraints = [
            models.UniqueConstraint(
                "edition", Lower("full_name"), name="repository_once_per_edition_ci"
            )
        ]

    def __str__(self):
        return self.full_name


class PullRequestStatusQuerySet(models.QuerySet):
    def for_links(self, urls) -> list[tuple[str, "PullRequestStatus | None"]]:
        """Each link with its last known status (None when GitHub never told us), in one
        query whatever the number of links."""
        keys = {url: PullRequestStatus.key_for(url) for url in urls}
        wanted = {key for key in keys.values() if key}
        found = {status.key: status for status in self.filter(key__in=wanted)} if wanted else {}
        return [(url, found.get(key)) for url, key in keys.items()]


class PullRequestStatus(models.Model):
    """A pull request as last heard from GitHub's webhook: open, merged or closed. Keyed by its
    address (any case), so every link to it (claims, camp reports) finds it."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("pull request", "open")
        MERGED = "merged", pgettext_lazy("pull request", "merged")
        CLOSED = "closed", pgettext_lazy("pull request", "closed")

    key = models.CharField(_("key"), max_length=200, unique=True, editable=False)
    url = models.URLField(_("pull request URL"))
    repository = models.CharField(_("repository"), max_length=140)
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    draft = models.BooleanField(_("draft"), default=False)
    event_at = models.DateTimeField(
        _("changed on GitHub"), help_text=_("The pull request's last update in the event.")
    )
    updated_at = models.DateTimeField(_("heard from GitHub"), auto_now=True)

    objects = PullRequestStatusQuerySet.as_manager()

    class Meta:
        ordering = ["-event_at", "pk"]
        verbose_name = _("pull request status")
        verbose_name_plural = _("pull request statuses")

    def __str__(self):
        return f"{self.repository}#{self.number} ({self.get_state_display()})"

    @staticmethod
    def key_for(url: str) -> str | None:
        """`https://github.com/PaddlePaddle/Paddle/pull/42` → `paddlepaddle/paddle/42`."""
        return pull_request_key(url)

    @property
    def badge_class(self) -> str:
        return f"pr-{self.state}"


class WebhookDelivery(models.Model):
    """One delivery from GitHub, by its `X-GitHub-Delivery` id: what it was and what the portal
    did with it. A redelivery of the same id is not processed again."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        PROCESSED = "processed", _("applied")
        IGNORED = "ignored", _("nothing to do")
        NEEDS_REVIEW = "review", _("needs a staff look")
        FAILED = "failed", _("failed")

    delivery_id = models.CharField(_("delivery id"), max_length=100, unique=True)
    event = models.CharField(_("event"), max_length=50)
    action = models.CharField(_("action"), max_length=50, blank=True)
    repository = models.CharField(_("repository"), max_length=140, blank=True)
    pull_request_url = models.CharField(_("pull request"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    payload = models.JSONField(
        _("payload"),
        default=dict,
        blank=True,
        help_text=_("The parts of GitHub's payload the portal reads; a retry re-runs them."),
    )
    state = models.CharField(
        _("result"), max_length=10, choices=State.choices, default=State.PENDING
    )
    result = models.TextField(_("what happened"), max_length=limits.TEXT, blank=True)
    error = models.TextField(_("errors"), max_length=limits.TEXT, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    audit_model = "WebhookDeliveryEvent"

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["state", "received_at"], name="hackathon_delivery_state")]

    def __str__(self):
        return self.delivery_id

    @property
    def can_retry(self) -> bool:
        return self.state in {self.State.FAILED, self.State.NEEDS_REVIEW, self.State.PENDING}


# --- History (one audit shape: common.transitions.AuditEntry) ---------------------------------


class EditionEvent(AuditEntry):
    """A change of an edition's state (opened, closed, results published, …)."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "edition"

    class Meta(AuditEntry.Meta):
        verbose_name = _("edition history entry")
        verbose_name_plural = _("edition history")


class TaskSetEvent(AuditEntry):
    """A standalone activity's results computed or published."""

    task_set = models.ForeignKey(
        TaskSet, verbose_name=_("task set"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "task_set"

    class Meta(AuditEntry.Meta):
        verbose_name = _("task set history entry")
        verbose_name_plural = _("task set history")


class TaskEvent(AuditEntry):
    """A task withdrawn or reopened."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "task"

    class Meta(AuditEntry.Meta):
        verbose_name = _("task history entry")
        verbose_name_plural = _("task history")


class ObjectionEvent(AuditEntry):
    """An objection filed or answered."""

    objection = models.ForeignKey(
        Objection, verbose_name=_("objection"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "objection"

    class Meta(AuditEntry.Meta):
        verbose_name = _("objection history entry")
        verbose_name_plural = _("objection history")


class WebhookDeliveryEvent(AuditEntry):
    """A delivery received, applied, set aside for staff, failed or retried."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    subject_field = "delivery"

    class Meta(AuditEntry.Meta):
        verbose_name = _("delivery history entry")
        verbose_name_plural = _("delivery history")


class GitHubReply(models.Model):
    """A reply the site posts on GitHub (a PR or a task issue), once per subject and message:
    task not found, task withdrawn, set unknown, RFC needed first, claim recorded. Without a
    token it is only recorded here."""

    class State(models.TextChoices):
        PENDING = "pending", _("to send")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        RECORDED = "recorded", _("recorded only (no GitHub token)")

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("delivery"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    key = models.CharField(_("key"), max_length=300, unique=True, editable=False)
    repository = models.CharField(_("repository"), max_length=140)
    issue_number = models.PositiveIntegerField(_("issue or pull request number"))
    body = models.TextField(_("reply"), max_length=limits.NOTE)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), max_length=limits.NOTE, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    audit_model = "GitHubReplyEvent"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("GitHub reply")
        verbose_name_plural = _("GitHub replies")

    def __str__(self):
        return f"{self.repository}#{self.issue_number}"

    @property
    def comments_path(self) -> str:
        return f"/repos/{self.repository}/issues/{self.issue_number}/comments"


class GitHubReplyEvent(AuditEntry):
    reply = models.ForeignKey(
        GitHubReply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "reply"

    class Meta(AuditEntry.Meta):
        verbose_name = _("reply history entry")
        verbose_name_plural = _("reply history")
