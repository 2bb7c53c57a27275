"""Camp projects (of published cohorts) and reports in the site-wide search. A public cohort's
reports are found by anyone (as anyone may read them); a private cohort's are restricted: only
their mentee, the mentee's mentors, the cohort's TAs and staff find them, as only they may open
them (camp.permissions.report_role)."""

from django.utils.translation import gettext_lazy as _

from pfcc.search_registry import (
    PUBLIC,
    SearchDocument,
    SearchProvider,
    guess_language,
    plain_text,
    search_providers,
)

from .models import Cohort, Project, Report
from .permissions import is_staff, person_of

DRAFT = "draft"  # a draft cohort is not shown; a draft report is its mentee's alone


def _workflow_state(obj) -> str:
    # The camp's workflows are moving from `status` to `state` (issue 12): read either.
    return getattr(obj, "state", None) or obj.status


def project_document(project: Project) -> SearchDocument | None:
    if _workflow_state(project.cohort) == DRAFT:
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
    return cohort.reports_public and _workflow_state(cohort) != DRAFT


def report_document(report: Report) -> SearchDocument | None:
    if _workflow_state(report) == DRAFT:
        return None
    mentorship = report.mentorship
    body = plain_text(f"{report.work_html} {report.questions_html} {report.next_work_html}")
    return SearchDocument(
        title=f"@{mentorship.mentee.github} · {mentorship.project.title} · {report.period.label}",
        body=body,
        url=report.get_absolute_url(),
        language=guess_language(body),
        permission=PUBLIC if _is_public(report) else "report",
        public=_is_public(report),
        updated=report.updated_at,
    )


def reports_visible_to(user):
    """The reports `user` may open, as a queryset of primary keys (None: every report, an
    empty tuple: none)."""
    if is_staff(user):
        return None
    person = person_of(user)
    if person is None:
        return ()
    # A union rather than OR-ed joins: each part uses its own index.
    reports = Report.objects.order_by().values("pk")
    return (
        reports.filter(mentorship__mentee=person)
        .union(
            reports.filter(mentorship__mentors=person),
            reports.filter(mentorship__cohort__teaching_assistants=person),
        )
        .order_by()
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
    # Making a cohort's reports public (or private again) changes who finds them.
    depends_on={
        Cohort: lambda cohort: Report.objects.filter(mentorship__cohort=cohort).select_related(
            "mentorship__mentee", "mentorship__project", "mentorship__cohort", "period"
        )
    },
    visible_ids=reports_visible_to,
)
search_providers.register(project_provider)
search_providers.register(report_provider)
