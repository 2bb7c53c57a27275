"""Privacy: contact details and résumés only to staff; users download their own data and
delete their account, keeping their public contributions under their GitHub login."""

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from camp.models import CampApplication, Report
from hackathon.models import Claim, Objection
from membership.models import MembershipApplication
from pfcc.mail import store_and_queue
from pfcc.models import OutgoingEmail, Person, User
from tests.camp.conftest import camp, client_for  # noqa: F401 - fixtures
from tests.camp.factories import ReportFactory
from tests.factories import StaffFactory, UserFactory
from tests.hackathon.factories import ClaimFactory, EditionFactory, TaskFactory
from tests.membership.factories import MembershipApplicationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(camp):  # noqa: F811
    """The mentee and another mentee, each with private and public data."""
    edition = EditionFactory(number=7)
    data = {}
    for role, secret in [("mentee", "MENTEE-SECRET"), ("other_mentee", "OTHER-SECRET")]:
        user, person = camp.users[role], camp.persons[role]
        MembershipApplicationFactory(
            applicant=user,
            person=person,
            other_contact=f"WeChat {secret}",
            statement=f"statement {secret}",
        )
        application = CampApplication.objects.create(
            cohort=camp.cohort,
            applicant=person,
            user=user,
            first_choice=camp.project,
            statement=f"camp {secret}",
        )
        application.resume.save("cv.pdf", ContentFile(PDF))
        claim = ClaimFactory(task=TaskFactory(edition=edition), person=person)
        Objection.objects.create(edition=edition, person=person, user=user, text=f"obj {secret}")
        mentorship = camp.mentorship if role == "mentee" else camp.other_mentorship
        report = ReportFactory(mentorship=mentorship, work=f"report {secret}")
        store_and_queue([user.email], f"Hello {role}", "A stored e-mail")
        data[role] = {"user": user, "person": person, "claim": claim, "report": report}
        data[role]["application"] = application
    return data


def test_pages_need_a_sign_in(client):
    for name in ["pfcc:account", "pfcc:account_data", "pfcc:account_delete"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("pfcc:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302 and User.objects.count() == 0


def test_the_account_page_is_linked_from_the_header(client):
    client.force_login(UserFactory())
    html = client.get(reverse("pfcc:home")).content.decode()
    assert reverse("pfcc:account") in html
    html = client.get(reverse("pfcc:account")).content.decode()
    assert reverse("pfcc:account_data") in html and reverse("pfcc:account_delete") in html


def test_the_download_has_ones_own_data_and_nobody_elses(client, people):
    client.force_login(people["mentee"]["user"])
    response = client.get(reverse("pfcc:account_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == people["mentee"]["user"].email
    assert data["person"]["github"] == "mentee"
    assert data["membership"]["applications"][0]["other_contact"] == "WeChat MENTEE-SECRET"
    assert data["membership"]["applications"][0]["history"][0]["by"] == "you"
    assert data["hackathon"]["claims"][0]["task"] == people["mentee"]["claim"].task.number
    assert data["hackathon"]["objections"][0]["text"] == "obj MENTEE-SECRET"
    assert data["camp"]["applications"][0]["statement"] == "camp MENTEE-SECRET"
    assert data["camp"]["applications"][0]["has_resume"] is True
    assert data["camp"]["mentorships"][0]["reports"][0]["work"] == "report MENTEE-SECRET"
    assert "OTHER-SECRET" not in text
    assert people["other_mentee"]["user"].email not in text
    assert "secret" not in json.dumps(data["account"]["second_factors"])


def test_deleting_the_account_keeps_public_contributions(client, people):
    mentee = people["mentee"]
    user, person = mentee["user"], mentee["person"]
    resume_path = mentee["application"].resume.path
    other_browser = Client()
    other_browser.force_login(user)
    client.force_login(user)

    response = client.post(reverse("pfcc:account_delete"), {"password": "wrong"})
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post(reverse("pfcc:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    # The account and its private data are gone …
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not MembershipApplication.objects.filter(person=person).exists()
    assert all(user.email not in email.to for email in OutgoingEmail.objects.all())
    application = CampApplication.objects.get(pk=mentee["application"].pk)
    assert not application.resume and application.statement == "" and application.user is None
    assert not Path(resume_path).exists()
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(user.pk)
    assert other_browser.get(reverse("pfcc:account")).status_code == 302
    # … the public contributions stay under the GitHub login.
    person = Person.objects.get(pk=person.pk)
    assert person.user is None and person.github == "mentee"
    assert Claim.objects.filter(person=person).exists()
    assert Report.objects.filter(pk=mentee["report"].pk).exists()
    assert Objection.objects.get(person=person).user is None
    assert client.get(person.get_absolute_url()).status_code == 200
    # Nobody else's data was touched.
    other = people["other_mentee"]
    assert User.objects.filter(pk=other["user"].pk).exists()
    assert MembershipApplication.objects.filter(applicant=other["user"]).exists()
    assert CampApplication.objects.get(pk=other["application"].pk).resume
    assert any(other["user"].email in email.to for email in OutgoingEmail.objects.all())


def test_an_account_without_a_password_confirms_with_its_email(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post(reverse("pfcc:account_delete"), {"email": "someone@else.org"})
    assert response.status_code == 200 and User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("pfcc:account_delete"), {"email": user.email.upper()})
    assert response.status_code == 302 and not User.objects.filter(pk=user.pk).exists()


def test_contact_details_and_resumes_only_to_staff(client, people, camp):  # noqa: F811
    mentee = people["mentee"]
    resume_url = reverse("camp:resume", args=[mentee["application"].pk])
    application = MembershipApplication.objects.get(applicant=mentee["user"])
    admin_url = reverse("admin:membership_membershipapplication_change", args=[application.pk])
    for viewer in [None, camp.users["other_mentee"], camp.users["mentor"], mentee["user"]]:
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(resume_url).status_code in (302, 403)
        assert client.get(admin_url).status_code == 302  # to a login
        for url in [mentee["person"].get_absolute_url(), reverse("membership:directory")]:
            assert "MENTEE-SECRET" not in client.get(url).content.decode()
    client.force_login(StaffFactory())
    assert client.get(resume_url).status_code == 200
    assert "WeChat MENTEE-SECRET" in client.get(admin_url).content.decode()


def test_the_password_cannot_be_guessed_on_the_delete_page(client):
    user = UserFactory()
    client.force_login(user)
    statuses = [
        client.post(reverse("pfcc:account_delete"), {"password": f"guess-{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert client.post(reverse("pfcc:account_delete"), {"password": PASSWORD}).status_code == 429
    assert User.objects.filter(pk=user.pk).exists()
