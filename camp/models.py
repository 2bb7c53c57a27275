"""Code Camp (飞桨护航计划集训营): cohorts, projects, mentorships, biweekly reports and reviews."""

import math
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common import limits
from common.markdown import render_markdown
from common.transitions import AuditEntry
from common.validators import pull_request_links, validate_github_login

CHINESE_NUMERALS = "零一二三四五六七八九十"
DEFAULT_STAR_VALUE = Decimal(2000)  # ¥ a star, for programmes outside a hackathon
# Texts that people put under 导师点评 when there is no review yet.
PLACEHOLDER_REVIEWS = {"请联系导师填写", "none", "无", "暂无", "todo", "tbd", "n/a"}


def get_language_from_path_or_current() -> str:
    return get_language() or settings.LANGUAGE_CODE


def chinese_number(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for project numbers)."""
    if number <= 10:
        return CHINESE_NUMERALS[number]
    tens, units = divmod(number, 10)
    if tens >= 10:
        return str(number)
    text = ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十"
    return text + (CHINESE_NUMERALS[units] if units else "")


def meaningful_review_text(text: str | None) -> str:
    """The review without placeholder lines; "" when nothing real is left."""
    lines = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        bare = re.sub(r"[\s。.!！:：*_>`-]+", "", line).lower()
        if bare in PLACEHOLDER_REVIEWS:
            continue
        if bare.startswith("请联系导师填写"):
            rest = line.strip().removeprefix("请联系导师填写").strip(" 。.")
            if rest:
                lines.append(rest)
            continue
        lines.append(line)
    result = "\n".join(lines).strip()
    return "" if re.sub(r"[\s。.!！:：*_>`-]+", "", result) == "" else result


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files that are never served as media: résumés. Kept next to MEDIA_ROOT, outside it,
    and served only through a view that checks permissions."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()
RESERVED_SLUGS = {"me", "reviews", "reports", "periods", "applications"}


def validate_cohort_slug(value):
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved."), code="reserved")


class CohortQuerySet(models.QuerySet):
    def visible(self):
        return self.exclude(state=Cohort.State.DRAFT)

    def current(self, today=None):
        """The running cohort whose dates include today (the newest when several do)."""
        today = today or timezone.localdate()
        return (
            self.filter(state=Cohort.State.RUNNING, start_date__lte=today, end_date__gte=today)
            .select_related("edition", "programme")
            .order_by("-start_date")
            .first()
        )


class Programme(models.Model):
    """A mentoring programme run like the camp but outside a hackathon: 启航计划 (Starter),
    GLCC, OSPP, …; each cohort of it has its own name, dates and projects."""

    class Kind(models.TextChoices):
        STARTER = "starter", _("Starter (启航计划)")
        GLCC = "glcc", _("GLCC")
        OSPP = "ospp", _("OSPP (开源之夏)")
        OTHER = "other", _("other")

    name = models.CharField(pgettext_lazy("camp", "name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OTHER)
    description = models.TextField(_("description (Markdown)"), max_length=limits.TEXT, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    website = models.URLField(_("website"), blank=True)
    markdown_fields = {"description": "description_html"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description).html
        super().save(*args, **kwargs)


def parse_breaks(text: str) -> list[tuple]:
    """`2025-01-25~2025-02-05` lines → [(start, end)]; raises ValueError on a bad line."""
    from datetime import date

    breaks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"\s*[~～]\s*", line)
        if len(parts) != 2:
            raise ValueError(line)
        start, end = (date.fromisoformat(part.strip()) for part in parts)
        if end < start:
            raise ValueError(line)
        breaks.append((start, end))
    return sorted(breaks)


def validate_breaks(value):
    try:
        parse_breaks(value)
    except ValueError as error:
        raise ValidationError(
            _("“%(line)s” is not a date range like 2025-01-25~2025-02-05."),
            code="invalid",
            params={"line": str(error)},
        ) from error


class Cohort(models.Model):
    """One Code Camp of an edition (large editions run in two batches), or one cohort of a
    programme outside the hackathon (启航计划, GLCC, OSPP)."""

    class Batch(models.TextChoices):
        SINGLE = "single", _("single batch")
        FIRST = "first", _("first batch")
        SECOND = "second", _("second batch")
        EARLY = "early", _("early batch")
        REGULAR = "regular", _("regular batch")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPLICATIONS_OPEN = "open", _("applications open")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    edition = models.ForeignKey(
        "hackathon.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="camp_cohorts",
        help_text=_("The hackathon whose camp this is; empty for a programme of its own."),
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
        help_text=_("For cohorts outside a hackathon: 启航计划, GLCC, OSPP, …"),
    )
    batch = models.CharField(_("batch"), max_length=10, choices=Batch, default=Batch.SINGLE)
    slug = models.SlugField(
        _("address"),
        unique=True,
        validators=[validate_cohort_slug],
        help_text=_("Used in the page address, e.g. 9th or 9th-first."),
    )
    name = models.CharField(pgettext_lazy("camp", "name"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, editable=False
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    period_days = models.PositiveSmallIntegerField(
        _("report period (days)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(92)],
        help_text=_("The default length of a period; staff may change single periods below."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to hand in"),
        default=0,
        validators=[MaxValueValidator(30)],
        help_text=_("A period's report is due this many days after the period ends."),
    )
    breaks = models.TextField(
        _("holiday gaps"),
        max_length=limits.NOTE,
        blank=True,
        validators=[validate_breaks],
        help_text=_(
            "One date range a line, e.g. 2025-01-25~2025-02-05 (Spring Festival): no period "
            "runs through it; the period it interrupts is extended by its length."
        ),
    )
    reports_public = models.BooleanField(
        _("reports are public"),
        default=False,
        help_text=_(
            "As in the public Camp repository: anyone may read submitted reports. Otherwise "
            "only the mentee, the mentors, the TAs and staff."
        ),
    )
    description = models.TextField(_("description (Markdown)"), max_length=limits.TEXT, blank=True)
    description_html = models.TextField(editable=False, blank=True)
    teaching_assistants = models.ManyToManyField(
        "pfcc.Person",
        verbose_name=_("teaching assistants"),
        blank=True,
        related_name="camp_cohorts_assisted",
    )
    created_at = models.DateTimeField(pgettext_lazy("camp", "created"), auto_now_add=True)

    objects = CohortQuerySet.as_manager()
    audit_model = "CohortEvent"
    markdown_fields = {"description": "description_html"}  # common.rerender

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["edition", "batch"], name="camp_cohort_edition_batch"),
            models.CheckConstraint(
                condition=models.Q(edition__isnull=False) | models.Q(programme__isnull=False),
                name="camp_cohort_edition_or_programme",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="camp_cohort_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("camp:cohort", kwargs={"cohort": self.slug})

    @property
    def title(self) -> str:
        if self.name:
            return self.name
        if self.edition_id is None:
            return self.programme.name if self.programme_id else self.slug
        if self.batch == self.Batch.SINGLE:
            return _("Code Camp %(number)s") % {"number": self.edition.number}
        return _("Code Camp %(number)s, %(batch)s") % {
            "number": self.edition.number,
            "batch": self.get_batch_display(),
        }

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        if self.edition_id is None and self.programme_id is None:
            raise ValidationError(
                {"programme": _("A cohort belongs to a hackathon edition or to a programme.")}
            )

    @property
    def star_value(self):
        return self.edition.star_value if self.edition_id else DEFAULT_STAR_VALUE

    @property
    def accepts_applications(self) -> bool:
        return self.state == self.State.APPLICATIONS_OPEN


class ReportPeriod(models.Model):
    """A biweekly reporting window shared by every mentee of a cohort (generated)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("camp", "number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("report period")
        verbose_name_plural = _("report periods")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="camp_period_number"),
        ]

    def __str__(self):
        return _("Period %(number)s (%(start)s ~ %(end)s)") % {
            "number": self.number,
            "start": self.start_date.strftime("%Y.%m.%d"),
            "end": self.end_date.strftime("%Y.%m.%d"),
        }

    @property
    def label(self) -> str:
        return f"{self.start_date:%Y.%m.%d}~{self.end_date:%Y.%m.%d}"

    def contains(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class Project(models.Model):
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="projects"
    )
    number = models.PositiveSmallIntegerField(
        pgettext_lazy("camp", "number"), validators=[MinValueValidator(1)]
    )
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(
        _("introduction (项目介绍, Markdown)"), max_length=limits.TEXT, blank=True
    )
    introduction_html = models.TextField(editable=False, blank=True)
    requirements = models.TextField(
        _("requirements (营员要求, Markdown)"), max_length=limits.TEXT, blank=True
    )
    requirements_html = models.TextField(editable=False, blank=True)
    repository = models.URLField(_("repository"), blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    mentors = models.ManyToManyField(
        "pfcc.Person", verbose_name=_("mentors"), blank=True, related_name="camp_projects_mentored"
    )
    markdown_fields = {"introduction": "introduction_html", "requirements": "requirements_html"}

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="camp_project_number"),
        ]

    def __str__(self):
        # With the cohort: the admin's menus and autocompletes list projects of every cohort,
        # and "项目二: …" twice would be two different projects.
        return f"{self.name} ({self.cohort.slug})"

    def save(self, *args, **kwargs):
        self.introduction_html = render_markdown(self.introduction).html
        self.requirements_html = render_markdown(self.requirements).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("camp:project", kwargs={"cohort": self.cohort.slug, "number": self.number})

    @property
    def name(self) -> str:
        """How pages inside a cohort name the project: 项目二: title / Project 2: title."""
        return f"{self.label}: {self.title}"

    @property
    def label(self) -> str:
        if get_language_from_path_or_current().startswith("zh"):
            return f"项目{chinese_number(self.number)}"
        return _("Project %(number)s") % {"number": self.number}


