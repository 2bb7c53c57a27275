"""The registrations CSV: one row a registration, one column a question (by its text, so that a
file of several events lines their questions up). Written through common.csvsafe."""

from django.utils import timezone
from django.utils.translation import gettext as _

from common.csvsafe import csv_response


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def registrations_csv(registrations, filename: str):
    """`registrations` with their event, account and answers loaded (queries.export_registrations)."""
    labels: dict[str, None] = {}
    for registration in registrations:
        for answer in registration.answers.all():
            labels.setdefault(answer.question_label)
    header = [
        _("Event"),
        _("Starts"),
        _("Name"),
        _("E-mail"),
        _("Account"),
        _("State"),
        _("Registered at"),
        _("Checked in at"),
        *labels,
    ]
    rows = []
    for registration in registrations:
        answers = {answer.question_label: answer.value for answer in registration.answers.all()}
        rows.append(
            [
                registration.event.title,
                _time(registration.event.starts_at),
                registration.name,
                registration.email,
                registration.user.get_username(),
                registration.get_state_display(),
                _time(registration.created_at),
                _time(registration.checked_in_at),
                *(answers.get(label, "") for label in labels),
            ]
        )
    return csv_response(filename, header, rows)
