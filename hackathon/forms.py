import contextlib
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClaimState, Direction, Track, format_stars
from .task_numbers import parse_task_keys
from .validators import validate_pull_request_url

UNCLAIMED = "unclaimed"


class BoardFilterForm(forms.Form):
    """The board's filters (also applied to its exports). Invalid values are ignored."""

    track = forms.ChoiceField(label=_("Track"), required=False)
    direction = forms.ChoiceField(label=_("Direction"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    difficulty = forms.ChoiceField(label=_("Difficulty"), required=False)

    def __init__(self, edition, data=None, difficulties=()):
        super().__init__(data=data)
        self.edition = edition
        tracks = list(Track.objects.filter(edition=edition))
        directions = list(Direction.objects.filter(track__edition=edition).select_related("track"))
        everything = [("", _("All"))]
        self.fields["track"].choices = everything + [(t.slug, t.name) for t in tracks]
        self.fields["direction"].choices = everything + [(str(d.pk), str(d)) for d in directions]
        self.fields["state"].choices = (
            everything
            + [(UNCLAIMED, _("Unclaimed"))]
            + [(str(state.value), state.label) for state in ClaimState]
        )
        self.fields["difficulty"].choices = everything + [
            (format_stars(value), format_stars(value)) for value in difficulties
        ]

    def apply(self, tasks):
        if not self.is_valid():
            return tasks
        data = self.cleaned_data
        if data.get("track"):
            tasks = tasks.filter(direction__track__slug=data["track"])
        if data.get("direction"):
            tasks = tasks.filter(direction_id=int(data["direction"]))
        state = data.get("state")
        if state == UNCLAIMED:
            tasks = tasks.filter(top_state__isnull=True)
        elif state:
            tasks = tasks.filter(top_state=int(state))
        if data.get("difficulty"):
            with contextlib.suppress(InvalidOperation):
                tasks = tasks.filter(difficulty=Decimal(data["difficulty"]))
        return tasks

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class ClaimForm(forms.Form):
    numbers = forms.CharField(
        label=_("Task numbers"),
        max_length=500,
        help_text=_("One number, or a list: 2、3 or 2,3 or 2-5."),
        widget=forms.TextInput(attrs={"placeholder": "2、3", "autocomplete": "off"}),
    )
    team_name = forms.CharField(label=_("Team name (optional)"), max_length=100, required=False)

    def __init__(self, *args, needs_login=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_login:
            self.fields["github_login"] = forms.CharField(
                label=_("Your GitHub login"),
                max_length=39,
                help_text=_("Your account has no GitHub login yet."),
            )

    def clean_numbers(self):
        """A list with a typo claims nothing: every token must name a task (2, 2-5, C-115, 1.3)."""
        text = self.cleaned_data["numbers"]
        _keys, errors = parse_task_keys(text)
        if errors:
            raise forms.ValidationError([reason for _token, reason in errors])
        return text


class AdvanceClaimForm(forms.Form):
    state = forms.TypedChoiceField(label=_("New state"), coerce=int)
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(state.value, state.label) for state in states]


class PullRequestForm(forms.Form):
    url = forms.URLField(
        label=_("Pull request"),
        max_length=300,
        assume_scheme="https",
        validators=[validate_pull_request_url],
        widget=forms.URLInput(
            attrs={"placeholder": "https://github.com/PaddlePaddle/Paddle/pull/1"}
        ),
    )


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Which result is wrong, and why; link the pull requests."),
    )