class Mentorship(models.Model):
    """A mentee locked onto a project (锁定营员), with one or two mentors."""

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("camp", "active")
        COMPLETED = "completed", pgettext_lazy("camp", "completed")
        WITHDRAWN = "withdrawn", pgettext_lazy("camp", "withdrawn")

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        on_delete=models.CASCADE,
        related_name="mentorships",
        editable=False,
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="mentorships"
    )
    mentee = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("mentee"),
        on_delete=models.PROTECT,
        related_name="camp_mentorships",
    )
    mentors = models.ManyToManyField(
        "pfcc.Person", verbose_name=_("mentors"), related_name="camp_mentees"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.ACTIVE, editable=False
    )
    locked_at = models.DateTimeField(
        _("joined"), default=timezone.now, help_text=_("No report is due for periods before.")
    )
    ended_at = models.DateTimeField(
        _("left"),
        null=True,
        blank=True,
        help_text=_("Set when the mentee withdraws: no report is due for periods after."),
    )

    audit_model = "MentorshipEvent"

    class Meta:
        ordering = ["project__number", "mentee__github"]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "mentee"], name="camp_one_mentorship"),
        ]

    def __str__(self):
        return f"{self.mentee} → {self.project}"

    def save(self, *args, **kwargs):
        if self.project_id:
            self.cohort_id = self.project.cohort_id
        super().save(*args, **kwargs)


