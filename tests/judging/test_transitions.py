"""Every step of a judged contest through judging.transitions: who may take it, from which
state, what it counts, records and e-mails."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from common.transitions import NotAllowed, TransitionError
from judging import transitions
from judging.models import (
    Award,
    Certificate,
    Contest,
    Judge,
    Like,
    Registration,
    Scorecard,
    Submission,
    SubmissionChange,
)
from pfcc.models import OutgoingEmail
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.security.test_uploads import jpeg_with_gps

from .factories import JudgeFactory, RegistrationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def fresh(obj):
    obj.refresh_from_db()
    return obj


def mails_to(address):
    # JSON containment is PostgreSQL-only; the suite runs on SQLite too.
    return [mail for mail in OutgoingEmail.objects.order_by("pk") if address in mail.to]


# --- Contest --------------------------------------------------------------------------------


def test_contest_moves_draft_open_judging_published_by_staff_only(contest):
    staff, someone = StaffFactory(), UserFactory()
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.DRAFT)
    contest.refresh_from_db()
    with pytest.raises(NotAllowed):
        transitions.open_contest(contest, someone)
    transitions.open_contest(contest, staff)
    assert fresh(contest).state == Contest.State.OPEN
    transitions.start_judging(contest, staff)
    assert fresh(contest).state == Contest.State.JUDGING
    with pytest.raises(TransitionError, match="Award at least one prize"):
        transitions.publish_results(contest, staff)
    with pytest.raises(TransitionError):
        transitions.open_contest(contest, staff)  # no way back
    assert [e.action for e in contest.history.all()] == ["open", "start_judging"]


def test_judging_needs_criteria(contest):
    contest.criteria.all().delete()
    with pytest.raises(TransitionError, match="criteria"):
        transitions.start_judging(contest, StaffFactory())


# --- Registration ---------------------------------------------------------------------------


def test_register_alone_counts_records_and_mails(contest):
    user = UserFactory(name="Alice", email="alice@example.org")
    registration = transitions.register(
        contest, user, kind="individual", name="Alice", language="en"
    )
    contest.refresh_from_db()
    assert (contest.registration_count, contest.participant_count) == (1, 1)
    assert registration.history.get().action == "register"
    [mail] = mails_to("alice@example.org")
    assert "You are registered: 大模型应用与创意赛" in mail.subject
    with pytest.raises(transitions.AlreadyRegistered):
        transitions.register(contest, user, kind="individual", name="A")
    assert fresh(contest).registration_count == 1


def test_register_a_team_counts_every_member_once(contest):
    user = UserFactory()
    own = PersonFactory(github="team-lead", user=user)
    registration = transitions.register(
        contest,
        user,
        kind="team",
        name="文心小队",
        members=["dev-b", "DEV-C", "dev-b", "team-lead"],
    )
    logins = sorted(person.github for person in registration.members.all())
    assert logins == ["DEV-C", "dev-b", "team-lead"] and own in registration.members.all()
    contest.refresh_from_db()
    assert (contest.registration_count, contest.participant_count) == (1, 3)


def test_no_registration_unless_the_contest_is_open(contest):
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    with pytest.raises(transitions.EntriesClosed):
        transitions.register(fresh(contest), UserFactory(), kind="individual", name="x")
    assert not Registration.objects.exists()


def test_withdrawing_a_registration_withdraws_its_entries(contest):
    registration = RegistrationFactory(contest=contest)
    submission = SubmissionFactory(registration=registration)
    with pytest.raises(NotAllowed):
        transitions.withdraw_registration(registration, UserFactory())
    transitions.withdraw_registration(registration, registration.user)
    assert fresh(registration).state == Registration.State.WITHDRAWN
    assert fresh(submission).state == Submission.State.WITHDRAWN
    contest.refresh_from_db()
    assert (contest.registration_count, contest.submission_count) == (0, 0)


# --- Submissions ----------------------------------------------------------------------------


def test_submit_stores_markdown_rendered_and_screenshots_cleaned(contest):
    registration = RegistrationFactory(contest=contest)
    direction = contest.directions.get(slug="productivity")
    submission = transitions.submit(
        registration,
        registration.user,
        direction=direction,
        title="基于文心一言的日报系统",
        app_url="https://aistudio.baidu.com/projectdetail/7277555",
        description="## 功能\n\n**日报**\n\n<script>alert(1)</script>",
        screenshots=[(SimpleUploadedFile("shot.jpg", jpeg_with_gps()), "首页")],
    )
    assert "<strong>日报</strong>" in submission.description_html
    assert "<script" not in submission.description_html
    shot = submission.screenshots.get()
    assert shot.caption == "首页"
    assert b"SpyCam" not in shot.image.read()  # EXIF gone (common.uploads)
    assert fresh(contest).submission_count == 1
    assert submission.history.get().action == "submit"
    assert "Your app is in the gallery" in mails_to(registration.user.email)[-1].subject


def test_only_the_registrant_submits_and_only_while_open(contest):
    registration = RegistrationFactory(contest=contest)
    direction = contest.directions.first()
    with pytest.raises(NotAllowed):
        transitions.submit(
            registration, UserFactory(), direction=direction, title="x", app_url="https://x.org"
        )
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    with pytest.raises(transitions.EntriesClosed):
        transitions.submit(
            registration,
            registration.user,
            direction=direction,
            title="x",
            app_url="https://x.org",
        )
    assert not Submission.objects.exists()


def test_entries_close_at_the_deadline(contest):
    registration = RegistrationFactory(contest=contest)
    Contest.objects.filter(pk=contest.pk).update(submissions_close_at=timezone.now())
    with pytest.raises(transitions.EntriesClosed):
        transitions.submit(
            registration,
            registration.user,
            direction=contest.directions.first(),
            title="late",
            app_url="https://x.org",
        )


def test_too_many_screenshots_save_nothing(contest):
    registration = RegistrationFactory(contest=contest)
    files = [(SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps()), "") for n in range(6)]
    with pytest.raises(TransitionError, match="At most 5"):
        transitions.submit(
            registration,
            registration.user,
            direction=contest.directions.first(),
            title="x",
            app_url="https://x.org",
            screenshots=files,
        )
    assert not Submission.objects.exists() and fresh(contest).submission_count == 0


def test_edit_is_recorded_and_rerenders(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    transitions.edit_submission(
        submission, submission.registration.user, changes={"description": "*新*"}
    )
    assert fresh(submission).description_html.strip() == "<p><em>新</em></p>"
    assert submission.history.get().action == "edit"
    with pytest.raises(NotAllowed):
        transitions.edit_submission(submission, UserFactory(), changes={"title": "stolen"})


def test_disqualify_needs_a_reason_and_mails_it(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    staff = StaffFactory()
    with pytest.raises(TransitionError):
        transitions.disqualify(submission, staff, " ")
    transitions.disqualify(submission, staff, "抄袭")
    assert fresh(submission).state == Submission.State.DISQUALIFIED
    assert "抄袭" in mails_to(submission.registration.user.email)[-1].body
    assert fresh(contest).submission_count == 0
    transitions.reinstate(submission, staff)
    assert fresh(contest).submission_count == 1


# --- Likes and views ------------------------------------------------------------------------


def test_one_like_per_person(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    alice, bob = UserFactory(), UserFactory()
    assert transitions.like(submission, alice) is True
    assert transitions.like(submission, alice) is False
    transitions.like(submission, bob)
    assert fresh(submission).like_count == 2
    assert transitions.unlike(submission, alice) is True
    assert transitions.unlike(submission, alice) is False
    assert fresh(submission).like_count == 1
    assert Like.objects.get().user == bob
    with pytest.raises(NotAllowed):
        transitions.like(submission, None)


def test_saving_stale_copies_keeps_the_counts_and_renders_the_description(contest):
    """The counters belong to the transitions (common.saving): an admin form's copy loaded
    before a like or a registration does not write its numbers back."""
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    stale_entry = Submission.objects.get(pk=submission.pk)
    stale_contest = Contest.objects.get(pk=contest.pk)
    transitions.like(submission, UserFactory())
    transitions.register(contest, UserFactory(), kind=Registration.Kind.INDIVIDUAL, name="Late")
    stale_entry.title = "Renamed"
    stale_entry.description = "**New** text <script>alert(1)</script>"
    stale_entry.save()
    stale_contest.description = "Rules *changed*"
    stale_contest.save(update_fields=["description"])
    entry, saved_contest = fresh(submission), fresh(contest)
    assert (entry.title, entry.like_count) == ("Renamed", 1)
    assert "<strong>New</strong>" in entry.description_html
    assert "<script>" not in entry.description_html
    assert saved_contest.registration_count == stale_contest.registration_count + 1
    assert saved_contest.submission_count == 1
    assert "<em>changed</em>" in saved_contest.description_html


def test_likes_close_with_the_results(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.PUBLISHED)
    with pytest.raises(TransitionError):
        transitions.like(fresh(submission), UserFactory())


def test_views_count_in_their_own_table(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    transitions.count_view(submission)
    transitions.count_view(submission)
    assert fresh(submission).view_count == 2


# --- Judges and scores ----------------------------------------------------------------------


def judging_contest(contest):
    Contest.objects.filter(pk=contest.pk).update(state=Contest.State.JUDGING)
    contest.refresh_from_db()
    return contest


def values(contest, creative, complete):
    first, second = contest.criteria.order_by("order")
    return {first.pk: creative, second.pk: complete}


def test_assign_judge_mails_and_reassigns(contest):
    staff, user = StaffFactory(), UserFactory(email="judge@example.org")
    with pytest.raises(NotAllowed):
        transitions.assign_judge(contest, user, UserFactory())
    judge = transitions.assign_judge(contest, user, staff)
    # Without a registration in another language or staff's choice: the site's language.
    assert "的评委" in mails_to("judge@example.org")[-1].subject
    with pytest.raises(TransitionError):
        transitions.assign_judge(contest, user, staff)
    transitions.remove_judge(judge, staff)
    assert fresh(judge).state == Judge.State.REMOVED
    assert transitions.assign_judge(contest, user, staff).pk == judge.pk
    assert fresh(judge).state == Judge.State.ACTIVE


def test_weighted_score_and_mean_of_judges(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    judging_contest(contest)
    first, second = JudgeFactory(contest=contest), JudgeFactory(contest=contest)
    # 创意 8/10 weighs 3, 完成度 4/5 weighs 1: 80 of 100.
    card = transitions.save_scores(
        first, submission, first.user, values=values(contest, 8, 4), submit_card=True
    )
    assert card.total == Decimal("80.00") and card.state == Scorecard.State.SUBMITTED
    # A draft does not count.
    transitions.save_scores(second, submission, second.user, values=values(contest, 10, 5))
    assert fresh(submission).score == Decimal("80.00")
    transitions.save_scores(
        second, submission, second.user, values=values(contest, 10, 5), submit_card=True
    )
    submission.refresh_from_db()
    assert (submission.score, submission.scorecard_count) == (Decimal("90.00"), 2)
    # A removed judge's scores no longer count.
    transitions.remove_judge(second, StaffFactory())
    assert fresh(submission).score == Decimal("80.00")


def test_scores_out_of_range_or_missing_are_refused(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    judging_contest(contest)
    judge = JudgeFactory(contest=contest)
    with pytest.raises(TransitionError, match="from 0 to 5"):
        transitions.save_scores(judge, submission, judge.user, values=values(contest, 8, 6))
    first = contest.criteria.order_by("order").first()
    with pytest.raises(TransitionError):
        transitions.save_scores(judge, submission, judge.user, values={first.pk: 3})
    assert not Scorecard.objects.exists()


def test_only_the_judge_scores_and_only_while_judging(contest):
    submission = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    judge = JudgeFactory(contest=contest)
    with pytest.raises(TransitionError, match="Judging is not open"):
        transitions.save_scores(judge, submission, judge.user, values=values(contest, 1, 1))
    judging_contest(contest)
    with pytest.raises(NotAllowed):
        transitions.save_scores(judge, submission, UserFactory(), values=values(contest, 1, 1))


def test_a_judge_never_scores_their_own_team_or_a_team_members_entry(contest):
    judge_user = UserFactory()
    judge_person = PersonFactory(github="judge-j", user=judge_user)
    teammate = PersonFactory(github="mate-m", user=UserFactory())
    stranger = RegistrationFactory(contest=contest)
    # The judge registered a team with the teammate ...
    team = RegistrationFactory(contest=contest, user=judge_user, members=[judge_person, teammate])
    # ... who also entered alone,
    solo = RegistrationFactory(contest=contest, user=teammate.user, members=[teammate])
    # and an entry that lists the judge without the judge registering it.
    listing = RegistrationFactory(contest=contest, members=[judge_person])
    entries = {
        name: SubmissionFactory(registration=registration)
        for name, registration in [
            ("stranger", stranger),
            ("team", team),
            ("solo", solo),
            ("listing", listing),
        ]
    }
    judging_contest(contest)
    judge = JudgeFactory(contest=contest, user=judge_user)
    for name in ("team", "solo", "listing"):
        assert transitions.has_conflict(judge, entries[name]), name
        with pytest.raises(transitions.ConflictOfInterest):
            transitions.save_scores(
                judge, entries[name], judge_user, values=values(contest, 5, 5), submit_card=True
            )
    assert not transitions.has_conflict(judge, entries["stranger"])
    transitions.save_scores(
        judge, entries["stranger"], judge_user, values=values(contest, 5, 5), submit_card=True
    )
    assert Scorecard.objects.get().submission == entries["stranger"]


# --- Prizes, publication, certificates ------------------------------------------------------


def test_award_publish_issue_certificates_and_mail_everyone(contest):
    lead = PersonFactory(github="lead-l")
    mate = PersonFactory(github="mate-m")
    winner = SubmissionFactory(
        registration=RegistrationFactory(contest=contest, members=[lead, mate])
    )
    loser = SubmissionFactory(registration=RegistrationFactory(contest=contest))
    staff = StaffFactory()
    first = contest.prizes.get(name="一等奖")
    with pytest.raises(TransitionError, match="while judging"):
        transitions.award(winner, first, staff)
    judging_contest(contest)
    with pytest.raises(NotAllowed):
        transitions.award(winner, first, UserFactory())
    given = transitions.award(winner, first, staff)
    with pytest.raises(TransitionError, match="already"):
        transitions.award(winner, first, staff)
    popularity = transitions.award(loser, contest.prizes.get(name="人气奖"), staff)
    transitions.revoke_award(popularity, staff)
    assert list(Award.objects.all()) == [given]
    assert [e.action for e in SubmissionChange.objects.filter(submission=loser)] == [
        "award",
        "revoke_award",
    ]
    transitions.publish_results(contest, staff)
    contest.refresh_from_db()
    assert contest.state == Contest.State.PUBLISHED and contest.published_at
    certificates = Certificate.objects.filter(award=given).order_by("name")
    assert [c.person.github for c in certificates] == ["lead-l", "mate-m"]
    assert all(c.code.startswith("J") for c in certificates)
    assert "一等奖" in mails_to(winner.registration.user.email)[-1].body
    assert "Thank you for taking part" in mails_to(loser.registration.user.email)[-1].body
    with pytest.raises(TransitionError):
        transitions.revoke_award(given, staff)  # published: prizes stay


def test_an_entry_without_members_gets_one_certificate_in_its_name(contest):
    submission = SubmissionFactory(
        registration=RegistrationFactory(contest=contest, name="独立开发者")
    )
    judging_contest(contest)
    staff = StaffFactory()
    transitions.award(submission, contest.prizes.first(), staff)
    transitions.publish_results(contest, staff)
    assert Certificate.objects.get().name == "独立开发者"
    assert transitions.issue_certificates(contest) == 0  # idempotent
