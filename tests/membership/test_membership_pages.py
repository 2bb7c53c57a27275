"""Membership pages: /join/, /join/status/, withdrawing, /members/ and the person page section,
for every role (anonymous, another user, the applicant, staff)."""

import pytest
from django.core import mail
from django.urls import reverse

from membership import transitions as services
from membership.models import Membership, MembershipApplication
from pfcc.models import Person
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.membership.factories import MembershipApplicationFactory, MembershipFactory
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db
State = MembershipApplication.State
APPLY, STATUS, DIRECTORY = "/join/", "/join/status/", "/members/"
GOOD_PR = "https://github.com/PaddlePaddle/Paddle/pull/68001"
BAD_PR = "https://gitlab.com/PaddlePaddle/Paddle/merge_requests/1"


def form_data(**overrides):
    data = {
        "github": "octo-dev",
        "name": "Octo Dev",
        "email": "octo@example.org",
        "other_contact": "WeChat: octo",
        "contributions": f"{GOOD_PR}\n\nhttps://github.com/PaddlePaddle/docs/pull/7/\n",
        "statement": "I fixed the docs and a kernel.",
    }
    data.update(overrides)
    return data


def test_urls_keep_their_names():
    assert reverse("membership:apply") == APPLY
    assert reverse("membership:directory") == DIRECTORY
    assert reverse("membership:status") == STATUS


# /join/


