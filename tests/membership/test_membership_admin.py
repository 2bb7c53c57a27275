"""Staff work the application queue in the admin: filters, search, the history inline and the
actions, which go through the same service functions (history and e-mail every time)."""

import pytest
from django.contrib.admin import helpers
from django.core import mail
from django.core.management import call_command

from membership.models import Membership, MembershipApplication
from tests.factories import PersonFactory, UserFactory
from tests.membership.factories import MembershipApplicationFactory

pytestmark = pytest.mark.django_db
State = MembershipApplication.State
CHANGELIST = "/admin/membership/membershipapplication/"


def act(client, action, applications, **extra):
    data = {
        "action": action,
        helpers.ACTION_CHECKBOX_NAME: [application.pk for application in applications],
        "index": 0,
    }
    data.update(extra)
    return client.post(CHANGELIST, data, HTTP_ACCEPT_LANGUAGE="en")


def test_only_staff_reach_the_queue(client):
    MembershipApplicationFactory()
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(UserFactory())
    assert client.get(CHANGELIST).status_code == 302


def test_the_list_filters_and_searches(staff_client):
    MembershipApplicationFactory(person=PersonFactory(github="alpha-dev"), name="Alpha")
    MembershipApplicationFactory(
        person=PersonFactory(github="beta-dev"), name="Beta", state=State.REJECTED
    )
    MembershipApplicationFactory(
        person=PersonFactory(github="gamma-dev"), email="gamma@example.net"
    )

    def shown(**params):
        response = staff_client.get(CHANGELIST, params)
        assert response.status_code == 200
        return sorted(a.github for a in response.context["cl"].result_list)

    assert shown(state="rejected") == ["beta-dev"]
    assert shown(state="submitted") == ["alpha-dev", "gamma-dev"]
    assert shown(q="ALPHA") == ["alpha-dev"]
    assert shown(q="Beta") == ["beta-dev"]
    assert shown(q="gamma@example.net") == ["gamma-dev"]


