"""Camp projects (of published cohorts) and reports in the site-wide search. A public cohort's
reports are found by anyone (as anyone may read them); a private cohort's are restricted: only
their mentee, the mentee's mentors, the cohort's TAs and staff find them, as only they may open
them (camp.permissions.report_role)."""

import functools

from django.utils.translation import gettext_lazy as _

from pfcc.models import Person
from pfcc.search_registry import (
    PUBLIC,
    SearchDocument,
    SearchProvider,
    guess_language,
    plain_text,
    search_providers,
)

from .models import Cohort, Mentorship, Project, Report
from .permissions import is_staff

DRAFT = "draft"  # a draft cohort is not shown; a draft report is its mentee's alone


def project_document(project: Project) -> SearchDocument | None:
    if project.cohort.state == DRAFT:
        return None
    body = plain_text(f"{project.introduction_html} {project.requirements_html}")
    return SearchDocument(
        title=f"{project.title} · {project.cohort.slug}",
        body=body,
        url=project.get_absolute_url(),
        language=guess_language(project.title + body),
    )


def _is_public(report: Report) -> bool:
    cohort = report.mentorship.cohort
    return cohort.reports_public and cohort.state != DRAFT


def report_readers(report: Report) -> tuple[str, ...]:
    """Who may find a private cohort's report, as camp.permissions.report_role lets them open
    it: the mentee and the mentors of its mentorship, the TAs of its cohort (staff find all)."""
    mentorship = report.mentorship
    return (f"mentorship:{mentorship.pk}", f"cohort:{mentorship.cohort_id}")


def report_document(report: Report) -> SearchDocument | None:
    if report.state == DRAFT:
        return None
    mentorship = report.mentorship
    body = plain_text(f"{report.work_html} {report.questions_html} {report.next_work_html}")
    public = _is_public(report)
    return SearchDocument(
        title=f"@{mentorship.mentee.github} · {mentorship.project.title} · {report.period.label}",
        body=body,
        url=report.get_absolute_url(),
        language=guess_language(body),
        permission=PUBLIC if public else "report",
        public=public,
        readers=() if public else report_readers(report),
        updated=report.updated_at,
    )


@functools.cache
def _reader_tokens_sql() -> str:
    """The viewer's tokens, one column `token`, for a user id given three times. Written out
    rather than built with the ORM each time: compiling the union cost more CPU (0.6-0.8 ms) than
    the search's own query."""
    mentors = Mentorship.mentors.through
    tas = Cohort.teaching_assistants.through
    person = Person._meta.db_table
    return (
        f"SELECT 'mentorship:' || m.id AS token FROM {Mentorship._meta.db_table} m "  # noqa: S608 - table names from the models
        f"JOIN {person} p ON p.id = m.mentee_id WHERE p.user_id = %s "
        f"UNION ALL SELECT 'mentorship:' || t.mentorship_id FROM {mentors._meta.db_table} t "
        f"JOIN {person} p ON p.id = t.person_id WHERE p.user_id = %s "
        f"UNION ALL SELECT 'cohort:' || t.cohort_id FROM {tas._meta.db_table} t "
        f"JOIN {person} p ON p.id = t.person_id WHERE p.user_id = %s"
    )


def report_reader_tokens(user):
    """The tokens of `user` among the reports' readers, as (SQL, params) of a query of one
    column, `token` (the search embeds it in its own query): "mentorship:<id>" for the
    mentorships they are the mentee or a mentor of, "cohort:<id>" for the cohorts they are a TA
    of. None for staff (every report); [] for a visitor."""
    if is_staff(user):
        return None
    if user is None or not user.is_authenticated:
        return []
    return _reader_tokens_sql(), [user.pk] * 3


def _reports_of_mentorship(mentorship):
    return Report.objects.filter(mentorship=mentorship).select_related(
        "mentorship__mentee", "mentorship__project", "mentorship__cohort", "period"
    )


project_provider = SearchProvider(
    kind="project",
    label=_("Camp projects"),
    model=Project,
    queryset=lambda: Project.objects.select_related("cohort"),
    document=project_document,
    order=30,
    depends_on={Cohort: lambda cohort: cohort.projects.select_related("cohort")},
)

report_provider = SearchProvider(
    kind="report",
    label=_("Camp reports"),
    model=Report,
    queryset=lambda: Report.objects.select_related(
        "mentorship__mentee", "mentorship__project", "mentorship__cohort", "period"
    ),
    document=report_document,
    order=40,
    # Making a cohort's reports public (or private again) changes who finds them; a
    # mentorship's cohort, its readers' token (its mentee and mentors need none: they are
    # looked up with the viewer's tokens).
    depends_on={
        Cohort: lambda cohort: Report.objects.filter(mentorship__cohort=cohort).select_related(
            "mentorship__mentee", "mentorship__project", "mentorship__cohort", "period"
        ),
        Mentorship: _reports_of_mentorship,
    },
    reader_tokens=report_reader_tokens,
)
search_providers.register(project_provider)
search_providers.register(report_provider)
