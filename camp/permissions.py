"""Who may see and do what in the camp. Every check takes the signed-in user."""

from pfcc.models import Person


def person_of(user) -> Person | None:
    """The person linked to a user, or None (anonymous, or an account without a person)."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def is_ta(user, cohort) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return cohort.teaching_assistants.filter(pk=person.pk).exists()


def can_see_cohort_reports(user, cohort) -> bool:
    """The checklist, period summaries and every report of the cohort: TAs and staff."""
    return is_staff(user) or is_ta(user, cohort)


def report_role(user, report, mentor_ids=None) -> str | None:
    """The viewer's relation to a report: mentee, mentor, ta, staff, reader (anyone, signed in
    or not, reading a public cohort's submitted report) or None (no access).
    `mentor_ids` may be passed when the caller already loaded the mentors."""
    person = person_of(user)
    if person is not None:
        if report.mentorship.mentee_id == person.pk:
            return "mentee"
        if mentor_ids is None:
            mentor_ids = {mentor.pk for mentor in report.mentorship.mentors.all()}
        if person.pk in mentor_ids:
            return "mentor"
    if is_staff(user):
        return "staff"
    if is_ta(user, report.mentorship.cohort):
        return "ta"
    cohort = report.mentorship.cohort
    if cohort.reports_public and cohort.state != "draft" and report.state != "draft":
        return "reader"  # as in the public Camp repository; drafts stay the mentee's
    return None
