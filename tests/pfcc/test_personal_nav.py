"""The header shows "My reports", "Reviews to write" and the TA's checklist only to those they
concern, and the signed-in user's name (not their e-mail's local part) on sign-in."""

import pytest
from django.contrib.messages import get_messages

from pfcc.nav import SESSION_KEY
from tests.camp.factories import CohortFactory, MentorshipFactory
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def header_links(client):
    page = client.get("/blog/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return {name for name in ("camp-reports", "camp-reviews", "camp-checklist") if name in page}


def signed_in(client, person=None):
    user = UserFactory()
    if person is not None:
        person.user = user
        person.save()
    client.force_login(user)
    return client


def test_a_contributor_without_camp_roles_sees_no_camp_links(client):
    assert header_links(signed_in(client, PersonFactory())) == set()
    assert header_links(signed_in(client)) == set()


def test_mentee_mentor_and_ta_each_see_their_own(client):
    mentee, mentor, ta = PersonFactory(), PersonFactory(), PersonFactory()
    mentorship = MentorshipFactory(mentee=mentee, mentors=[mentor])
    cohort = mentorship.project.cohort
    cohort.teaching_assistants.add(ta)
    CohortFactory()  # another cohort, not theirs
    assert header_links(signed_in(client, mentee)) == {"camp-reports"}
    assert header_links(signed_in(client, mentor)) == {"camp-reviews"}
    assert header_links(signed_in(client, ta)) == {"camp-checklist"}
    page = client.get("/blog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="/camp/{cohort.slug}/checklist/"' in page and "检查表" in page


def test_a_role_given_while_signed_in_shows_after_the_refresh(client):
    person = PersonFactory()
    signed_in(client, person)
    assert header_links(client) == set()
    MentorshipFactory(mentee=person)
    session = client.session
    session[SESSION_KEY]["at"] -= 3600  # as if the last look was an hour ago
    session.save()
    assert header_links(client) == {"camp-reports"}


def test_signing_in_greets_the_person_by_name(client):
    user = UserFactory(email="lin.xiao@example.org", name="林晓")
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": "correct-horse-battery"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("林晓" in text for text in texts), texts
    assert not any("lin.xiao" in text for text in texts)
