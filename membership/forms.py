from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.validators import (
    GITHUB_PROFILE_RE,
    canonical_pull_request_url,
    validate_github_login,
)
from pfcc.models import Person

MAX_CONTRIBUTIONS = 30


class PullRequestListField(forms.CharField):
    """One GitHub pull-request URL a line; cleans to a list without duplicates."""

    widget = forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value):
        pass

    def clean(self, value):
        lines = self.to_python(value)
        self.validate(lines)
        if len(lines) > MAX_CONTRIBUTIONS:
            raise ValidationError(
                _("List at most %(max)d pull requests."),
                code="too_many",
                params={"max": MAX_CONTRIBUTIONS},
            )
        urls, errors = [], []
        for line in lines:
            try:
                urls.append(canonical_pull_request_url(line))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(urls))


class GitHubLoginField(forms.CharField):
    """A GitHub login; "@login" and "https://github.com/login" are accepted and reduced."""

    def to_python(self, value):
        value = super().to_python(value)
        match = GITHUB_PROFILE_RE.fullmatch(value)
        if match:
            value = match[1]
        return value.removeprefix("@")


class ApplicationForm(forms.Form):
    github = GitHubLoginField(
        label=_("GitHub login"),
        max_length=100,  # a pasted profile link is reduced; the login rule checks 1–39
        validators=[validate_github_login],
        help_text=_("Your GitHub user name, as in https://github.com/<login>."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    name = forms.CharField(
        label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    other_contact = forms.CharField(
        label=_("Other contact"),
        max_length=200,
        required=False,
        help_text=_("Optional: WeChat, QQ or another way to reach you."),
    )
    contributions = PullRequestListField(
        label=_("Contributions"),
        help_text=_(
            "Your pull requests, one URL a line, e.g. "
            "https://github.com/PaddlePaddle/Paddle/pull/12345."
        ),
    )
    statement = forms.CharField(
        label=_("Statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "A few words about you and why you would like to join (2,000 characters at most)."
        ),
    )

    def __init__(self, *args, user=None, linked_login: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.linked_login = linked_login
        if linked_login:
            # The login comes from the linked GitHub account; nothing to enter or check.
            del self.fields["github"]

    def clean_github(self):
        """A typed login is never matched into an existing person: one the site knows (an
        account's, or from the community's files) is claimed by signing in with GitHub."""
        login = self.cleaned_data["github"]
        known = Person.objects.by_login(login)
        if self.user is not None:
            # The applicant's own typed login, from an earlier application, stays theirs.
            known = known.exclude(user=self.user).exclude(
                membership_applications__applicant=self.user
            )
        if known.exists():
            raise ValidationError(
                _("@%(login)s is already known here: sign in with that GitHub account to use it."),
                code="github_taken",
                params={"login": login},
            )
        return login


class PublicProfileForm(forms.Form):
    public_profile = forms.BooleanField(label=_("List me in the member directory"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The applicant reads this reason in the e-mail and on the status page."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("A rejection needs a reason."), code="required")
        return reason


class WorkflowForm(forms.Form):
    """Staff change one application's state from its admin page."""

    transition = forms.ChoiceField(label=_("Change"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note or reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the applicant with the e-mail. Required when rejecting."),
    )

    def __init__(self, *args, transitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = list(transitions)

    def clean(self):
        data = super().clean()
        data["note"] = (data.get("note") or "").strip()
        if data.get("transition") == "reject" and not data["note"]:
            self.add_error("note", _("A rejection needs a reason."))
        return data
