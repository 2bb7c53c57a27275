"""A progress report (月报) drafted from live data: what it covered and the numbers it was drafted
with. The text itself is a blog post (draft until staff publish it like any post)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressReportQuerySet(models.QuerySet):
    def previous(self, scope_key: str, before):
        """The latest published report of the same scope that ended before `before`."""
        return (
            self.filter(scope_key=scope_key, end_date__lt=before, post__state="published")
            .order_by("-end_date", "-pk")
            .first()
        )


class ProgressReport(models.Model):
    # What the report covers: "edition:5" or "cohort:9th" (progress/sources.py resolves it).
    scope_key = models.CharField(_("scope"), max_length=80, db_index=True)
    scope_label = models.CharField(_("covers"), max_length=200)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    post = models.OneToOneField(
        "blog.Post",
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        related_name="progress_report",
    )
    # The numbers the draft was written with: the 看板 at the end date in the shape of the
    # hackathon's progress export, the range's changes and the camp's reports.
    numbers = models.JSONField(_("numbers"), default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-end_date", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="progress_report_dates_ordered",
            )
        ]

    def __str__(self):
        return f"{self.scope_label} {self.start_date:%Y.%m.%d}~{self.end_date:%Y.%m.%d}"


def chart_path(instance, filename):
    return f"progress/{instance.report.post.slug}/{filename}"


class ReportChart(models.Model):
    """A chart of the report, drawn by progress/charts.py as SVG and shown in the post. Kept
    apart from the blog's images, which take uploads: the blog refuses uploaded SVG (it could
    carry script); these are written by our code only, with every text escaped."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="charts",
    )
    name = models.SlugField(_("name"), max_length=40)
    file = models.FileField(_("file"), upload_to=chart_path, editable=False)
    alt = models.CharField(_("alternative text"), max_length=300)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("chart")
        verbose_name_plural = _("charts")
        constraints = [
            models.UniqueConstraint(fields=["report", "name"], name="progress_chart_once")
        ]

    def __str__(self):
        return self.alt

    @property
    def markdown(self) -> str:
        return f"![{self.alt}]({self.file.url})"
