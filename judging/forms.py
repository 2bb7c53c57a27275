import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common import limits
from common.uploads import CheckedImageField
from common.validators import GITHUB_PROFILE_RE, validate_github_login

from .models import MAX_SCREENSHOTS, MAX_TEAM_MEMBERS, Registration, Screenshot, Submission

LOGIN_SEPARATORS_RE = re.compile(r"[\s,，、;；]+")


class RegistrationForm(forms.Form):
    """No e-mail field: mail about the entry goes to the account's verified address only, so
    the form cannot make the site write to someone else."""

    kind = forms.ChoiceField(
        label=_("I enter"),
        choices=Registration.Kind.choices,
        initial=Registration.Kind.INDIVIDUAL,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("Shown with your entries: your name, or the team's."),
    )
    members = forms.CharField(
        label=_("Team members' GitHub logins"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a team: everyone else in it, separated by commas or spaces."),
    )

    def clean_members(self):
        logins = []
        for word in LOGIN_SEPARATORS_RE.split(self.cleaned_data["members"].strip()):
            if not word:
                continue
            match = GITHUB_PROFILE_RE.fullmatch(word)
            login = match[1] if match else word.lstrip("@")
            validate_github_login(login)
            if login.lower() not in {known.lower() for known in logins}:
                logins.append(login)
        if len(logins) > MAX_TEAM_MEMBERS:
            raise ValidationError(
                _("A team has at most %(count)s members."), params={"count": MAX_TEAM_MEMBERS}
            )
        return logins

    def clean(self):
        data = super().clean()
        if data.get("kind") == Registration.Kind.TEAM and not data.get("members"):
            self.add_error("members", _("Name your team's members by their GitHub logins."))
        if data.get("kind") == Registration.Kind.INDIVIDUAL:
            data["members"] = []
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(CheckedImageField):
    """Several images at once, each checked by common.uploads."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(ScreenshotsField, self).clean(file, initial) for file in files]


class SubmissionForm(forms.ModelForm):
    screenshots = ScreenshotsField(
        label=_("Screenshots"),
        required=False,
        help_text=_("Up to %(count)s images (JPEG, PNG, GIF or WebP, 5 MB each).")
        % {"count": MAX_SCREENSHOTS},
    )
    remove = forms.ModelMultipleChoiceField(
        label=_("Remove these screenshots"),
        queryset=Screenshot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Submission
        fields = ["direction", "title", "summary", "app_url", "repository_url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = contest.directions.all()
        self.fields["direction"].empty_label = None
        self.fields["app_url"].widget.attrs["placeholder"] = "https://aistudio.baidu.com/…"
        self.fields["repository_url"].widget.attrs["placeholder"] = "https://github.com/…"
        existing = (
            self.instance.screenshots.all() if self.instance.pk else Screenshot.objects.none()
        )
        self.fields["remove"].queryset = existing
        if not self.instance.pk:
            del self.fields["remove"]

    def clean(self):
        data = super().clean()
        kept = self.instance.screenshots.count() if self.instance.pk else 0
        kept -= len(data.get("remove") or [])
        if kept + len(data.get("screenshots") or []) > MAX_SCREENSHOTS:
            self.add_error(
                "screenshots",
                _("At most %(count)s screenshots an entry.") % {"count": MAX_SCREENSHOTS},
            )
        return data


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the other judges and staff; entrants do not see it."),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        fields = {}
        for criterion in self.criteria:
            fields[self.field_name(criterion)] = forms.IntegerField(
                label=_("%(name)s (weight %(weight)s, 0–%(max)s)")
                % {"name": criterion.name, "weight": criterion.weight, "max": criterion.max_score},
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.max_score,
            )
        # The criteria first, the comment last.
        self.fields = {**fields, "comment": self.fields["comment"]}

    @staticmethod
    def field_name(criterion) -> str:
        return f"c{criterion.pk}"

    def values(self) -> dict:
        return {
            criterion.pk: self.cleaned_data[self.field_name(criterion)]
            for criterion in self.criteria
        }


class AwardForm(forms.Form):
    submission = forms.IntegerField(widget=forms.HiddenInput)
    prize = forms.ModelChoiceField(label=_("Prize"), queryset=None, empty_label=None)

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prize"].queryset = contest.prizes.all()
