"""Whom the judging app writes to (issue 19, item 6, for judged contests): the account's verified
address at sending time, never an address typed into a form or an unverified one, and nobody
when the account has none. Otherwise the registration form would let anyone make the site mail a
stranger the confirmation, with a "name" of the attacker's choosing."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from judging import transitions
from judging.models import Registration
from pfcc.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

from .factories import JudgeFactory, RegistrationFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

PHISHING = "Your account is locked, verify at https://evil.example/reset"


def recipients() -> set[str]:
    return {address for mail in OutgoingEmail.objects.all() for address in mail.to}


def register_url(contest):
    return reverse("judging:register", args=[contest.slug])


def test_a_typed_address_of_someone_else_gets_no_mail(contest, client_for):
    attacker = UserFactory(email="attacker@example.org")
    client = client_for(attacker)
    response = client.post(
        register_url(contest),
        {"kind": "individual", "name": PHISHING, "email": "victim@example.org", "members": ""},
    )
    assert response.status_code == 302
    assert Registration.objects.get().user == attacker
    assert recipients() == {"attacker@example.org"}
    # The form asks for no address; the page says where the mail goes.
    client.post(reverse("judging:withdraw", args=[contest.slug]))
    page = client.get(register_url(contest)).content.decode()
    assert 'name="email"' not in page and 'type="email"' not in page
    assert "attacker@example.org" in page
    # Nor does anything later reach the typed address: an entry, then a disqualification.
    registration = Registration.objects.get()
    submission = SubmissionFactory(registration=registration)
    transitions.disqualify(submission, StaffFactory(), "抄袭")
    assert "victim@example.org" not in recipients()


def test_an_unverified_account_address_gets_no_mail_and_the_page_says_so(contest, client_for):
    user = UserFactory(email="unverified@example.org", verified_email=False)
    EmailAddress.objects.create(user=user, email="unverified@example.org", verified=False)
    page = client_for(user).get(register_url(contest)).content.decode()
    assert 'data-testid="no-verified-email"' in page
    assert "Your account has no verified e-mail address" in page
    assert reverse("account_email") in page and "unverified@example.org" not in page
    chinese = client_for(user, language="zh-hans").get(register_url(contest)).content.decode()
    assert "你的账号还没有已验证的邮箱" in chinese
    response = client_for(user).post(
        register_url(contest), {"kind": "individual", "name": "Quiet", "members": ""}
    )
    assert response.status_code == 302  # registered all the same, without mail
    registration = Registration.objects.get(user=user)
    submission = SubmissionFactory(registration=registration)
    staff = StaffFactory()
    transitions.disqualify(submission, staff, "抄袭")
    transitions.reinstate(submission, staff)
    transitions.start_judging(contest, staff)
    transitions.award(submission, contest.prizes.first(), staff)
    transitions.publish_results(contest, staff)
    assert not OutgoingEmail.objects.exists()


def test_mail_follows_the_address_verified_at_sending_time(contest, client_for):
    user = UserFactory(email="old@example.org", verified_email=False)
    client_for(user).post(
        register_url(contest), {"kind": "individual", "name": "Later", "members": ""}
    )
    assert not OutgoingEmail.objects.exists()
    EmailAddress.objects.create(user=user, email="new@example.org", verified=True, primary=True)
    page = client_for(user).get(reverse("judging:contest", args=[contest.slug]))
    assert page.status_code == 200
    registration = Registration.objects.get(user=user)
    submission = SubmissionFactory(registration=registration)
    transitions.disqualify(submission, StaffFactory(), "抄袭")
    assert recipients() == {"new@example.org"}


def test_the_registration_page_names_the_verified_address_in_both_languages(contest, client_for):
    user = UserFactory(email="me@example.org")
    english = client_for(user).get(register_url(contest)).content.decode()
    assert "go to me@example.org, your account's verified address" in english
    chinese = client_for(user, language="zh-hans").get(register_url(contest)).content.decode()
    assert "会发到 me@example.org，即你账号中已验证的邮箱" in chinese
    assert 'data-testid="no-verified-email"' not in english + chinese


def test_judges_are_mailed_only_at_a_verified_address(contest):
    staff = StaffFactory()
    verified = UserFactory(email="judge@example.org")
    unverified = UserFactory(email="unverified-judge@example.org", verified_email=False)
    EmailAddress.objects.create(
        user=unverified, email="unverified-judge@example.org", verified=False, primary=True
    )
    transitions.assign_judge(contest, verified, staff)
    transitions.assign_judge(contest, unverified, staff)
    JudgeFactory(contest=contest, user=UserFactory(email="other@example.org"))
    transitions.start_judging(contest, staff)
    assert recipients() == {"judge@example.org", "other@example.org"}
    assert [mail.to for mail in OutgoingEmail.objects.all()].count(["judge@example.org"]) == 2


def test_results_reach_every_registrant_at_their_verified_address_only(contest):
    staff = StaffFactory()
    winner = SubmissionFactory(
        registration=RegistrationFactory(contest=contest, user=UserFactory(email="w@example.org"))
    )
    silent = UserFactory(email="silent@example.org", verified_email=False)
    RegistrationFactory(contest=contest, user=silent)
    transitions.start_judging(contest, staff)
    transitions.award(winner, contest.prizes.first(), staff)
    transitions.publish_results(contest, staff)
    assert recipients() == {"w@example.org"}
