"""Every state change of the camp, one function each, on top of common.transitions.

    cohort:       draft ⇄ applications open ⇄ running ⇄ finished          (staff)
    application:  submitted ──> locked (锁定营员: a mentorship is created)   (staff)
                  submitted ──> rejected                                   (staff)
                  submitted ──> withdrawn                                  (the applicant, or staff)
                  submitted ──> submitted  edit (choices, statement, résumé) by the applicant
    mentorship:   active ──> completed  record_grade after the defense (答辩)  (staff)
                  active ──> withdrawn                                     (staff)
    report:       draft ──> submitted ──> reviewed                (mentee; one of the mentors)
                  submitted ──> changes requested ──> submitted   (a mentor asks; the mentee revises)
                  submitted ──> draft  withdraw_report: the mentee takes it back before review
                  reviewed ──> reviewed  edit_review: the mentor corrects it, the old text is kept
                  any but draft: reply (the mentee answers under the review or the request)

Every function takes the subject first and the actor (a User or common.transitions.Actor)
second; a refusal raises TransitionError (NotAllowed for the wrong person).
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import limits
from common.site import absolute_url
from common.transitions import Actor, NotAllowed, TransitionError, as_actor, record, transition
from pfcc.mail import queue_mail
from pfcc.models import Person

from .models import (
    CampApplication,
    Cohort,
    Grade,
    Mentorship,
    MentorSuggestion,
    Report,
    ReportComment,
    Review,
    ReviewRevision,
    meaningful_review_text,
)
from .periods import best_period
from .permissions import person_of

__all__ = ["NotAllowed", "TransitionError"]

ReportState = Report.State
ApplicationState = CampApplication.State
MentorshipState = Mentorship.State

EDITABLE_REPORT_STATES = (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.CHANGES_REQUESTED)
PLACEHOLDER_REVIEW = _(
    "Write a real review: “请联系导师填写”, “none” or an empty text does not count as a review."
)


def _email_of(person) -> str:
    user = person.user if person is not None and person.user_id else None
    return user.email if user is not None and user.email else ""


def _person(actor: Actor):
    return person_of(actor.user) if actor.user is not None else None


def _text(value, limit=limits.TEXT) -> str:
    value = (value or "").replace("\x00", "")
    if len(value) > limit:
        raise TransitionError(
            _("This text has %(length)s characters; at most %(limit)s are accepted.")
            % {"length": len(value), "limit": limit},
            code="too_long",
        )
    return value


# --- Cohorts ---------------------------------------------------------------------------------


def set_cohort_state(cohort, actor, to, note=""):
    """Staff open a cohort for applications, start it, finish it (or take a step back)."""
    if to not in Cohort.State.values:
        raise TransitionError(_("Unknown state."))
    return transition(
        cohort,
        actor,
        to=to,
        may=lambda actor, locked: actor.is_privileged,
        check=lambda locked: _same_state(locked, to),
        action="state",
        note=note,
    )


def _same_state(locked, to):
    if locked.state == to:
        raise TransitionError(_("It is already in that state."), code="same")


# --- Applications ----------------------------------------------------------------------------


def _application_context(application):
    return {
        "application": application,
        "cohort": application.cohort,
        "first_choice": application.first_choice,
        "other_choices": list(application.other_choices.order_by("number")),
        "status_url": absolute_url(reverse("camp:my_camp")),
    }


def _applicant_email(application) -> str:
    return _email_of(application.applicant) or (
        application.user.email if application.user_id and application.user.email else ""
    )


def _tell_applicant(template):
    def notify(application, entry):
        queue_mail(
            _applicant_email(application),
            f"camp/email/{template}",
            {**_application_context(application), "note": entry.note},
        )

    return notify


def _clean_choices(cohort, first_choice, other_choices):
    if first_choice.cohort_id != cohort.pk or any(p.cohort_id != cohort.pk for p in other_choices):
        raise TransitionError(_("The project belongs to another cohort."))
    return [project for project in other_choices if project.pk != first_choice.pk]


def apply(
    cohort, actor, *, first_choice, other_choices, accepts_reassignment, statement, resume
) -> CampApplication:
    actor = as_actor(actor)
    person = _person(actor)
    if person is None:
        raise TransitionError(_("Link your GitHub account to your profile before applying."))
    if not cohort.accepts_applications:
        raise TransitionError(_("This cohort does not accept applications now."))
    statement = _text(statement)
    other_choices = _clean_choices(cohort, first_choice, list(other_choices))
    if CampApplication.objects.filter(cohort=cohort, applicant=person).exists():
        raise TransitionError(_("You have already applied to this cohort."), code="already")
    application = CampApplication(
        cohort=cohort,
        applicant=person,
        user=actor.user,
        first_choice=first_choice,
        accepts_reassignment=accepts_reassignment,
        statement=statement,
    )
    if resume:
        application.resume.save("resume.pdf", resume, save=False)
    try:
        with transaction.atomic():
            application.save()
            application.other_choices.set(other_choices)
            record(application, actor, "submit")
            queue_mail(
                actor.user.email,
                "camp/email/application_received",
                _application_context(application),
            )
    except IntegrityError as error:
        # A double click or a second tab: the other request made the application.
        if application.resume:
            application.resume.delete(save=False)
        raise TransitionError(
            _("You have already applied to this cohort."), code="already"
        ) from error
    return application


def edit_application(
    application, actor, *, first_choice, other_choices, accepts_reassignment, statement, resume=None
):
    """The applicant changes their choices, statement or résumé while the cohort still takes
    applications and nobody has decided yet."""
    statement = _text(statement)
    other_choices = _clean_choices(application.cohort, first_choice, list(other_choices))
    old_resume = application.resume.name if application.resume else ""
    changes = {
        "first_choice": first_choice,
        "accepts_reassignment": accepts_reassignment,
        "statement": statement,
    }
    if resume:
        application.resume.save("resume.pdf", resume, save=False)
        changes["resume"] = application.resume.name

    def check(locked):
        if not locked.cohort.accepts_applications:
            raise TransitionError(_("This cohort no longer accepts changes to applications."))

    def after(locked, entry):
        locked.other_choices.set(other_choices)
        if resume and old_resume:
            storage = locked.resume.storage
            transaction.on_commit(lambda: storage.delete(old_resume))

    return transition(
        application,
        actor,
        allowed_from=(ApplicationState.SUBMITTED,),
        may=lambda actor, locked: actor.user_id is not None and actor.user_id == locked.user_id,
        check=check,
        action="edit",
        changes=changes,
        after=after,
        notify=_tell_applicant("application_edited"),
        locked_queryset=CampApplication.objects.select_related("cohort"),
    )


def withdraw_application(application, actor, note=""):
    """The applicant (or staff on their behalf) withdraws an application not yet decided."""
    return transition(
        application,
        actor,
        to=ApplicationState.WITHDRAWN,
        allowed_from=(ApplicationState.SUBMITTED,),
        may=lambda actor, locked: (
            actor.is_privileged or (actor.user_id is not None and actor.user_id == locked.user_id)
        ),
        action="withdraw",
        note=_text(note, limits.NOTE),
        notify=_tell_applicant("application_withdrawn"),
    )


def lock_mentee(application, actor, project, mentors) -> Mentorship:
    """锁定营员: staff enrol an applicant on a project with one or two mentors."""
    actor = as_actor(actor)
    mentors = list(mentors)
    if not 1 <= len(mentors) <= 2:
        raise TransitionError(_("A mentee has one or two mentors."))
    created = {}

    def check(locked):
        if project.cohort_id != locked.cohort_id:
            raise TransitionError(_("The project belongs to another cohort."))
        if locked.applicant_id in {mentor.pk for mentor in mentors}:
            raise TransitionError(_("A mentee cannot be their own mentor."))
        if Mentorship.objects.filter(
            cohort_id=locked.cohort_id, mentee_id=locked.applicant_id
        ).exists():
            raise TransitionError(_("This person is already a mentee of the cohort."))

    def after(locked, entry):
        mentorship = Mentorship.objects.create(project=project, mentee=locked.applicant)
        mentorship.mentors.set(mentors)
        project.mentors.add(*mentors)
        record(
            mentorship,
            actor,
            "lock",
            note=", ".join(f"@{mentor.github}" for mentor in mentors),
        )
        created["mentorship"] = mentorship

    def notify(locked, entry):
        queue_mail(
            _applicant_email(locked),
            "camp/email/mentee_locked",
            {"mentorship": created["mentorship"], "project": project, "mentors": mentors},
        )

    transition(
        application,
        actor,
        to=ApplicationState.LOCKED,
        allowed_from=(ApplicationState.SUBMITTED,),
        may=lambda actor, locked: actor.is_privileged,
        denied_message=_("Only staff lock mentees onto projects."),
        check=check,
        action="lock",
        changes={"locked_project": project},
        after=after,
        notify=notify,
        locked_queryset=CampApplication.objects.select_related("applicant__user", "user"),
    )
    return created["mentorship"]


def reject_application(application, actor, note=""):
    return transition(
        application,
        actor,
        to=ApplicationState.REJECTED,
        allowed_from=(ApplicationState.SUBMITTED,),
        may=lambda actor, locked: actor.is_privileged,
        denied_message=_("Only staff decide on applications."),
        action="reject",
        note=_text(note, limits.NOTE),
        notify=_tell_applicant("application_rejected"),
    )


# --- Mentorships -----------------------------------------------------------------------------


def record_created(mentorship, actor):
    """A mentorship staff created directly in the admin (not from an application)."""
    record(mentorship, as_actor(actor), "create")


def withdraw_mentorship(mentorship, actor, note=""):
    """The mentee leaves the camp: no more reports are due from them."""
    return transition(
        mentorship,
        actor,
        to=MentorshipState.WITHDRAWN,
        allowed_from=(MentorshipState.ACTIVE,),
        may=lambda actor, locked: actor.is_privileged,
        action="withdraw",
        note=_text(note, limits.NOTE),
        changes={"ended_at": timezone.now()},
    )


def accept_mentor_suggestion(suggestion: MentorSuggestion, actor):
    """Staff confirm a mentor the import only suggested (from the repository's history): the
    person becomes a mentor of the mentee and of the project, and imported reviews without an
    author are theirs when they are the only mentor (as the importer does with README mentors).
    No e-mail: suggestions are made for imported, past cohorts."""
    actor = as_actor(actor)
    if not actor.is_privileged:
        raise NotAllowed(_("Only staff confirm mentors."))
    if not suggestion.login:
        raise TransitionError(
            _("Fill in the GitHub login of %(who)s before accepting.")
            % {"who": suggestion.identity}
        )
    with transaction.atomic():  # a person made for a refused suggestion is not kept
        person, _created = Person.objects.get_or_create_by_login(suggestion.login)
        return _add_mentor(suggestion, actor, person)


def _add_mentor(suggestion, actor, person):

    def check(locked):
        if locked.mentee_id == person.pk:
            raise TransitionError(_("A mentee cannot be their own mentor."))
        mentor_ids = set(locked.mentors.values_list("pk", flat=True))
        if person.pk in mentor_ids:
            raise TransitionError(_("This person is already a mentor of the mentee."), code="same")
        if len(mentor_ids) >= 2:
            raise TransitionError(_("A mentee has one or two mentors."))

    def after(locked, entry):
        locked.mentors.add(person)
        locked.project.mentors.add(person)
        if locked.mentors.count() == 1:
            Review.objects.filter(report__mentorship=locked, mentor__isnull=True).update(
                mentor=person
            )

    return transition(
        suggestion.mentorship,
        actor,
        to=None,
        allowed_from=tuple(MentorshipState.values),
        may=lambda actor, locked: actor.is_privileged,
        denied_message=_("Only staff confirm mentors."),
        check=check,
        action="accept_mentor",
        note=f"@{person.github}: {suggestion.get_rule_display()}"[: limits.NOTE],
        after=after,
        locked_queryset=Mentorship.objects.select_related("project"),
    )


def record_grade(mentorship, actor, *, level, months=3, defense_date=None, comment="") -> Grade:
    """Staff record (or correct) the defense grade; the mentorship is completed and the reward
    follows from the grade."""
    if level not in Grade.Level.values:
        raise TransitionError(_("Unknown grade."))
    comment = _text(comment, limits.NOTE)
    actor = as_actor(actor)
    saved = {}

    def after(locked, entry):
        saved["grade"], _created = Grade.objects.update_or_create(
            mentorship=locked,
            defaults={
                "level": level,
                "months": months,
                "defense_date": defense_date,
                "comment": comment,
                "recorded_by": actor.user,
                "recorded_at": timezone.now(),
            },
        )

    transition(
        mentorship,
        actor,
        to=MentorshipState.COMPLETED,
        allowed_from=(MentorshipState.ACTIVE, MentorshipState.COMPLETED),
        may=lambda actor, locked: actor.is_privileged,
        denied_message=_("Only staff record grades."),
        action="grade",
        note=f"{level} ({months})",
        changes={"ended_at": mentorship.ended_at or timezone.now()},
        after=after,
    )
    return saved["grade"]


# --- Reports ---------------------------------------------------------------------------------


def _may_write(actor, mentorship):
    person = _person(actor)
    return person is not None and mentorship.mentee_id == person.pk


def _check_writable(mentorship, period=None):
    if mentorship.state == MentorshipState.WITHDRAWN:
        raise TransitionError(_("This mentorship has ended; no more reports."))
    if mentorship.cohort.state == Cohort.State.FINISHED:
        raise TransitionError(_("This cohort has finished; its reports are archived."))
    if period is not None:
        if period.cohort_id != mentorship.cohort_id:
            raise TransitionError(_("This period belongs to another cohort."))
        if period.start_date > timezone.localdate():
            raise TransitionError(_("This period has not started yet."))


def _report_url(report):
    return absolute_url(report.get_absolute_url())


def _tell_mentors(template):
    def notify(report, entry):
        mentorship = report.mentorship
        queue_mail(
            [_email_of(mentor) for mentor in mentorship.mentors.select_related("user")],
            f"camp/email/{template}",
            {
                "report": report,
                "mentee": mentorship.mentee,
                "period": report.period,
                "note": entry.note,
                "url": _report_url(report),
                "queue_url": absolute_url(reverse("camp:reviews")),
            },
        )

    return notify


def _tell_mentee(template, **extra):
    def notify(report, entry):
        queue_mail(
            _email_of(report.mentorship.mentee),
            f"camp/email/{template}",
            {
                "report": report,
                "period": report.period,
                "note": entry.note,
                "url": _report_url(report),
                **extra,
            },
        )

    return notify


def _report_queryset():
    return Report.objects.select_related("mentorship__mentee__user", "mentorship__cohort", "period")


def _report_dates(mentorship, period, dates):
    """The report's own dates (the period's by default) and the period they were written for:
    the one they overlap most."""
    start = dates.get("start_date") or period.start_date
    end = dates.get("end_date") or period.end_date
    if end < start:
        raise TransitionError(_("The end date is before the start date."))
    periods = list(mentorship.cohort.periods.all())
    best = best_period(periods, start, end)
    if best is None:
        raise TransitionError(
            _("These dates fall outside the cohort's periods (%(start)s ~ %(end)s).")
            % {"start": mentorship.cohort.start_date, "end": mentorship.cohort.end_date}
        )
    return {"start_date": start, "end_date": end, "period": best}


def save_report(
    mentorship, period, actor, *, work, questions, next_work, submit=False, report=None, **dates
):
    """Create the mentee's report (dated by `dates`, the period's by default), or edit `report`;
    submit it when asked. Refused once the report is reviewed (locked)."""
    actor = as_actor(actor)
    if not _may_write(actor, mentorship):
        raise NotAllowed(_("Only the mentee writes this report."))
    if period.cohort_id != mentorship.cohort_id:
        raise TransitionError(_("This period belongs to another cohort."))
    values = {"work": _text(work), "questions": _text(questions), "next_work": _text(next_work)}
    if report is None or any(dates.values()):
        values.update(_report_dates(mentorship, period if report is None else report.period, dates))
    if submit and not values["work"].strip():
        raise TransitionError(_("Describe this period's work before submitting."))
    duplicate = TransitionError(
        _("You already have a report for exactly these dates; edit that one."), code="conflict"
    )
    if report is None:
        _check_writable(mentorship, values["period"])
        try:
            with transaction.atomic():
                report = Report.objects.create(mentorship=mentorship, **values)
                record(report, actor, "create")
        except IntegrityError as error:  # the same dates again, or a second tab meanwhile
            raise duplicate from error
        if not submit:
            return report
    if submit:
        values["submitted_at"] = timezone.now()

    submitting = submit and report.state != ReportState.SUBMITTED

    def check(locked):
        _check_writable(locked.mentorship)
        if locked.state == ReportState.REVIEWED:
            raise TransitionError(_("This report has been reviewed and can no longer be changed."))
        if submitting and locked.state == ReportState.SUBMITTED:
            # Another tab submitted it while this request waited for the lock: one submission,
            # one audit entry and one e-mail to the mentors, not one per click.
            raise TransitionError(
                _("This report has just been submitted (from another tab or click)."),
                code="conflict",
            )

    try:
        return transition(
            report,
            actor,
            to=ReportState.SUBMITTED if submit else None,
            allowed_from=EDITABLE_REPORT_STATES,
            may=lambda actor, locked: _may_write(actor, locked.mentorship),
            check=check,
            action="submit" if submitting else "edit",
            changes=values,
            notify=_tell_mentors("report_submitted") if submitting else None,
            locked_queryset=_report_queryset(),
        )
    except IntegrityError as error:
        raise duplicate from error


def submit_report(report, actor):
    """Submit a draft (or a report sent back for changes) as it is."""
    return save_report(
        report.mentorship,
        report.period,
        actor,
        work=report.work,
        questions=report.questions,
        next_work=report.next_work,
        submit=True,
        report=report,
    )


def withdraw_report(report, actor):
    """The mentee takes a submitted report back before it is reviewed: a draft again, out of
    the mentors' queue (and out of public reading), to be edited and submitted anew. The
    mentors are told, so that nobody reviews a text that is about to change."""
    return transition(
        report,
        actor,
        to=ReportState.DRAFT,
        allowed_from=(ReportState.SUBMITTED,),
        may=lambda actor, locked: _may_write(actor, locked.mentorship),
        denied_message=_("Only the mentee withdraws their report."),
        check=lambda locked: _check_writable(locked.mentorship),
        action="withdraw",
        changes={"submitted_at": None},
        notify=_tell_mentors("report_withdrawn"),
        locked_queryset=_report_queryset(),
    )


def _is_mentor(actor, locked):
    person = _person(actor)
    return person is not None and locked.mentorship.mentors.filter(pk=person.pk).exists()


def _review_text(text):
    text = meaningful_review_text(_text(text))
    if not text:
        raise TransitionError(PLACEHOLDER_REVIEW, code="placeholder")
    return text


def review_report(report, actor, text) -> Review:
    """One of the mentee's own mentors reviews a submitted report; the review locks it."""
    actor = as_actor(actor)
    text = _review_text(text)
    saved = {}

    def after(locked, entry):
        saved["review"] = Review.objects.create(report=locked, mentor=_person(actor), text=text)

    transition(
        report,
        actor,
        to=ReportState.REVIEWED,
        allowed_from=(ReportState.SUBMITTED,),
        may=_is_mentor,
        denied_message=_("Only the mentee's own mentors review this report."),
        action="review",
        changes={"reviewed_at": timezone.now()},
        after=after,
        notify=lambda locked, entry: _tell_mentee(
            "report_reviewed", review=saved["review"], mentor=_person(actor)
        )(locked, entry),
        locked_queryset=_report_queryset(),
    )
    return saved["review"]


