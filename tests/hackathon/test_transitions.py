from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from hackathon import transitions
from hackathon.models import Claim, ClaimState, ClaimStateChange, Edition, Objection, Task
from hackathon.task_numbers import MAX_NUMBERS_PER_CLAIM
from hackathon.transitions import Actor, NotAllowed, TransitionError, parse_task_numbers
from pfcc.models import OutgoingEmail
from tests.factories import PersonFactory, StaffFactory, UserFactory

from .factories import ClaimFactory, EditionFactory, TaskFactory

pytestmark = pytest.mark.django_db
S = ClaimState


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("2、3", [2, 3]),
        ("2,3", [2, 3]),
        ("2，3", [2, 3]),
        ("2-5", [2, 3, 4, 5]),
        ("２－５", [2, 3, 4, 5]),
        ("No.2、NO.7～8", [2, 7, 8]),
        ("#4 4 ; 5", [4, 5]),
        (" 9 ", [9]),
    ],
)
def test_claim_lists_accept_full_and_half_width_punctuation(text, numbers):
    assert parse_task_numbers(text) == (numbers, [])


def test_claim_list_reports_each_bad_token():
    numbers, errors = parse_task_numbers("2、abc、5-3、0、7")
    assert numbers == [2, 7]
    assert [token for token, _reason in errors] == ["abc", "5-3", "0"]
    _numbers, errors = parse_task_numbers("1-1000")
    assert errors and "too long" in errors[0][1]


def test_claim_tasks_claims_the_good_numbers_and_explains_the_rest(edition, tasks, contributor):
    tasks[3].state = Task.State.WITHDRAWN
    tasks[3].save()
    ClaimFactory(task=tasks[0], person=contributor.person)
    outcome = transitions.claim_tasks(edition, contributor, "1、2、3、4、99、x", team_name="队伍")
    assert sorted(c.task.number for c in outcome.claimed) == [2, 3]
    reasons = dict(outcome.rejected)
    assert "already claimed" in reasons["No.1"]
    assert "withdrawn" in reasons["No.4"]
    assert "no task" in reasons["No.99"]
    assert "x" in reasons
    claim = Claim.objects.get(task=tasks[1], person=contributor.person)
    assert claim.state == S.CLAIMED and claim.team_name == "队伍"
    assert claim.history.get().to_state == S.CLAIMED
    (email,) = OutgoingEmail.objects.all()
    assert email.to == [contributor.email] and "No.2" in email.body


def test_claiming_a_closed_edition_is_refused(edition, tasks, contributor):
    edition.state = Edition.State.CLOSED
    edition.save()
    with pytest.raises(TransitionError):
        transitions.claim_tasks(edition, contributor, "1")


def test_account_without_person_names_a_new_login(edition, tasks):
    user = UserFactory()
    with pytest.raises(TransitionError):
        transitions.claim_tasks(edition, user, "1")
    PersonFactory(github="taken-login")
    with pytest.raises(TransitionError, match="already known"):
        transitions.claim_tasks(edition, user, "1", github_login="taken-login")
    outcome = transitions.claim_tasks(edition, user, "1", github_login="fresh-login")
    assert outcome.claimed[0].person.github == "fresh-login"
    assert outcome.claimed[0].person.user == user


def test_states_only_move_up(edition, tasks, contributor):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    transitions.record_pull_request(
        claim, "https://github.com/PaddlePaddle/Paddle/pull/1", contributor
    )
    for lower in (S.CLAIMED, S.DESIGN_DONE, S.PR_SUBMITTED):
        with pytest.raises(TransitionError, match="only moves up"):
            transitions.advance_claim(claim, lower, contributor)
    staff = StaffFactory()
    with pytest.raises(TransitionError, match="only moves up"):
        transitions.advance_claim(claim, S.CLAIMED, staff)
    claim.refresh_from_db()
    assert claim.state == S.PR_SUBMITTED
    assert list(claim.history.values_list("from_state", "to_state")) == [(1, 4)]


def test_claimant_stops_at_pr_submitted_staff_decides_the_rest(edition, tasks, contributor):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    with pytest.raises(NotAllowed):
        transitions.advance_claim(claim, S.PARTIAL, contributor)
    with pytest.raises(NotAllowed):
        transitions.advance_claim(claim, S.COMPLETED, contributor)
    staff = StaffFactory()
    transitions.advance_claim(claim, S.COMPLETED, staff, note="merged by hand")
    tasks[0].refresh_from_db()
    assert tasks[0].completed_claim == claim
    change = claim.history.get()
    assert change.actor == staff and change.note == "merged by hand"
    assert OutgoingEmail.objects.filter(to=[contributor.email]).exists()


