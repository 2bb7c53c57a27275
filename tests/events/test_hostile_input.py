"""Hostile input (hypothesis) through the events forms and query parameters: never a 500, and
nothing changes but what the form is for (tests/security/test_hostile_input.py's rules)."""

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from events.models import Question
from tests.security.test_hostile_input import FAST, client_for, form, submit, text
from tests.security.world import build_world

from .world import add_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    world = add_events(build_world())
    event = world.event
    world.objects["choice"] = Question.objects.create(
        event=event, label="Topic?", kind=Question.Kind.CHOICE, choices="A\nB"
    )
    world.objects["yes_no"] = Question.objects.create(
        event=event, label="Parking?", kind=Question.Kind.YES_NO
    )
    return world


def test_the_registration_form(world):
    client = client_for(world.users["mentor"])
    url = reverse("events:register", args=[world.event.slug])
    fields = ("name", "email", f"q{world.event_question.pk}", f"q{world.choice.pk}")
    fields += (f"q{world.yes_no.pk}",)

    @FAST
    @example(data={"name": "Li", "email": "li@example.org", f"q{world.choice.pk}": "A",
                   f"q{world.yes_no.pk}": "no"})  # fmt: skip
    @given(data=form(*fields))
    def run(data):
        submit(client, "post", url, data, {"registrations", "events"})

    run()


def test_cancel_and_check_in(world):
    registrant = client_for(world.users["contributor"])
    staff = client_for(world.users["staff"])
    cancel = reverse("events:cancel", args=[world.event.slug])
    check_in = reverse("events:check_in", args=[world.event.slug, world.event_registration.pk])

    @FAST
    @given(data=form("action", "q", "next"))
    def run(data):
        submit(registrant, "post", cancel, data, {"registrations", "events"})
        response = submit(staff, "post", check_in, data, {"registrations"})
        assert response.status_code in (302, 400)  # 400: a NUL in the form

    run()


def test_query_parameters(world):
    staff = client_for(world.users["staff"])
    visitor = client_for(None)
    slug = world.event.slug
    urls = [
        (visitor, reverse("events:index")),
        (visitor, reverse("events:past")),
        (staff, reverse("events:check_in_list", args=[slug])),
    ]

    @FAST
    @given(q=text, page=text, which=st.integers(0, len(urls) - 1))
    def run(q, page, which):
        client, url = urls[which]
        response = submit(client, "get", url, {"q": q, "page": page})
        assert response.status_code == 200

    run()


@pytest.mark.parametrize("slug", ["%00", "..", "a" * 500, "中文", "-"])
def test_odd_addresses(client, slug):
    assert client.get(f"/events/{slug}/").status_code == 404