class MentorSuggestion(models.Model):
    """Who may have mentored an imported mentee whose folder names no mentor, derived by rule
    from the Camp repository's history. Never a mentor by itself: staff accept one
    (camp.transitions.accept_mentor_suggestion), which makes the person a mentor."""

    class Rule(models.TextChoices):
        # Strongest first: mentors add their review to the mentee's pull request as a commit,
        # which the squash merge keeps as a Co-authored-by trailer.
        CO_AUTHOR = "coauthor", _("co-authored commits in the mentee's folder")
        AUTHOR = "author", _("committed in the mentee's folder")
        PROJECT = "project", _("mentors another mentee of the same project")
        MENTIONED = "mentioned", _("named (@login) in the mentee's reports")

    mentorship = models.ForeignKey(
        Mentorship,
        verbose_name=_("mentorship"),
        on_delete=models.CASCADE,
        related_name="mentor_suggestions",
    )
    # A login, not a person: a guessed login must not become a person page until staff accept it.
    login = models.CharField(
        _("suggested mentor (GitHub login)"),
        max_length=39,
        blank=True,
        validators=[validate_github_login],
        help_text=_(
            "Empty when the history names someone without a login: fill it in, then accept."
        ),
    )
    identity = models.CharField(
        _("as the history names them"),
        max_length=300,
        blank=True,
        help_text=_("Name and address of a co-author whose GitHub login is unknown."),
    )
    rule = models.CharField(_("rule"), max_length=10, choices=Rule)
    weight = models.PositiveIntegerField(
        _("weight"), default=1, help_text=_("How many commits or mentions support it.")
    )
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("What the history shows, as it was written (names and addresses)."),
    )
    created_at = models.DateTimeField(pgettext_lazy("camp", "created"), default=timezone.now)

    class Meta:
        ordering = ["mentorship", "-weight", "login"]
        verbose_name = _("mentor suggestion")
        verbose_name_plural = _("mentor suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "login", "identity"], name="camp_one_suggestion_per_login"
            ),
        ]

    def __str__(self):
        who = f"@{self.login}" if self.login else self.identity
        return f"{self.mentorship.mentee} ← {who} ({self.get_rule_display()})"