def edit_review(report, actor, text) -> Review:
    """The mentor corrects their review; the earlier text is kept as a revision."""
    actor = as_actor(actor)
    text = _review_text(text)
    saved = {}

    def check(locked):
        review = Review.objects.select_for_update().filter(report=locked).first()
        if review is None:
            raise TransitionError(_("This report has no review to correct."))
        if review.text == text:
            raise TransitionError(_("The review is unchanged."), code="same")
        saved["review"] = review

    def after(locked, entry):
        review = saved["review"]
        ReviewRevision.objects.create(
            review=review, text=review.text, written_at=review.updated_at or review.created_at
        )
        review.text = text
        review.updated_at = timezone.now()
        if review.mentor_id is None:
            review.mentor = _person(actor)
        review.save()

    transition(
        report,
        actor,
        allowed_from=(ReportState.REVIEWED,),
        may=_is_mentor,
        denied_message=_("Only the mentee's own mentors review this report."),
        check=check,
        action="edit_review",
        after=after,
        notify=_tell_mentee("review_edited", mentor=_person(actor)),
        locked_queryset=_report_queryset(),
    )
    return saved["review"]


def request_changes(report, actor, text) -> ReportComment:
    """A mentor sends a submitted report back: the mentee revises and submits again."""
    actor = as_actor(actor)
    text = _text(text).strip()
    if not text:
        raise TransitionError(_("Say what should change."), code="empty")
    saved = {}

    def after(locked, entry):
        saved["comment"] = ReportComment.objects.create(
            report=locked, author=_person(actor), kind=ReportComment.Kind.CHANGES, text=text
        )

    transition(
        report,
        actor,
        to=ReportState.CHANGES_REQUESTED,
        allowed_from=(ReportState.SUBMITTED,),
        may=_is_mentor,
        denied_message=_("Only the mentee's own mentors review this report."),
        action="request_changes",
        note=text[: limits.NOTE],
        after=after,
        notify=_tell_mentee("changes_requested", mentor=_person(actor)),
        locked_queryset=_report_queryset(),
    )
    return saved["comment"]


def reply(report, actor, text) -> ReportComment:
    """The mentee answers under a review or a request for changes; the mentors are told."""
    actor = as_actor(actor)
    text = _text(text).strip()
    if not text:
        raise TransitionError(_("Write a reply first."), code="empty")
    saved = {}

    def check(locked):
        if not (locked.comments.exists() or hasattr(locked, "review")):
            raise TransitionError(_("There is nothing to reply to yet."))

    def after(locked, entry):
        saved["comment"] = ReportComment.objects.create(
            report=locked, author=_person(actor), kind=ReportComment.Kind.REPLY, text=text
        )

    transition(
        report,
        actor,
        allowed_from=(ReportState.CHANGES_REQUESTED, ReportState.REVIEWED, ReportState.SUBMITTED),
        may=lambda actor, locked: _may_write(actor, locked.mentorship),
        check=check,
        action="reply",
        note=text[: limits.NOTE],
        after=after,
        notify=_tell_mentors("report_reply"),
        locked_queryset=_report_queryset(),
    )
    return saved["comment"]


def record_cohort_created(cohort, actor):
    record(cohort, as_actor(actor), "create")