def test_other_contributor_cannot_touch_a_claim(edition, tasks, contributor, other_contributor):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    with pytest.raises(NotAllowed):
        transitions.advance_claim(claim, S.RFC_SUBMITTED, other_contributor)
    with pytest.raises(NotAllowed):
        transitions.record_pull_request(
            claim, "https://github.com/PaddlePaddle/Paddle/pull/1", other_contributor
        )


def test_pull_requests_are_validated_and_move_the_claim(edition, tasks, contributor):
    claim = ClaimFactory(task=tasks[0], person=contributor.person)
    for bad in ("https://gitlab.com/a/b/pull/1", "https://github.com/a/b/issues/1", "javascript:x"):
        with pytest.raises(TransitionError):
            transitions.record_pull_request(claim, bad, contributor)
    with pytest.raises(NotAllowed):
        transitions.record_pull_request(
            claim, "https://github.com/PaddlePaddle/Paddle/pull/1", contributor, merged=True
        )
    pull = transitions.record_pull_request(
        claim, "https://github.com/PaddlePaddle/Paddle/pull/123/", contributor
    )
    assert pull.url == "https://github.com/PaddlePaddle/Paddle/pull/123"
    claim.refresh_from_db()
    assert claim.state == S.PR_SUBMITTED
    with pytest.raises(TransitionError, match="already"):
        transitions.record_pull_request(claim, pull.url, contributor)


def test_a_merged_pr_completes_the_task_first_one_wins(edition, tasks):
    first = ClaimFactory(task=tasks[0])
    second = ClaimFactory(task=tasks[0])
    github = Actor.system("github")
    transitions.record_pull_request(first, "https://github.com/o/r/pull/1", github, merged=True)
    transitions.record_pull_request(second, "https://github.com/o/r/pull/2", github, merged=True)
    first.refresh_from_db()
    second.refresh_from_db()
    tasks[0].refresh_from_db()
    assert first.state == S.COMPLETED and tasks[0].completed_claim == first
    assert second.state == S.PARTIAL
    with pytest.raises(TransitionError, match="already completed"):
        transitions.advance_claim(second, S.COMPLETED, github)
    # …unless staff decide.
    transitions.advance_claim(second, S.COMPLETED, StaffFactory())
    second.refresh_from_db()
    tasks[0].refresh_from_db()
    assert second.state == S.COMPLETED and tasks[0].completed_claim == first


def test_part_pr_means_partially_completed(edition, tasks):
    claim = ClaimFactory(task=tasks[0])
    transitions.record_pull_request(
        claim, "https://github.com/o/r/pull/3", Actor.system(), merged=True, completes=False
    )
    claim.refresh_from_db()
    assert claim.state == S.PARTIAL


def test_staff_correction_goes_down_and_is_recorded(edition, tasks):
    first = ClaimFactory(task=tasks[0])
    second = ClaimFactory(task=tasks[0])
    staff = StaffFactory()
    transitions.advance_claim(first, S.COMPLETED, staff)
    transitions.advance_claim(second, S.COMPLETED, staff)
    with pytest.raises(NotAllowed):
        transitions.correct_claim(first, S.CLAIMED, first.person.user or UserFactory())
    transitions.correct_claim(first, S.PR_SUBMITTED, staff, note="PR was reverted")
    first.refresh_from_db()
    tasks[0].refresh_from_db()
    assert first.state == S.PR_SUBMITTED
    assert tasks[0].completed_claim == second  # passes to the other completed claim
    change = ClaimStateChange.objects.filter(claim=first).last()
    assert change.is_correction and change.from_state == 6 and change.to_state == 4
    assert change.note == "PR was reverted"


def _complete(task, person, staff):
    claim = ClaimFactory(task=task, person=person)
    transitions.advance_claim(claim, S.COMPLETED, staff)
    return claim


def test_results_reward_is_capped_and_top_three_are_stars(edition, direction):
    staff = StaffFactory()
    edition.star_value = Decimal("2000")
    edition.reward_cap = Decimal("30000")
    edition.save()
    big, mid, tie_a, tie_b, small = (PersonFactory(github=g) for g in "edcba")
    difficulties = {big: [3] * 6, mid: [2, 1.5], tie_a: [1], tie_b: [1], small: [0.025]}
    number = 0
    for person, values in difficulties.items():
        for value in values:
            number += 1
            task = TaskFactory(edition=edition, number=number, difficulty=Decimal(str(value)))
            _complete(task, person, staff)
    results = {r.person: r for r in transitions.compute_results(edition, staff)}
    assert results[big].stars == Decimal("18") and results[big].reward == Decimal("30000.00")
    assert results[mid].reward == Decimal("7000.00")
    assert results[small].reward == Decimal("50.00")
    assert [results[p].rank for p in (big, mid, tie_a, tie_b, small)] == [1, 2, 3, 3, 5]
    assert results[tie_b].is_open_source_star and not results[small].is_open_source_star
    assert results[big].task_numbers == [1, 2, 3, 4, 5, 6]
    with pytest.raises(NotAllowed):
        transitions.compute_results(edition, UserFactory())