def resume_upload_to(instance, filename):
    return f"camp/resumes/{instance.cohort_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.applicant_id}.pdf"


class CampApplication(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        LOCKED = "locked", _("locked (enrolled)")
        REJECTED = "rejected", _("not selected")
        WITHDRAWN = "withdrawn", pgettext_lazy("camp", "withdrawn")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="camp_applications",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="camp_applications",
    )
    first_choice = models.ForeignKey(
        Project,
        verbose_name=_("first choice"),
        on_delete=models.PROTECT,
        related_name="first_choice_applications",
    )
    other_choices = models.ManyToManyField(
        Project,
        verbose_name=_("other choices"),
        blank=True,
        related_name="other_choice_applications",
    )
    accepts_reassignment = models.BooleanField(
        _("accepts reassignment"),
        default=True,
        help_text=_("Unchecked means 不接受调剂: only the chosen projects."),
    )
    statement = models.TextField(_("statement"), max_length=limits.TEXT, blank=True)
    resume = models.FileField(
        _("résumé (PDF)"), storage=private_storage, upload_to=resume_upload_to, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.SUBMITTED, editable=False
    )
    locked_project = models.ForeignKey(
        Project,
        verbose_name=_("locked onto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    audit_model = "ApplicationEvent"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("camp application")
        verbose_name_plural = _("camp applications")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "applicant"], name="camp_one_application"),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.cohort}"


class ReportQuerySet(models.QuerySet):
    def awaiting_review_by(self, person):
        return self.filter(state=Report.State.SUBMITTED, mentorship__mentors=person).order_by(
            "submitted_at", "pk"
        )


