"""Every hackathon state change leaves its history row, including the ones made in the admin."""

import pytest

from hackathon import transitions
from hackathon.models import (
    ClaimState,
    Edition,
    Objection,
    Repository,
    Task,
    WebhookDelivery,
)
from tests.factories import PersonFactory, StaffFactory, UserFactory

from .factories import ClaimFactory, TaskFactory
from .test_webhook_payloads import SECRET, deliver, pr_payload

PR = "https://github.com/PaddlePaddle/Paddle/pull/{}"


def test_staff_withdraw_and_reopen_tasks_in_the_admin_with_history(staff_client, tasks):
    staff_client.post(
        "/admin/hackathon/task/",
        {"action": "withdraw", "_selected_action": [tasks[0].pk, tasks[1].pk]},
    )
    tasks[0].refresh_from_db()
    assert tasks[0].state == Task.State.WITHDRAWN
    entry = tasks[0].events.get()
    assert (entry.action, entry.from_state, entry.to_state) == ("withdraw", "open", "withdrawn")
    assert entry.actor.is_staff
    staff_client.post(
        "/admin/hackathon/task/", {"action": "reopen", "_selected_action": [tasks[0].pk]}
    )
    tasks[0].refresh_from_db()
    assert tasks[0].state == Task.State.OPEN
    assert list(tasks[0].events.values_list("action", flat=True)) == ["withdraw", "reopen"]


def test_only_staff_withdraw_a_task(tasks, contributor):
    with pytest.raises(transitions.NotAllowed):
        transitions.withdraw_task(tasks[0], contributor)
    transitions.withdraw_task(tasks[0], StaffFactory())
    with pytest.raises(transitions.TransitionError):
        transitions.withdraw_task(tasks[0], StaffFactory())


def test_edition_state_change_in_the_admin_is_recorded(staff_client, edition):
    data = {
        "number": 7,
        "name": edition.name,
        "state": "closed",
        "star_value": "2000",
        "reward_cap": "30000",
        "tracks-TOTAL_FORMS": 0,
        "tracks-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    response = staff_client.post(f"/admin/hackathon/edition/{edition.pk}/change/", data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.state == Edition.State.CLOSED
    entry = edition.events.get()
    assert (entry.from_state, entry.to_state) == ("open", "closed")


def test_objections_are_recorded_when_filed_and_answered(edition, contributor):
    staff = StaffFactory()
    claim = ClaimFactory(task=TaskFactory(edition=edition, number=90), person=contributor.person)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)
    transitions.publish_results(edition, staff)
    objection = transitions.file_objection(edition, contributor, "No.91 is mine too")
    transitions.answer_objection(objection, staff, "Checked: it is not.")
    objection.refresh_from_db()
    assert objection.state == Objection.State.ANSWERED
    assert [(e.action, e.to_state) for e in objection.events.all()] == [
        ("file", "open"),
        ("answer", "answered"),
    ]
    with pytest.raises(transitions.NotAllowed):
        transitions.answer_objection(objection, contributor, "I answer myself")


def test_deliveries_keep_their_history(client, settings, tasks):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    deliver(client, "pull_request", pr_payload("opened", "【Hackathon 7th No.1】x"))
    delivery = WebhookDelivery.objects.get()
    assert [(e.action, e.to_state) for e in delivery.events.all()] == [
        ("receive", "pending"),
        ("process", delivery.state),
    ]


def test_claimant_needs_a_pr_for_pr_submitted_and_a_design_document_for_rfc_tasks(
    tasks, contributor
):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    with pytest.raises(transitions.TransitionError, match="needs one"):
        transitions.advance_claim(claim, ClaimState.PR_SUBMITTED, contributor)
    Task.objects.filter(pk=tasks[1].pk).update(needs_rfc=True)
    rfc_claim = ClaimFactory(task=Task.objects.get(pk=tasks[1].pk), person=contributor.person)
    with pytest.raises(transitions.TransitionError, match="needs an RFC"):
        transitions.record_pull_request(rfc_claim, PR.format(5), contributor)
    assert not rfc_claim.pull_requests.exists()
    transitions.record_rfc(rfc_claim, PR.format(6), transitions.GITHUB, merged=True)
    transitions.record_pull_request(rfc_claim, PR.format(5), contributor)
    rfc_claim.refresh_from_db()
    assert rfc_claim.state == ClaimState.PR_SUBMITTED


def test_a_pull_request_belongs_to_one_persons_claims(tasks, contributor, other_contributor):
    mine = ClaimFactory(task=tasks[0], person=contributor.person)
    theirs = ClaimFactory(task=tasks[1], person=other_contributor.person)
    transitions.record_pull_request(mine, PR.format(7), contributor)
    with pytest.raises(transitions.TransitionError, match="already on @"):
        transitions.record_pull_request(
            theirs,
            PR.format(7).replace("PaddlePaddle/Paddle", "paddlepaddle/paddle"),
            other_contributor,
        )
    # The same person may name one PR on several of their own claims (`No.24、26-28`).
    other_task = ClaimFactory(task=tasks[2], person=contributor.person)
    transitions.record_pull_request(other_task, PR.format(7), contributor)


def test_a_typed_login_is_never_credited_by_a_webhook(client, settings, tasks):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    Repository.objects.create(edition=tasks[0].edition, full_name="PaddlePaddle/Paddle")
    typed = PersonFactory(github="torvalds", user=UserFactory(), github_id=None)
    claim = ClaimFactory(task=tasks[0], person=typed)
    deliver(
        client,
        "pull_request",
        pr_payload("closed", "【Hackathon 7th No.1】x", login="torvalds", merged=True),
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.CLAIMED
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.NEEDS_REVIEW
    assert "never signed in with GitHub" in delivery.result


def test_claim_history_names_the_github_login_never_the_email_name(client, edition, tasks):
    user = UserFactory(username="lin.xiao", email="lin.xiao@qq.example")
    PersonFactory(github="lin-gh", user=user, github_id=4242)
    client.force_login(user)
    client.post("/hackathon/7/claim/", {"numbers": "1"})
    page = client.get("/hackathon/7/tasks/1/").content.decode()
    assert "@lin-gh" in page and "lin.xiao" not in page


def test_claim_emails_say_pfcc_and_the_edition(edition, tasks, contributor):
    from pfcc.models import OutgoingEmail

    transitions.claim_tasks(edition, contributor, "1")
    subject = OutgoingEmail.objects.get().subject
    assert subject.startswith("[PFCC]") and str(edition) in subject


def test_typed_logins_are_shown_as_unverified_on_the_board(client, edition, tasks):
    ClaimFactory(task=tasks[0], person=PersonFactory(github="typed-login", github_id=None))
    board = client.get("/hackathon/7/tasks/").content.decode()
    assert "@typed-login</a> <span" in board and "unverified" in board


def test_a_completed_task_does_not_read_open(client, edition, tasks):
    claim = ClaimFactory(task=tasks[0])
    transitions.advance_claim(claim, ClaimState.COMPLETED, StaffFactory())
    page = client.get("/hackathon/7/tasks/1/").content.decode()
    assert "<dd>completed</dd>" in page
