"""A mentee's, applicant's or mentor's own camp data: in the account download; résumés and
statements are erased with the account."""

from django.db import transaction

from pfcc.account_data import iso

from .models import CampApplication, Mentorship, Review


def export(user, person):
    if person is None:
        return {"applications": [], "mentorships": [], "reviews_written": []}
    applications = [
        {
            "cohort": application.cohort.slug,
            "first_choice": application.first_choice.number,
            "other_choices": [project.number for project in application.other_choices.all()],
            "accepts_reassignment": application.accepts_reassignment,
            "statement": application.statement,
            "has_resume": bool(application.resume),
            "state": application.state,
            "submitted_at": iso(application.created_at),
        }
        for application in CampApplication.objects.filter(applicant=person)
        .select_related("cohort", "first_choice")
        .prefetch_related("other_choices")
    ]
    mentorships = []
    for mentorship in (
        Mentorship.objects.filter(mentee=person)
        .select_related("cohort", "project")
        .prefetch_related("reports__period", "reports__review")
    ):
        reports = []
        for report in mentorship.reports.all():
            review = getattr(report, "review", None)
            reports.append(
                {
                    "period": report.period.number,
                    "state": report.state,
                    "work": report.work,
                    "questions": report.questions,
                    "next_work": report.next_work,
                    "submitted_at": iso(report.submitted_at),
                    "review": review.text if review and report.is_locked else None,
                }
            )
        mentorships.append(
            {
                "cohort": mentorship.cohort.slug,
                "project": mentorship.project.number,
                "state": mentorship.state,
                "reports": reports,
            }
        )
    reviews = [
        {"report": review.report_id, "text": review.text, "at": iso(review.created_at)}
        for review in Review.objects.filter(mentor=person)
    ]
    return {"applications": applications, "mentorships": mentorships, "reviews_written": reviews}


def erase(user, person) -> set[str]:
    if person is None:
        return set()
    applications = CampApplication.objects.filter(applicant=person)
    for application in applications:
        if application.resume:
            resume = application.resume
            transaction.on_commit(lambda r=resume: r.storage.delete(r.name))
    applications.update(resume="", statement="", user=None)
    return set()
