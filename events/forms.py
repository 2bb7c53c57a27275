from django import forms
from django.utils.translation import gettext_lazy as _

from common import limits

from .models import Event, Question

YES, NO = "yes", "no"
SHORT_ANSWER = 300


class RegistrationForm(forms.Form):
    """Name and one field per question staff set for the event. No e-mail field: the site
    writes only to the account's verified address, never to one typed into a form (else the
    form would mail anyone a text of the attacker's choosing)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("As on your badge at the door."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[self.field_name(question)] = self._field(question)

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def _field(self, question: Question):
        common = {
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
        }
        if question.kind == Question.Kind.PARAGRAPH:
            return forms.CharField(
                max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        if question.kind == Question.Kind.CHOICE:
            choices = [(choice, choice) for choice in question.choice_list]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if question.kind == Question.Kind.YES_NO:
            return forms.ChoiceField(
                choices=[(YES, _("Yes")), (NO, _("No"))], widget=forms.RadioSelect, **common
            )
        return forms.CharField(max_length=SHORT_ANSWER, **common)

    def answers(self) -> list[tuple[Question, str]]:
        """(question, answer) pairs, unanswered optional questions left out."""
        pairs = []
        for question in self.questions:
            value = (self.cleaned_data.get(self.field_name(question)) or "").strip()
            if value:
                pairs.append((question, value))
        return pairs


class EventAdminForm(forms.ModelForm):
    """The admin's event form: the capacity cannot drop below the seats already taken."""

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "kind",
            "summary",
            "description",
            "starts_at",
            "ends_at",
            "format",
            "venue",
            "address",
            "online_url",
            "speakers",
            "registration_enabled",
            "capacity",
            "registration_closes_at",
            "recording_url",
            "slides_url",
        ]

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is None or self.instance._state.adding:
            return capacity
        # Locked until the admin's transaction commits: nobody takes a seat meanwhile.
        taken = (
            Event.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("seats_taken", flat=True)
            .first()
        ) or 0
        if capacity < taken:
            raise forms.ValidationError(
                _(
                    "%(taken)d people hold a seat: the capacity cannot be lower. Cancel "
                    "registrations first."
                ),
                params={"taken": taken},
                code="below_taken",
            )
        return capacity


class CheckInSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)
