"""Demo data (`seed_demo`) and the benchmark's rows (`seed_bench`): counts that match the rows."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from events.models import Event, Registration

pytestmark = pytest.mark.django_db


def counters_match():
    events = Event.objects.annotate(
        seats=Count("registrations", filter=Q(registrations__state__in=Registration.SEAT_STATES)),
        waiting=Count("registrations", filter=Q(registrations__state="waitlisted")),
    )
    return [
        event.slug
        for event in events
        if (event.seats, event.waiting) != (event.seats_taken, event.waiting_count)
    ]


def test_seed_demo_makes_every_kind_of_event_once(capsys):
    call_command("seed_demo")
    first = Event.objects.count()
    call_command("seed_demo")
    assert Event.objects.count() == first == 5
    assert counters_match() == []
    states = set(Event.objects.values_list("state", flat=True))
    assert states == {Event.State.PUBLISHED, Event.State.DRAFT}
    full = Event.objects.get(slug="code-reading")
    assert full.is_full and full.waiting_count == 1
    assert Event.objects.filter(recording_url__gt="").exists()
    assert Event.objects.get(slug="beijing-meetup").questions.count() == 3
    assert "<table>" in Event.objects.get(slug="beijing-meetup").description_html


def test_seed_bench_events(capsys):
    call_command("seed_bench", "--scale", "1")
    events = Event.objects.filter(slug__startswith="bench-")
    assert events.count() == 200
    assert events.filter(starts_at__gt=timezone.now()).count() == 100
    assert events.filter(recording_url__gt="").count() == 100
    big = Event.objects.get(slug="bench-e0")
    assert big.registrations.count() == 1000
    assert Registration.objects.filter(event__slug__startswith="bench-").count() > 5000
    assert counters_match() == []
    assert "200 events with" in capsys.readouterr().out
    call_command("seed_bench", "--scale", "1")
    assert "already present" in capsys.readouterr().out
