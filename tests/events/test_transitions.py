"""Registration, the waiting list, cancellation, promotion and check-in: each change, by each
kind of actor, with its history, its e-mail and the event's seat counts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.transitions import Actor, NotAllowed, TransitionError
from events import transitions
from events.models import Answer, Event, Registration, RegistrationChange
from pfcc.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory

from .factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
State = Registration.State


def register(event, user, **kwargs):
    kwargs.setdefault("name", user.display_name)
    kwargs.setdefault("email", user.email)
    kwargs.setdefault("language", "en")
    return transitions.register(event, user, **kwargs)


def mails_to(address):
    return [mail for mail in OutgoingEmail.objects.order_by("pk") if address in mail.to]


def counts(event):
    event.refresh_from_db()
    return event.seats_taken, event.waiting_count


def actions(registration):
    return list(registration.history.values_list("action", "from_state", "to_state"))


def test_a_free_seat_registers_and_confirms_by_mail(event, people):
    registration = register(event, people[0])
    assert registration.state == State.REGISTERED
    assert counts(event) == (1, 0)
    assert actions(registration) == [("register", "", "registered")]
    [mail] = mails_to(people[0].email)
    assert "You are registered: Beijing meetup" in mail.subject
    assert "/events/meetup/" in mail.body and "/events/meetup/event.ics" in mail.body


def test_a_full_event_puts_people_on_the_waiting_list_in_order(event, people):
    for user in people[:2]:
        register(event, user)
    third, fourth = register(event, people[2]), register(event, people[3])
    assert (third.state, fourth.state) == (State.WAITLISTED, State.WAITLISTED)
    assert counts(event) == (2, 2)
    assert actions(third) == [("join_waiting_list", "", "waitlisted")]
    assert "number 2" in mails_to(people[3].email)[0].body
    assert "On the waiting list" in mails_to(people[2].email)[0].subject


def test_cancelling_a_seat_promotes_the_first_in_line_and_emails_them(event, people):
    first, _second = register(event, people[0]), register(event, people[1])
    waiting = [register(event, user) for user in people[2:]]

    transitions.cancel(first, people[0])

    first.refresh_from_db()
    for registration in waiting:
        registration.refresh_from_db()
    assert first.state == State.CANCELLED
    assert [r.state for r in waiting] == [State.REGISTERED, State.WAITLISTED]
    assert counts(event) == (2, 1)
    assert actions(waiting[0])[-1] == ("promote", "waitlisted", "registered")
    assert waiting[0].history.last().actor_label == "waiting list"
    promoted = mails_to(people[2].email)[-1]
    assert "A seat is yours: Beijing meetup" in promoted.subject
    assert "Registration cancelled" in mails_to(people[0].email)[-1].subject
    # The one still waiting got no new e-mail.
    assert len(mails_to(people[3].email)) == 1


def test_leaving_the_waiting_list_promotes_nobody(event, people):
    for user in people[:2]:
        register(event, user)
    waiting = register(event, people[2])
    transitions.cancel(waiting, people[2])
    assert counts(event) == (2, 0)
    assert Registration.objects.filter(state=State.REGISTERED).count() == 2


def test_one_live_registration_per_person_and_a_new_one_after_cancelling(event, people):
    registration = register(event, people[0])
    with pytest.raises(transitions.AlreadyRegistered):
        register(event, people[0])
    transitions.cancel(registration, people[0])
    again = register(event, people[0])
    assert again.pk != registration.pk and again.state == State.REGISTERED
    assert counts(event) == (1, 0)


def test_answers_are_stored_with_the_registration(event, people):
    question = QuestionFactory(event=event, label="Which topic?")
    registration = register(event, people[0], answers=[(question, "框架开发")])
    answer = Answer.objects.get(registration=registration)
    assert (answer.question, answer.question_label, answer.value) == (
        question,
        "Which topic?",
        "框架开发",
    )
    question.delete()  # staff drop the question later: the answer keeps its text
    answer.refresh_from_db()
    assert answer.question is None and answer.question_label == "Which topic?"


@pytest.mark.parametrize(
    "change",
    [
        {"state": Event.State.DRAFT},
        {"state": Event.State.CANCELLED},
        {"registration_enabled": False},
        {"registration_closes_at": timezone.now() - timedelta(minutes=1)},
        {
            "starts_at": timezone.now() - timedelta(hours=1),
            "ends_at": timezone.now() + timedelta(hours=1),
        },
    ],
    ids=["draft", "cancelled", "no registration", "closed", "started"],
)
def test_registration_is_refused_when_closed(event, people, change):
    Event.objects.filter(pk=event.pk).update(**change)
    with pytest.raises(transitions.RegistrationClosed):
        register(event, people[0])
    assert not Registration.objects.exists()


def test_visitors_cannot_register(event):
    with pytest.raises(NotAllowed):
        transitions.register(event, AnonymousUser(), name="x", email="x@example.org")


def test_nobody_cancels_someone_elses_registration(event, people):
    registration = register(event, people[0])
    with pytest.raises(NotAllowed):
        transitions.cancel(registration, people[1])
    registration.refresh_from_db()
    assert registration.state == State.REGISTERED and counts(event) == (1, 0)


def test_after_the_start_only_staff_cancel_and_nobody_is_promoted(event, people):
    for user in people[:3]:
        register(event, user)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    first = Registration.objects.get(user=people[0])
    with pytest.raises(TransitionError) as refused:
        transitions.cancel(first, people[0])
    assert refused.value.code == "started"
    transitions.cancel(first, StaffFactory(), note="No-show replaced.")
    assert counts(event) == (1, 1)  # the seat stays free: the event is under way
    assert Registration.objects.get(user=people[2]).state == State.WAITLISTED
    assert "PFCC staff cancelled" in mails_to(people[0].email)[-1].body


def test_staff_check_people_in_and_undo(event, people):
    staff = StaffFactory()
    registration = register(event, people[0])
    with pytest.raises(NotAllowed):
        transitions.check_in(registration, people[0])
    transitions.check_in(registration, staff)
    registration.refresh_from_db()
    assert registration.state == State.ATTENDED and registration.checked_in_at is not None
    assert counts(event) == (1, 0)  # an attendee still holds the seat
    with pytest.raises(TransitionError):
        transitions.check_in(registration, staff)
    with pytest.raises(TransitionError):
        transitions.cancel(registration, people[0])
    transitions.undo_check_in(registration, staff)
    registration.refresh_from_db()
    assert registration.state == State.REGISTERED and registration.checked_in_at is None
    assert [a for a, _f, _t in actions(registration)] == ["register", "check_in", "undo_check_in"]
    assert registration.history.get(action="check_in").actor == staff


def test_people_on_the_waiting_list_are_not_checked_in(event, people):
    for user in people[:3]:
        register(event, user)
    waiting = Registration.objects.get(user=people[2])
    with pytest.raises(TransitionError):
        transitions.check_in(waiting, StaffFactory())


def test_raising_the_capacity_moves_the_waiting_list_up(event, people):
    for user in people:
        register(event, user)
    Event.objects.filter(pk=event.pk).update(capacity=3)
    event.refresh_from_db()
    with pytest.raises(NotAllowed):
        transitions.fill_from_waitlist(event, people[0])
    promoted = transitions.fill_from_waitlist(event, StaffFactory())
    assert [r.user for r in promoted] == [people[2]]
    assert counts(event) == (3, 1)
    Event.objects.filter(pk=event.pk).update(capacity=None)
    transitions.fill_from_waitlist(event, Actor.system())
    assert counts(event) == (4, 0)


def test_staff_promote_by_hand_only_into_a_free_seat(event, people):
    for user in people[:3]:
        register(event, user)
    waiting = Registration.objects.get(user=people[2])
    with pytest.raises(TransitionError) as refused:
        transitions.promote(waiting, StaffFactory())
    assert refused.value.code == "full"
    with pytest.raises(NotAllowed):
        transitions.promote(waiting, people[2])


def test_publishing_and_cancelling_an_event(people):
    staff = StaffFactory()
    event = EventFactory(state=Event.State.DRAFT, title="Talk")
    with pytest.raises(NotAllowed):
        transitions.publish(event, people[0])
    transitions.publish(event, staff)
    register(event, people[0])
    register(event, people[1])
    transitions.cancel(Registration.objects.get(user=people[1]), people[1])
    transitions.cancel_event(event, staff, note="The venue is closed.")
    event.refresh_from_db()
    assert event.state == Event.State.CANCELLED
    assert list(event.history.values_list("action", flat=True)) == ["publish", "cancel"]
    mail = mails_to(people[0].email)[-1]
    assert "Cancelled: Talk" in mail.subject and "The venue is closed." in mail.body
    # Who had already cancelled is not told again.
    assert "Cancelled: Talk" not in mails_to(people[1].email)[-1].subject
    with pytest.raises(transitions.RegistrationClosed):
        register(event, people[2])


def test_the_database_refuses_two_live_registrations_of_one_account(event, people):
    RegistrationFactory(event=event, user=people[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, user=people[0], name="x", email="x@example.org", state=State.WAITLISTED
        )
    # A cancelled one does not count.
    Registration.objects.create(
        event=event, user=people[0], name="x", email="x@example.org", state=State.CANCELLED
    )


def test_the_database_refuses_more_seats_than_the_capacity(event):
    Event.objects.filter(pk=event.pk).update(seats_taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=3)


def test_saving_a_stale_copy_keeps_the_seat_counts(event, people):
    stale = Event.objects.get(pk=event.pk)
    register(event, people[0])
    stale.title = "Renamed"
    stale.save()
    assert counts(event) == (1, 0)
    assert event.title == "Renamed"


def test_the_description_is_rendered_on_save_and_the_sequence_follows_the_schedule(event):
    assert "<h2" in event.description_html and "<em>questions</em>" in event.description_html
    assert event.sequence == 0
    event.description = "**New** text <script>alert(1)</script>"
    event.save()
    assert "<strong>New</strong>" in event.description_html
    assert "<script>" not in event.description_html
    assert event.sequence == 0  # the text is not the schedule
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event.save()
    event.refresh_from_db()
    assert event.sequence == 1


def test_registration_uses_the_users_identity_not_the_forms(event):
    user = UserFactory()
    registration = register(event, user, name="  Li Lei  ", email="other@example.org")
    assert registration.user == user
    assert (registration.name, registration.email) == ("Li Lei", "other@example.org")
    assert RegistrationChange.objects.get(registration=registration).actor == user