def test_fractional_stars(edition):
    staff = StaffFactory()
    person = PersonFactory()
    for number, value in enumerate(["0.025", "0.5", "0.125"], start=1):
        _complete(
            TaskFactory(edition=edition, number=number, difficulty=Decimal(value)), person, staff
        )
    (result,) = transitions.compute_results(edition, staff)
    assert result.stars == Decimal("0.650") and result.reward == Decimal("1300.00")


def test_publish_issues_certificates_and_objections_follow_the_deadline(edition, contributor):
    staff = StaffFactory()
    _complete(TaskFactory(edition=edition), contributor.person, staff)
    with pytest.raises(TransitionError, match="not published"):
        transitions.file_objection(edition, contributor, "wrong")
    with pytest.raises(NotAllowed):
        transitions.publish_results(edition, contributor)
    deadline = timezone.now() + timedelta(days=2)
    transitions.publish_results(edition, staff, objection_deadline=deadline)
    edition.refresh_from_db()
    assert edition.state == Edition.State.RESULTS_PUBLISHED
    result = edition.results.get()
    assert result.certificate.code
    objection = transitions.file_objection(edition, contributor, "No.3 is missing")
    with pytest.raises(TransitionError, match="already filed"):
        transitions.file_objection(edition, contributor, "again")
    transitions.answer_objection(objection, staff, "No.3 was added.")
    objection.refresh_from_db()
    assert objection.state == Objection.State.ANSWERED
    assert OutgoingEmail.objects.filter(
        to=[contributor.email], body__contains="No.3 was added"
    ).exists()
    edition.objection_deadline = timezone.now() - timedelta(minutes=1)
    edition.save()
    with pytest.raises(TransitionError, match="ended"):
        transitions.file_objection(edition, UserFactory(), "late")


def test_edition_defaults_follow_product(db):
    edition = EditionFactory(number=99)
    assert edition.star_value == Decimal("2000") and edition.reward_cap == Decimal("30000")


def test_webhook_helpers(edition, tasks):
    person = PersonFactory(github="Octo-Cat")
    numbers, _errors = parse_task_numbers("1、3-4")
    github = Actor.system("github")
    with pytest.raises(NotAllowed):
        transitions.ensure_claim(tasks[0], person, UserFactory())
    claim, created = transitions.ensure_claim(tasks[0], person, github)
    assert created and claim.history.get().actor_label == "github"
    assert transitions.ensure_claim(tasks[0], person, github) == (claim, False)
    transitions.ensure_claim(tasks[2], person, github)
    found = transitions.find_claims(edition, "octo-cat", numbers)
    assert [c.task.number for c in found] == [1, 3]


def test_staff_choose_the_completing_claim(edition, tasks):
    staff = StaffFactory()
    first, second = ClaimFactory(task=tasks[0]), ClaimFactory(task=tasks[0])
    transitions.advance_claim(first, S.COMPLETED, staff)
    transitions.set_completing_claim(tasks[0], second, staff, "better PR")
    tasks[0].refresh_from_db()
    second.refresh_from_db()
    assert tasks[0].completed_claim == second and second.state == S.COMPLETED


def test_claim_list_is_capped():
    numbers, errors = parse_task_numbers(",".join(f"{n}-{n + 98}" for n in range(1, 50_000, 99)))
    assert len(numbers) == MAX_NUMBERS_PER_CLAIM
    assert errors and "At most" in errors[-1][1]


def test_webhook_events_are_idempotent(edition, tasks):
    claim = ClaimFactory(task=tasks[0])
    github = Actor.system("github")
    url = "https://github.com/PaddlePaddle/Paddle/pull/9"
    for _ in range(2):
        transitions.record_pull_request(claim, url, github)
    for _ in range(2):
        transitions.record_pull_request(claim, url, github, merged=True)
    claim.refresh_from_db()
    assert claim.state == S.COMPLETED and claim.pull_requests.get().merged
    assert list(claim.history.values_list("to_state", flat=True)) == [4, 6]
