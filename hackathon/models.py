from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EditionQuerySet(models.QuerySet):
    def visible(self):
        return self.exclude(status=Edition.Status.DRAFT)

    def current(self):
        """The edition people are working on now: the newest one that is not a draft."""
        return self.visible().order_by("-number").first()


class Edition(models.Model):
    """One hackathon, numbered as the community does (5 for 第五期)."""

    class Status(models.TextChoices):
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
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPCOMING
    )
    objection_deadline = models.DateTimeField(_("objection deadline"), null=True, blank=True)
    objection_reply_date = models.DateField(_("objection reply date"), null=True, blank=True)
    star_value = models.DecimalField(
        _("value of one star (¥)"), max_digits=10, decimal_places=2, default=Decimal("2000")
    )
    reward_cap = models.DecimalField(
        _("reward cap per person (¥)"), max_digits=10, decimal_places=2, default=Decimal("30000")
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self):
        return self.name or _("Hackathon %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("hackathon:index")