class Report(models.Model):
    """A biweekly report (周报) of one mentee for one period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes", _("changes requested")
        REVIEWED = "reviewed", _("reviewed")

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.ForeignKey(
        ReportPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, editable=False
    )
    start_date = models.DateField(_("from"), help_text=_("The first day this report covers."))
    end_date = models.DateField(_("to"), help_text=_("The last day this report covers."))
    work = models.TextField(_("this period's work (本周工作)"), max_length=limits.TEXT, blank=True)
    questions = models.TextField(
        _("questions and answers (问题疑惑与解答)"), max_length=limits.TEXT, blank=True
    )
    next_work = models.TextField(
        _("next period's work (下周工作)"), max_length=limits.TEXT, blank=True
    )
    work_html = models.TextField(editable=False, blank=True)
    questions_html = models.TextField(editable=False, blank=True)
    next_work_html = models.TextField(editable=False, blank=True)
    header_notes = models.TextField(
        _("as the report introduced itself"),
        max_length=limits.TEXT,
        blank=True,
        help_text=_("Kept from imported reports: every line under 姓名 and 实习项目 and above."),
    )
    pr_links = models.JSONField(_("pull requests"), default=list, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("camp", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    source_path = models.CharField(_("imported from"), max_length=500, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()
    audit_model = "ReportEvent"
    markdown_fields = {f: f"{f}_html" for f in ("work", "questions", "next_work")}  # rerender

    class Meta:
        ordering = ["start_date", "mentorship", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # Two reports in one period are both kept (weekly reports in a biweekly camp);
            # two of the very same dates are one report written twice.
            models.UniqueConstraint(
                fields=["mentorship", "start_date", "end_date"], name="camp_one_report_per_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="camp_report_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return _("Report of %(mentee)s, %(period)s") % {
            "mentee": self.mentorship.mentee.github,
            "period": self.label,
        }

    def save(self, *args, **kwargs):
        if self.period_id and (self.start_date is None or self.end_date is None):
            # Without dates of its own, a report covers the period it was written for.
            self.start_date = self.start_date or self.period.start_date
            self.end_date = self.end_date or self.period.end_date
        self.work_html = render_markdown(self.work).html
        self.questions_html = render_markdown(self.questions).html
        self.next_work_html = render_markdown(self.next_work).html
        self.pr_links = pull_request_links(self.work, self.questions, self.next_work)
        if kwargs.get("update_fields") is not None:  # transitions save only what they change
            derived = {"work_html", "questions_html", "next_work_html", "pr_links"}
            kwargs["update_fields"] = set(kwargs["update_fields"]) | derived
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("camp:report", kwargs={"pk": self.pk})

    @property
    def is_locked(self) -> bool:
        return self.state == self.State.REVIEWED

    @property
    def label(self) -> str:
        return f"{self.start_date:%Y.%m.%d}~{self.end_date:%Y.%m.%d}"

    def overlaps(self, period) -> bool:
        return self.start_date <= period.end_date and self.end_date >= period.start_date

    @property
    def is_late(self) -> bool:
        return bool(
            self.submitted_at and timezone.localdate(self.submitted_at) > self.period.due_date
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class ReportAttachment(models.Model):
    """A file of the mentee's folder in the Camp repository that no report links (an image
    pasted but never linked, a PDF next to the reports): carried by the importer and shown
    under the report it most likely belongs to (camp.importer.carry_unlinked says which)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), max_length=500)
    name = models.CharField(_("name"), max_length=300, help_text=_("Its path in the folder."))
    source_path = models.CharField(_("imported from"), max_length=500, unique=True)
    reason = models.CharField(
        _("why under this report"), max_length=300, blank=True, editable=False
    )

    class Meta:
        ordering = ["report", "name"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return Path(self.name).suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp"}


class Review(models.Model):
    """导师点评: locks the report."""

    report = models.OneToOneField(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="review"
    )
    mentor = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="camp_reviews",
        help_text=_("Empty only for imported reviews whose author is unknown."),
    )
    text = models.TextField(_("review"), max_length=limits.TEXT)
    text_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("camp", "created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    markdown_fields = {"text": "text_html"}  # common.rerender

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return _("Review of %(report)s") % {"report": self.report}

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text).html
        super().save(*args, **kwargs)


class ReviewRevision(models.Model):
    """An earlier text of a review, kept when the mentor corrects it."""

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="revisions"
    )
    text = models.TextField(_("review"), max_length=limits.TEXT)
    text_html = models.TextField(editable=False, blank=True)
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    markdown_fields = {"text": "text_html"}

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("earlier review text")
        verbose_name_plural = _("earlier review texts")

    def __str__(self):
        return f"{self.review}: {self.written_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text).html
        super().save(*args, **kwargs)


class ReportComment(models.Model):
    """The conversation under a report: a mentor asking for changes, a mentee replying."""

    class Kind(models.TextChoices):
        CHANGES = "changes", _("changes requested")
        REPLY = "reply", _("reply")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        "pfcc.Person", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.TextField(_("text"), max_length=limits.TEXT)
    text_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("camp", "created"), default=timezone.now)
    markdown_fields = {"text": "text_html"}

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.author}"

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text).html
        super().save(*args, **kwargs)


