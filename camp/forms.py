from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from common import limits
from common.uploads import validate_pdf_upload

from .models import meaningful_review_text

MAX_RESUME_BYTES = 5 * 1024 * 1024


class ReportForm(forms.Form):
    start_date = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The days this report covers; it counts for every period they overlap."),
    )
    end_date = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    work = forms.CharField(
        label=_("This period's work (本周工作)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown. Link your pull requests: they are recognised and listed."),
    )
    questions = forms.CharField(
        label=_("Questions and answers (问题疑惑与解答)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_work = forms.CharField(
        label=_("Next period's work (下周工作)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        elif start and end and (end - start).days > 92:
            self.add_error("end_date", _("A report covers at most three months."))
        return cleaned


class ReviewForm(forms.Form):
    text = forms.CharField(
        label=_("Your review (导师点评)"),
        required=False,
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Submitting the review locks the report."),
    )

    def clean_text(self):
        text = meaningful_review_text(self.cleaned_data.get("text"))
        if not text:
            raise ValidationError(
                _(
                    "Write a real review: “请联系导师填写”, “none” or an empty text does not "
                    "count as a review."
                ),
                code="placeholder",
            )
        return text


class CommentForm(forms.Form):
    """A request for changes (by a mentor) or a reply (by the mentee)."""

    text = forms.CharField(
        label=_("Message"),
        max_length=limits.TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown."),
    )


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project):
        return project.name


class CheckedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Primary keys out of the database's integer range are refused as invalid choices:
    Django's `pk__in` lookup would send them to the database (an error there, a 500 here)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except (TypeError, ValueError):
                number = 0
            if not 0 < number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ProjectMultipleChoiceField(CheckedMultipleChoiceField):
    def label_from_instance(self, project):
        return project.name


class ApplicationForm(forms.Form):
    first_choice = ProjectChoiceField(label=_("First choice"), queryset=None)
    other_choices = ProjectMultipleChoiceField(
        label=_("Other choices"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_reassignment = forms.BooleanField(
        label=_("Do not reassign me to another project (不接受调剂)"), required=False
    )
    statement = forms.CharField(
        label=_("Why this project, and what you have done so far"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    resume = forms.FileField(
        label=_("Résumé (PDF)"),
        help_text=_("A PDF file of at most 5 MB."),
    )

    def __init__(self, *args, cohort, resume_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not resume_required:
            self.fields["resume"].required = False
            self.fields["resume"].help_text = _(
                "A PDF file of at most 5 MB; leave empty to keep the one you sent."
            )
        projects = cohort.projects.order_by("number")
        self.fields["first_choice"].queryset = projects
        self.fields["other_choices"].queryset = projects

    def clean_resume(self):
        resume = self.cleaned_data["resume"]
        if not resume:
            return None
        if resume.size > MAX_RESUME_BYTES:
            raise ValidationError(
                _("The résumé is %(size)s; the limit is 5 MB."),
                code="too_large",
                params={"size": filesizeformat(resume.size)},
            )
        if not resume.name.lower().endswith(".pdf"):
            raise ValidationError(_("The résumé must be a PDF file."), code="not_pdf")
        # By content: a whole PDF without scripts, actions, embedded files or HTML.
        validate_pdf_upload(resume, max_bytes=MAX_RESUME_BYTES)
        return resume

    def clean(self):
        cleaned = super().clean()
        first, others = cleaned.get("first_choice"), cleaned.get("other_choices")
        if first is not None and others and first in others:
            cleaned["other_choices"] = [project for project in others if project != first]
        return cleaned

    def application_fields(self) -> dict:
        """The cleaned answers as camp.transitions.apply and edit_application take them."""
        data = self.cleaned_data
        return {
            "first_choice": data["first_choice"],
            "other_choices": data["other_choices"],
            "accepts_reassignment": not data["no_reassignment"],
            "statement": data["statement"],
            "resume": data["resume"],
        }


class LockForm(forms.Form):
    """锁定营员: the project and one or two mentors."""

    project = ProjectChoiceField(label=_("Project"), queryset=None)
    mentors = CheckedMultipleChoiceField(label=_("Mentors"), queryset=None)

    def __init__(self, *args, cohort, **kwargs):
        from pfcc.models import Person

        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = cohort.projects.all()
        self.fields["mentors"].queryset = Person.objects.all()

    def clean_mentors(self):
        mentors = list(self.cleaned_data["mentors"])
        if not 1 <= len(mentors) <= 2:
            raise ValidationError(_("A mentee has one or two mentors."), code="mentor_count")
        return mentors
