from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import sources
from .drafting import DEFAULT_RISK_THRESHOLD

MAX_DAYS = 366 * 2  # a report covers at most two years


class DraftForm(forms.Form):
    """Scope and date range of a progress report."""

    scope = forms.ChoiceField(label=_("Edition, task set or cohort"))
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    risk_threshold = forms.IntegerField(
        label=_("Risk threshold (%)"),
        min_value=0,
        max_value=100,
        initial=DEFAULT_RISK_THRESHOLD,
        help_text=_(
            "Directions submitting less than this share of their tasks are named as risks."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = sources.scope_choices()
        today = timezone.localdate()
        self.fields["end"].initial = today
        self.fields["start"].initial = today - timedelta(days=27)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif end > timezone.localdate():
                self.add_error("end", _("The end date is in the future: nothing happened yet."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("A report covers at most two years."))
        if data.get("scope"):
            data["resolved_scope"] = sources.resolve_scope(data["scope"])
            if data["resolved_scope"] is None:
                self.add_error(
                    "scope", _("This edition, task set or cohort does not exist any more.")
                )
        return data