class ReportEvent(AuditEntry):
    """History of a report: created, edited, submitted, changes requested, reviewed, replied."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "report"

    class Meta(AuditEntry.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    ACTION_LABELS = {
        "create": pgettext_lazy("camp", "created"),
        "edit": _("edited"),
        "submit": _("submitted"),
        "review": _("reviewed"),
        "edit_review": _("review edited"),
        "request_changes": _("changes requested"),
        "reply": _("replied"),
        "withdraw": pgettext_lazy("camp", "withdrawn"),
        "import": _("imported"),
    }

    @property
    def action_label(self):
        return self.ACTION_LABELS.get(self.action, self.action)


class ApplicationEvent(AuditEntry):
    """History of a camp application: submitted, edited, locked, declined, withdrawn."""

    application = models.ForeignKey(
        CampApplication,
        verbose_name=_("camp application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    subject_field = "application"

    class Meta(AuditEntry.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")


class MentorshipEvent(AuditEntry):
    """History of a mentorship: locked, graded, withdrawn, mentors changed."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "mentorship"

    class Meta(AuditEntry.Meta):
        verbose_name = _("mentorship event")
        verbose_name_plural = _("mentorship events")


class CohortEvent(AuditEntry):
    """History of a cohort's state: opened for applications, started, finished."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="events"
    )
    subject_field = "cohort"

    class Meta(AuditEntry.Meta):
        verbose_name = _("cohort event")
        verbose_name_plural = _("cohort events")


class Reminder(models.Model):
    """One reminder sent: never the same kind to the same person for the same period twice."""

    class Kind(models.TextChoices):
        REPORT_DUE = "due", _("report due soon")
        REPORT_OVERDUE = "overdue", _("report overdue")
        REVIEWS_WAITING = "reviews", _("reviews waiting")

    period = models.ForeignKey(
        ReportPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(
        "pfcc.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    sent_at = models.DateTimeField(pgettext_lazy("camp", "sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["period", "person", "kind"], name="camp_reminder_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person} ({self.period})"


class TechTalk(models.Model):
    """技术分享会."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="tech_talks"
    )
    date = models.DateField(_("date"))
    speaker = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="camp_tech_talks",
    )
    speaker_name = models.CharField(
        _("speaker name"), max_length=150, blank=True, help_text=_("When not a person here.")
    )
    title = models.CharField(_("title"), max_length=300)
    materials = models.URLField(_("materials"), blank=True)
    event = models.OneToOneField(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="camp_tech_talk",
        help_text=_(
            "The talk's page with registration, reminders and the recording (技术分享会 are "
            "events of the cohort)."
        ),
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("tech talk")
        verbose_name_plural = _("tech talks")

    def __str__(self):
        return self.title

    @property
    def speaker_display(self) -> str:
        return self.speaker.display_name if self.speaker_id else self.speaker_name


class Grade(models.Model):
    """The defense (答辩) grade of one mentee, and the reward it earns."""

    class Level(models.TextChoices):
        FAIL = "fail", _("fail (不及格)")
        PASS = "pass", _("pass (及格, 3 stars)")
        GOOD = "good", _("good (良好, 4 stars)")
        EXCELLENT = "excellent", _("excellent (优秀, 5 stars)")
        OUTSTANDING = "outstanding", _("outstanding (特别优秀, 6 stars)")

    STARS = {"fail": 0, "pass": 3, "good": 4, "excellent": 5, "outstanding": 6}

    mentorship = models.OneToOneField(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="grade"
    )
    level = models.CharField(_("grade"), max_length=12, choices=Level)
    months = models.PositiveSmallIntegerField(
        _("camp length (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("3 for a regular camp; more for an extended one."),
    )
    defense_date = models.DateField(_("defense date"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=limits.NOTE, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["mentorship"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self):
        return f"{self.mentorship.mentee}: {self.get_level_display()}"

    @property
    def stars(self) -> int:
        return self.STARS.get(self.level, 0)

    @cached_property
    def reward(self) -> Decimal:
        return compute_reward(self.stars, self.mentorship.cohort.star_value, self.months)


def compute_reward(stars: int, star_value, months: int = 3) -> Decimal:
    """stars × star value; an extended camp: floor(r + r × (months − 3) / 3)."""
    base = Decimal(stars) * Decimal(star_value)
    if months <= 3:
        return base
    return Decimal(math.floor(base + base * Decimal(months - 3) / Decimal(3)))
