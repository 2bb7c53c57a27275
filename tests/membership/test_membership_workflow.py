"""The membership workflow (membership.transitions): every transition from every state, who may make it,
the history it records and the e-mail it sends, in both languages, even when mail fails."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction

from membership import transitions as services
from membership.models import Membership, MembershipApplication
from pfcc.mail import retry_pending
from pfcc.models import OutgoingEmail
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.membership.factories import MembershipApplicationFactory

pytestmark = pytest.mark.django_db
State = MembershipApplication.State


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


BROKEN = {"default": {"BACKEND": "tests.membership.test_membership_workflow.BrokenMailServer"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# transition → (the states it may start from, the state it leads to, whether staff make it)
TRANSITIONS = {
    "start_review": ({State.SUBMITTED}, State.UNDER_REVIEW, True),
    "accept": ({State.SUBMITTED, State.UNDER_REVIEW}, State.ACCEPTED, True),
    "reject": ({State.SUBMITTED, State.UNDER_REVIEW}, State.REJECTED, True),
    "mark_invited": ({State.ACCEPTED}, State.INVITED, True),
    "withdraw": ({State.SUBMITTED, State.UNDER_REVIEW, State.ACCEPTED}, State.WITHDRAWN, False),
}
CASES = [(name, state) for name in TRANSITIONS for state in State]


def run(name, application, actor):
    if name == "reject":
        return services.reject(application, actor, reason="Not enough merged pull requests yet.")
    return getattr(services, name)(application, actor)


def allowed_actor(name, application):
    return StaffFactory() if TRANSITIONS[name][2] else application.applicant


@pytest.mark.parametrize(("name", "state"), CASES, ids=[f"{n}-from-{s}" for n, s in CASES])
def test_every_transition_from_every_state(name, state, django_capture_on_commit_callbacks):
    allowed_from, target, _staff = TRANSITIONS[name]
    application = MembershipApplicationFactory(state=state)
    actor = allowed_actor(name, application)
    with django_capture_on_commit_callbacks(execute=True):
        if state in allowed_from:
            run(name, application, actor)
        else:
            with pytest.raises(services.TransitionError):
                run(name, application, actor)

    application.refresh_from_db()
    events = list(application.events.order_by("pk"))
    if state in allowed_from:
        assert application.state == target
        last = events[-1]
        assert (last.actor, last.from_state, last.to_state) == (actor, state, target)
        assert last.created_at is not None
        assert [message.to for message in mail.outbox] == [[application.email]]
    else:
        assert application.state == state
        assert len(events) == 1  # only the factory's "submitted" row
        assert mail.outbox == []


@pytest.mark.parametrize("name", TRANSITIONS)
def test_who_may_make_each_transition(name):
    allowed_from, target, staff_only = TRANSITIONS[name]
    start = State.UNDER_REVIEW if State.UNDER_REVIEW in allowed_from else next(iter(allowed_from))
    application = MembershipApplicationFactory(state=start)
    someone_else = UserFactory()
    not_a_reviewer = UserFactory(is_staff=True)  # staff without the permission
    forbidden = [AnonymousUser(), None, someone_else, not_a_reviewer]
    forbidden.append(application.applicant if staff_only else StaffFactory())
    for actor in forbidden:
        with pytest.raises(PermissionDenied):
            run(name, application, actor)
    application.refresh_from_db()
    assert application.state == start and application.events.count() == 1

    run(name, application, allowed_actor(name, application))
    application.refresh_from_db()
    assert application.state == target


def test_a_rejection_needs_a_reason():
    application = MembershipApplicationFactory()
    for reason in ("", "   ", None):
        with pytest.raises(services.TransitionError):
            services.reject(application, StaffFactory(), reason=reason)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.rejection_reason == ""


def test_the_rejection_reason_is_kept_and_e_mailed(django_capture_on_commit_callbacks):
    application = MembershipApplicationFactory(state=State.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(application, StaffFactory(), reason="  Please link merged PRs.  ")
    application.refresh_from_db()
    assert application.rejection_reason == "Please link merged PRs."
    assert application.events.last().note == "Please link merged PRs."
    assert "Please link merged PRs." in mail.outbox[0].body


def test_accept_then_invite_makes_a_member_with_a_joined_date():
    staff = StaffFactory()
    application = MembershipApplicationFactory(state=State.UNDER_REVIEW)
    services.accept(application, staff)
    assert not Membership.objects.exists()  # accepted, not yet invited
    services.mark_invited(application, staff)
    membership = Membership.objects.get()
    assert membership.person == application.person
    assert membership.application == application
    assert membership.joined_on is not None
    application.person.refresh_from_db()
    assert application.person.user == application.applicant  # the account is linked


def test_a_whole_application_records_its_history():
    staff = StaffFactory()
    application = MembershipApplicationFactory()
    services.start_review(application, staff, note="Looking at the PRs")
    services.accept(application, staff)
    services.mark_invited(application, staff)
    rows = list(application.events.values_list("from_state", "to_state", "actor", "note"))
    assert rows == [
        ("", "submitted", application.applicant.pk, ""),
        ("submitted", "under_review", staff.pk, "Looking at the PRs"),
        ("under_review", "accepted", staff.pk, ""),
        ("accepted", "invited", staff.pk, ""),
    ]


def submit(user, **overrides):
    data = {
        "github": "new-contributor",
        "name": "New Contributor",
        "other_contact": "WeChat: newbie",
        "contributions": ["https://github.com/PaddlePaddle/Paddle/pull/1"],
        "statement": "I want to help.",
        "language": "en",
    }
    data.update(overrides)
    return services.submit_application(user, **data)


def test_submission_e_mails_the_applicant_and_staff(settings, django_capture_on_commit_callbacks):
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(user)
    assert application.state == State.SUBMITTED
    assert application.person.github == "new-contributor"
    event = application.events.get()
    assert (event.actor, event.from_state, event.to_state) == (user, "", "submitted")
    to_applicant, to_staff = mail.outbox
    assert to_applicant.to == [user.email]
    assert "https://github.com/PaddlePaddle/Paddle/pull/1" in to_applicant.body
    assert "/join/status/" in to_applicant.body
    assert to_staff.to == ["staff@pfcc.example.org"]
    assert "@new-contributor" in to_staff.subject
    assert "WeChat: newbie" in to_staff.body
    assert f"/admin/membership/membershipapplication/{application.pk}/change/" in to_staff.body


def test_without_a_staff_list_staff_users_are_told(settings, django_capture_on_commit_callbacks):
    settings.STAFF_NOTIFY_EMAILS = []
    boss = StaffFactory(email="boss@pfcc.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        submit(UserFactory())
    assert mail.outbox[1].to == [boss.email]


# The applicant's e-mail for each state, in English and in Chinese: (subject, a body phrase).
EXPECTED_MAIL = {
    "en": {
        State.SUBMITTED: ("We received your membership application", "Thank you for applying"),
        State.UNDER_REVIEW: ("is under review", "Staff are now reviewing"),
        State.ACCEPTED: ("is accepted", "Good news"),
        State.INVITED: ("you are a member", "you are now a member"),
        State.REJECTED: ("was not accepted", "Reason:"),
        State.WITHDRAWN: ("is withdrawn", "You can apply again"),
    },
    "zh-hans": {
        State.SUBMITTED: ("我们已收到你的入会申请", "感谢你以 @"),
        State.UNDER_REVIEW: ("正在审核", "工作人员正在审核"),
        State.ACCEPTED: ("已通过", "好消息"),
        State.INVITED: ("你已成为成员", "你现在是成员了"),
        State.REJECTED: ("未获通过", "原因："),
        State.WITHDRAWN: ("已撤回", "随时可以再次申请"),
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_change_e_mails_the_applicant_in_their_language(
    language, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFY_EMAILS = []
    staff = StaffFactory(email="")
    expected = EXPECTED_MAIL[language]

    def last_mail_is(state):
        message = mail.outbox[-1]
        subject, phrase = expected[state]
        assert message.to == [MembershipApplication.objects.latest("pk").applicant.email]
        assert subject in message.subject, (state, message.subject)
        assert phrase in message.body, (state, message.body)
        assert "Hello New Contributor" in message.body or "New Contributor，你好" in message.body

    applicant = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(applicant, language=language)
    last_mail_is(State.SUBMITTED)
    for change, state in [
        (services.start_review, State.UNDER_REVIEW),
        (services.accept, State.ACCEPTED),
        (services.mark_invited, State.INVITED),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            change(first, staff)
        last_mail_is(state)

    with django_capture_on_commit_callbacks(execute=True):
        second = submit(UserFactory(), github="second-one", language=language)
        services.reject(second, staff, reason="需要更多 PR / more PRs")
    last_mail_is(State.REJECTED)
    assert "需要更多 PR / more PRs" in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        third = submit(UserFactory(), github="third-one", language=language)
        services.withdraw(third, third.applicant)
    last_mail_is(State.WITHDRAWN)


def test_an_unknown_language_falls_back_to_the_default():
    application = submit(UserFactory(), language="xx")
    assert application.language == "zh-hans"


def test_a_failing_mail_server_keeps_the_application_and_retries(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = BROKEN
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(UserFactory(email="new@example.org"))
    assert MembershipApplication.objects.filter(pk=application.pk).exists()
    pending = OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING)
    assert pending.count() == 2
    assert all("mail server down" in email.last_error for email in pending)

    settings.MAILERS = LOCMEM
    assert retry_pending() == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new@example.org",
        "staff@pfcc.example.org",
    ]


def test_the_database_allows_one_open_application_per_person_and_per_user():
    application = MembershipApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipApplicationFactory(applicant=application.applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipApplicationFactory(person=application.person)
    # Closed applications do not count.
    application.state = State.REJECTED
    application.save()
    MembershipApplicationFactory(applicant=application.applicant, person=application.person)


def test_a_second_submission_is_refused_politely():
    user = UserFactory()
    submit(user)
    with pytest.raises(services.ApplicationAlreadyOpen):
        submit(user)
    # Another account typing the same login: it is known here, only a GitHub sign-in claims it.
    with pytest.raises(services.TransitionError):
        submit(UserFactory())
    assert MembershipApplication.objects.count() == 1


def test_apply_again_after_a_decision_or_withdrawal():
    user, staff = UserFactory(), StaffFactory()
    first = submit(user)
    services.reject(first, staff, reason="Too early")
    second = submit(user)
    services.withdraw(second, user)
    third = submit(user)
    assert third.state == State.SUBMITTED
    assert user.membership_applications.count() == 3


def test_members_cannot_apply_again():
    staff = StaffFactory()
    application = MembershipApplicationFactory(state=State.ACCEPTED)
    services.mark_invited(application, staff)
    with pytest.raises(services.AlreadyMember):
        submit(application.applicant, person=application.person)


def test_only_members_choose_a_public_profile():
    with pytest.raises(PermissionDenied):
        services.set_public_profile(UserFactory(), True)
    person = PersonFactory(user=UserFactory())
    Membership.objects.create(person=person)
    assert services.set_public_profile(person.user, True).public_profile is True
    assert services.set_public_profile(person.user, False).public_profile is False


@pytest.mark.parametrize("state", MembershipApplication.OPEN_STATES)
def test_every_open_state_counts_as_open_in_the_database(state):
    application = MembershipApplicationFactory(state=state)
    for other in MembershipApplication.OPEN_STATES:
        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipApplicationFactory(applicant=application.applicant, state=other)
    for closed in set(State) - set(MembershipApplication.OPEN_STATES):
        MembershipApplicationFactory(applicant=application.applicant, state=closed)