def test_visitors_see_how_to_join_and_a_sign_in_link(client):
    response = client.get(APPLY, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "/accounts/login/?next=/join/" in response.content.decode()


def test_visitors_cannot_post_an_application(client):
    response = client.post(APPLY, form_data())
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not MembershipApplication.objects.exists()


def test_a_signed_in_user_applies(client, settings):
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    user = UserFactory()
    client.force_login(user)
    page = client.get(APPLY, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["email"] == user.email

    response = client.post(APPLY, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == STATUS
    application = MembershipApplication.objects.get()
    assert application.applicant == user
    assert application.person == Person.objects.get(github="octo-dev")
    assert application.contributions == [GOOD_PR, "https://github.com/PaddlePaddle/docs/pull/7"]
    assert application.language == "en"
    assert [message.to for message in mail.outbox] == [
        [user.email],
        ["staff@pfcc.example.org"],
    ]
    status = client.get(STATUS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-state="submitted"' in status and "submitted" in status


def test_the_language_of_the_request_is_kept_for_e_mails(client):
    client.force_login(UserFactory())
    client.post(APPLY, form_data(), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert MembershipApplication.objects.get().language == "zh-hans"
    assert "入会申请" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contributions", f"{GOOD_PR}\n{BAD_PR}"),
        ("contributions", "https://github.com/PaddlePaddle/Paddle/issues/1"),
        ("contributions", "http://github.com/PaddlePaddle/Paddle/pull/1"),
        ("contributions", "https://github.com/PaddlePaddle/Paddle/pull/1?x=<script>"),
        ("contributions", "https://github.com/PaddlePaddle/Paddle/pull/0"),
        ("contributions", "https://github.com/-bad-/Paddle/pull/3"),
        ("contributions", "https://github.com/PaddlePaddle/Paddle/pull/3/files"),
        ("contributions", ""),
        ("github", "bad--login-"),
        ("github", "x" * 40),
        ("statement", ""),
        ("name", ""),
    ],
)
def test_bad_input_gets_a_field_error_and_keeps_what_was_typed(client, field, value):
    client.force_login(UserFactory())
    data = form_data(**{field: value})
    response = client.post(APPLY, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    # Everything typed is still in the form.
    for key in ("name", "other_contact", "statement"):
        if data[key] and key != field:
            assert data[key] in html
    assert not MembershipApplication.objects.exists()


def test_the_bad_pull_request_url_is_named(client):
    client.force_login(UserFactory())
    response = client.post(
        APPLY, form_data(contributions=f"{GOOD_PR}\n{BAD_PR}"), HTTP_ACCEPT_LANGUAGE="en"
    )
    errors = response.context["form"].errors["contributions"]
    assert len(errors) == 1 and BAD_PR in errors[0]
    assert GOOD_PR in response.content.decode()


def test_the_login_comes_from_the_linked_github_account(client):
    user = UserFactory()
    person = PersonFactory(github="Linked-Dev", user=user, github_id=42)
    client.force_login(user)
    page = client.get(APPLY)
    assert "github" not in page.context["form"].fields
    assert "@Linked-Dev" in page.content.decode()
    client.post(APPLY, form_data(github="someone-else"))
    application = MembershipApplication.objects.get()
    assert application.person == person and application.github == "Linked-Dev"


def test_a_login_linked_to_another_account_cannot_be_used(client):
    PersonFactory(github="taken-dev", user=UserFactory())
    client.force_login(UserFactory())
    response = client.post(APPLY, form_data(github="TAKEN-dev"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "github" in response.context["form"].errors
    assert not MembershipApplication.objects.exists()


def test_a_login_with_someone_elses_open_application_is_a_field_error(client):
    MembershipApplicationFactory(person=PersonFactory(github="busy-dev"))
    client.force_login(UserFactory())
    response = client.post(APPLY, form_data(github="busy-dev"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "github" in response.context["form"].errors
    assert "I fixed the docs and a kernel." in response.content.decode()
    assert MembershipApplication.objects.count() == 1


def test_a_double_submit_makes_one_application(client):
    client.force_login(UserFactory())
    first = client.post(APPLY, form_data())
    second = client.post(APPLY, form_data())
    assert first.status_code == second.status_code == 302
    assert second.url == STATUS
    assert MembershipApplication.objects.count() == 1


def test_an_open_application_sends_the_form_to_the_status_page(client):
    application = MembershipApplicationFactory()
    client.force_login(application.applicant)
    response = client.get(APPLY)
    assert response.status_code == 302 and response.url == STATUS


def test_a_member_is_not_offered_the_form(client):
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user))
    client.force_login(user)
    assert client.get(APPLY).url == STATUS
    assert client.post(APPLY, form_data()).url == STATUS
    assert not MembershipApplication.objects.exists()


def test_apply_again_after_a_decision(client):
    application = MembershipApplicationFactory(state=State.REJECTED, rejection_reason="Later")
    client.force_login(application.applicant)
    status = client.get(STATUS, HTTP_ACCEPT_LANGUAGE="en")
    assert status.context["can_apply"] is True
    assert client.get(APPLY).status_code == 200
    client.post(APPLY, form_data(github=application.github))
    assert application.applicant.membership_applications.count() == 2


# /join/status/


def test_status_needs_a_sign_in(client):
    response = client.get(STATUS)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_status_shows_only_ones_own_applications_and_the_reason(client):
    mine = MembershipApplicationFactory(statement="my own statement")
    services.reject(mine, StaffFactory(name="Secret Staffer"), reason="Please add merged PRs")
    MembershipApplicationFactory(statement="somebody else's statement")
    client.force_login(mine.applicant)
    html = client.get(STATUS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "my own statement" in html and "Please add merged PRs" in html
    assert "somebody else's statement" not in html
    assert "Secret Staffer" not in html  # staff stay anonymous
    assert "PFCC staff" in html


def test_staff_see_no_one_elses_applications_on_their_status_page(client):
    MembershipApplicationFactory(statement="somebody else's statement")
    client.force_login(StaffFactory())
    html = client.get(STATUS).content.decode()
    assert "somebody else's statement" not in html


def test_status_page_queries_do_not_grow_with_history(client):
    application = MembershipApplicationFactory()
    client.force_login(application.applicant)

    def grow(count):
        for _ in range(count - application.events.count()):
            application.events.create(to_state=State.SUBMITTED, actor=application.applicant)

    assert assert_flat_queries(client, STATUS, grow, small=3, large=30) <= 6


# Withdrawing


def test_the_applicant_withdraws(client):
    application = MembershipApplicationFactory()
    client.force_login(application.applicant)
    response = client.post(reverse("membership:withdraw", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert mail.outbox[-1].to == [application.email]


@pytest.mark.parametrize("who", ["anonymous", "another user", "staff"])
def test_nobody_else_withdraws(client, who):
    application = MembershipApplicationFactory()
    if who == "another user":
        client.force_login(UserFactory())
    elif who == "staff":
        client.force_login(StaffFactory())
    response = client.post(reverse("membership:withdraw", args=[application.pk]))
    assert response.status_code in {302, 404}
    if who == "anonymous":
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_withdrawing_asks_first_and_cancel_goes_back(client, language):
    """The status page links to a confirmation page; opening it changes nothing, says what will
    happen, offers a destructive-looking button that withdraws and a way back."""
    application = MembershipApplicationFactory(state=State.ACCEPTED)
    client.force_login(application.applicant)
    client.cookies["django_language"] = language
    url = reverse("membership:withdraw", args=[application.pk])
    status = client.get(reverse("membership:status"))
    link = f'<a class="button danger" href="{url}" data-testid="withdraw-link">'
    assert link in status.content.decode()
    assert f'action="{url}"' not in status.content.decode()  # no one-click withdrawal

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    application.refresh_from_db()
    assert application.state == State.ACCEPTED
    assert mail.outbox == []
    texts = {
        "en": ("Withdraw your application?", "will not be invited", "Cancel, keep my application"),
        "zh-hans": ("撤回你的申请？", "不会通过它被邀请", "取消，保留我的申请"),
    }[language]
    title, consequence, cancel = texts
    assert f"<title>{title}" in html and f"<h1>{title}</h1>" in html
    assert consequence in html and f"@{application.github}" in html and application.email in html
    assert f'<form method="post" action="{url}"' in html
    assert 'class="button danger"' in html
    assert f'<a href="{reverse("membership:status")}">{cancel}</a>' in html

    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("membership:status")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.events.filter(action="withdraw", actor=application.applicant).count() == 1
    # A closed application has nothing to confirm: back to the status page with a word.
    again = client.get(url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("membership:status")
    assert "这份申请已结束" in again.content.decode() or "nothing to withdraw" in (
        again.content.decode()
    )


@pytest.mark.parametrize("who", ["anonymous", "another user", "staff"])
def test_nobody_else_sees_the_confirmation(client, who):
    application = MembershipApplicationFactory()
    if who == "another user":
        client.force_login(UserFactory())
    elif who == "staff":
        client.force_login(StaffFactory())
    response = client.get(reverse("membership:withdraw", args=[application.pk]))
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == 404


def test_withdraw_confirmation_query_budget(client):
    application = MembershipApplicationFactory()
    client.force_login(application.applicant)
    url = reverse("membership:withdraw", args=[application.pk])

    def grow(count):
        # A long history does not slow the page down.
        Event = application.events.model
        Event.objects.bulk_create(
            Event(application=application, to_state=State.SUBMITTED, actor=application.applicant)
            for _ in range(count - application.events.count())
        )

    assert assert_flat_queries(client, url, grow, small=10, large=1000) <= 6


def test_a_closed_application_cannot_be_withdrawn(client):
    application = MembershipApplicationFactory(state=State.REJECTED)
    client.force_login(application.applicant)
    response = client.post(reverse("membership:withdraw", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REJECTED


# The member directory and the public profile


def test_the_directory_lists_members_who_opted_in(client):
    listed = MembershipFactory(
        person=PersonFactory(github="listed-dev", name="Listed Dev", public_profile=True)
    )
    MembershipFactory(person=PersonFactory(github="hidden-dev", public_profile=False))
    PersonFactory(github="not-a-member", public_profile=True)
    html = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Listed Dev" in html and "https://github.com/listed-dev" in html
    assert listed.person.avatar in html
    assert "hidden-dev" not in html and "not-a-member" not in html


def test_the_directory_is_searchable_and_paginated(client):
    for number in range(30):
        MembershipFactory(person=PersonFactory(github=f"member-{number:02d}", public_profile=True))
    MembershipFactory(person=PersonFactory(github="zed", name="张三", public_profile=True))
    response = client.get(DIRECTORY, {"q": "张"})
    assert [m.person.github for m in response.context["page"]] == ["zed"]
    first = client.get(DIRECTORY)
    assert first.context["page"].paginator.num_pages == 2
    assert 'href="?page=2"' in first.content.decode()
    assert client.get(DIRECTORY, {"page": "999"}).status_code == 200
    assert client.get(DIRECTORY, {"page": "x"}).status_code == 200
    searched = client.get(DIRECTORY, {"q": "member", "page": "2"}).content.decode()
    assert "?q=member&amp;page=1" in searched


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_directory_costs_the_same_queries_at_10_and_1000_members(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())

    def grow(total):
        missing = total - Membership.objects.count()
        persons = Person.objects.bulk_create(
            Person(github=f"m{total}-{n}", name=f"Member {n}", public_profile=True)
            for n in range(missing)
        )
        Membership.objects.bulk_create(Membership(person=person) for person in persons)

    queries = assert_flat_queries(client, DIRECTORY, grow)
    assert queries <= (5 if signed_in else 2), queries


def test_members_choose_whether_they_are_listed(client):
    user = UserFactory()
    person = PersonFactory(user=user, public_profile=False)
    MembershipFactory(person=person)
    client.force_login(user)
    assert "profile_form" in client.get(STATUS).context
    client.post(reverse("membership:profile"), {"public_profile": "on"})
    person.refresh_from_db()
    assert person.public_profile is True
    client.post(reverse("membership:profile"), {})
    person.refresh_from_db()
    assert person.public_profile is False


def test_non_members_have_no_directory_profile(client):
    user = UserFactory()
    person = PersonFactory(user=user)
    client.force_login(user)
    response = client.post(reverse("membership:profile"), {"public_profile": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.public_profile is False


def test_visitors_have_no_directory_profile(client):
    response = client.post(reverse("membership:profile"), {"public_profile": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_person_page_shows_membership(client):
    member = MembershipFactory(person=PersonFactory(github="page-dev", public_profile=True))
    html = client.get("/people/page-dev/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="person-membership"' in html
    assert "Member of PFCC since" in html
    member.person.public_profile = False
    member.person.save()
    html = client.get("/people/page-dev/").content.decode()
    assert 'data-testid="person-membership"' not in html
    # ...but the member still sees it on their own page.
    member.person.user = UserFactory()
    member.person.save()
    client.force_login(member.person.user)
    assert 'data-testid="person-membership"' in client.get("/people/page-dev/").content.decode()


@pytest.mark.parametrize("typed", ["@At-Dev", " https://github.com/At-Dev/ ", "At-Dev"])
def test_a_login_typed_as_a_mention_or_profile_link_is_understood(client, typed):
    client.force_login(UserFactory())
    client.post(APPLY, form_data(github=typed))
    assert MembershipApplication.objects.get().github == "At-Dev"


def test_a_linked_login_someone_else_applied_with_is_explained(client):
    user = UserFactory()
    person = PersonFactory(github="claimed-dev", user=user)
    MembershipApplicationFactory(person=person)  # by another account, before the link
    client.force_login(user)
    response = client.get(APPLY, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == STATUS
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("this GitHub login" in message for message in messages)


def test_a_failing_mail_server_does_not_lose_the_application(client, settings):
    from pfcc.mail import retry_pending
    from pfcc.models import OutgoingEmail

    settings.MAILERS = {
        "default": {"BACKEND": "tests.membership.test_membership_workflow.BrokenMailServer"}
    }
    settings.STAFF_NOTIFY_EMAILS = ["staff@pfcc.example.org"]
    client.force_login(UserFactory(email="octo@example.org"))
    response = client.post(APPLY, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == STATUS
    assert MembershipApplication.objects.get().state == State.SUBMITTED
    assert mail.outbox == []
    assert OutgoingEmail.objects.filter(state=OutgoingEmail.State.PENDING).count() == 2

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert retry_pending() == (2, 0)
    assert {message.to[0] for message in mail.outbox} == {
        "octo@example.org",
        "staff@pfcc.example.org",
    }


def test_a_typed_login_is_never_matched_into_a_known_person(client):
    """Issue 19: an e-mail account typed `torvalds` and became @torvalds. A login the site knows
    (from the community's files or another account) is claimed only by signing in with GitHub."""
    known = PersonFactory(github="torvalds", name="Linus")
    client.force_login(UserFactory())
    response = client.post(APPLY, form_data(github="Torvalds"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "sign in with that GitHub account" in response.content.decode()
    assert response.context["form"]["statement"].value() == "I fixed the docs and a kernel."
    assert not MembershipApplication.objects.exists()
    known.refresh_from_db()
    assert known.user is None


def test_a_new_typed_login_is_an_unverified_person_of_the_account(client):
    from django.test import Client

    user = UserFactory()
    client.force_login(user)
    client.post(APPLY, form_data(github="brand-new-dev"))
    person = Person.objects.get(github="brand-new-dev")
    assert person.user == user and person.github_id is None and person.is_unverified
    page = client.get(person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="unverified-login"' in page.content.decode()
    staff_client = Client()
    staff_client.force_login(StaffFactory())
    listing = staff_client.get(
        reverse("admin:membership_membershipapplication_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "@brand-new-dev (unverified)" in listing.content.decode()


def test_the_form_mails_only_the_accounts_verified_address(client, settings):
    """Issue 19: `/join/` with someone else's address and a phishing sentence as the name sent
    "Hello PFCC security: your account is locked, verify at https://evil.example/reset…" to
    that address. The address is the account's verified one; a typed one is ignored."""
    settings.STAFF_NOTIFY_EMAILS = []
    attacker = UserFactory()
    phishing = "PFCC security: your account is locked, verify at https://evil.example/reset"
    client.force_login(attacker)
    page = client.get(APPLY, HTTP_ACCEPT_LANGUAGE="en")
    assert "email" not in page.context["form"].fields
    client.post(APPLY, form_data(email="victim@example.org", name=phishing))
    assert MembershipApplication.objects.get().email == attacker.email
    recipients = {address for message in mail.outbox for address in message.to}
    assert "victim@example.org" not in recipients
    assert all(
        phishing not in message.body for message in mail.outbox if message.to != [attacker.email]
    )


def test_an_account_without_a_verified_address_verifies_it_first(client):
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    client.force_login(user)
    response = client.post(APPLY, form_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == reverse("account_email")
    assert not MembershipApplication.objects.exists() and not mail.outbox