def test_the_change_page_shows_the_history_and_cannot_edit_the_state(staff_client):
    application = MembershipApplicationFactory()
    response = staff_client.get(f"{CHANGELIST}{application.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert application.contributions[0] in html
    assert 'name="state"' not in html
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403


def test_bulk_actions_go_through_the_workflow(staff_client, staff_user):
    applications = [MembershipApplicationFactory() for _ in range(3)]
    act(staff_client, "start_review", applications)
    act(staff_client, "accept", applications[:2])
    act(staff_client, "mark_invited", applications[:1])
    states = {a.pk: a.state for a in MembershipApplication.objects.all()}
    assert states == {
        applications[0].pk: State.INVITED,
        applications[1].pk: State.ACCEPTED,
        applications[2].pk: State.UNDER_REVIEW,
    }
    # Six changes: six history rows by this staff user and six e-mails to applicants.
    assert sum(a.events.filter(actor=staff_user).count() for a in applications) == 6
    assert len(mail.outbox) == 6
    assert Membership.objects.get().person == applications[0].person


def test_a_forbidden_bulk_change_is_reported_and_skipped(staff_client):
    done = MembershipApplicationFactory(state=State.WITHDRAWN)
    waiting = MembershipApplicationFactory()
    response = act(staff_client, "accept", [done, waiting])
    assert response.status_code == 302
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert (done.state, waiting.state) == (State.WITHDRAWN, State.ACCEPTED)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("1 application accepted" in message for message in messages)
    assert any(done.github in message for message in messages)


def test_reject_asks_for_a_reason_first(staff_client):
    applications = [MembershipApplicationFactory() for _ in range(2)]
    page = act(staff_client, "reject", applications)
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert all(a.github in page.content.decode() for a in applications)
    assert set(MembershipApplication.objects.values_list("state", flat=True)) == {"submitted"}

    blank = act(staff_client, "reject", applications, apply="1", reason="   ")
    assert blank.status_code == 200 and "reason" in blank.context["form"].errors
    assert set(MembershipApplication.objects.values_list("state", flat=True)) == {"submitted"}

    done = act(staff_client, "reject", applications, apply="1", reason="Link merged PRs, please.")
    assert done.status_code == 302
    for application in applications:
        application.refresh_from_db()
        assert application.state == State.REJECTED
        assert application.rejection_reason == "Link merged PRs, please."
    assert len(mail.outbox) == 2
    assert all("Link merged PRs, please." in message.body for message in mail.outbox)


def test_the_intermediate_reject_page_posts_back_without_index(staff_client):
    application = MembershipApplicationFactory()
    data = {
        "action": "reject",
        helpers.ACTION_CHECKBOX_NAME: [application.pk],
        "apply": "1",
        "reason": "Not yet.",
    }
    response = staff_client.post(CHANGELIST, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REJECTED


def test_members_are_listed_in_the_admin(staff_client):
    Membership.objects.create(person=PersonFactory(github="admin-listed"))
    response = staff_client.get("/admin/membership/membership/", {"q": "admin-listed"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


def test_seed_makes_applications_in_several_states():
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    states = set(MembershipApplication.objects.values_list("state", flat=True))
    assert {State.INVITED, State.UNDER_REVIEW, State.REJECTED} <= states
    assert MembershipApplication.objects.count() == 3
    assert Membership.objects.filter(person__public_profile=True).count() >= 4
    rejected = MembershipApplication.objects.get(state=State.REJECTED)
    assert rejected.rejection_reason
    assert [e.to_state for e in rejected.events.all()] == ["submitted", "under_review", "rejected"]


def workflow_url(application):
    return f"{CHANGELIST}{application.pk}/workflow/"


def test_one_application_changes_state_from_its_page(staff_client, staff_user):
    application = MembershipApplicationFactory()
    change_page = staff_client.get(f"{CHANGELIST}{application.pk}/change/").content.decode()
    assert workflow_url(application) in change_page

    page = staff_client.get(workflow_url(application))
    assert [name for name, _ in page.context["transitions"]] == ["start_review", "accept", "reject"]

    response = staff_client.post(
        workflow_url(application), {"transition": "start_review", "note": "Reading the PRs"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    event = application.events.last()
    assert (event.actor, event.note) == (staff_user, "Reading the PRs")
    assert "Reading the PRs" in mail.outbox[-1].body


def test_rejecting_from_the_page_needs_a_reason(staff_client):
    application = MembershipApplicationFactory(state=State.UNDER_REVIEW)
    blank = staff_client.post(workflow_url(application), {"transition": "reject", "note": " "})
    assert blank.status_code == 200 and "note" in blank.context["form"].errors
    application.refresh_from_db()
    assert application.state == State.UNDER_REVIEW
    staff_client.post(workflow_url(application), {"transition": "reject", "note": "Too early"})
    application.refresh_from_db()
    assert (application.state, application.rejection_reason) == (State.REJECTED, "Too early")


def test_the_page_offers_only_allowed_changes(staff_client):
    closed = MembershipApplicationFactory(state=State.WITHDRAWN)
    page = staff_client.get(workflow_url(closed))
    assert page.status_code == 200 and page.context["transitions"] == []
    response = staff_client.post(workflow_url(closed), {"transition": "accept"})
    assert response.status_code == 200 and "transition" in response.context["form"].errors
    closed.refresh_from_db()
    assert closed.state == State.WITHDRAWN
    accepted = MembershipApplicationFactory(state=State.ACCEPTED)
    page = staff_client.get(workflow_url(accepted))
    assert [name for name, _ in page.context["transitions"]] == ["mark_invited"]


def test_only_staff_reach_the_page(client):
    application = MembershipApplicationFactory()
    assert client.post(workflow_url(application), {"transition": "accept"}).status_code == 302
    client.force_login(application.applicant)
    assert client.post(workflow_url(application), {"transition": "accept"}).status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
