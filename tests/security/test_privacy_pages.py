"""Applicants' contact details, statements and résumés: staff see them (and the applicant
their own); nobody else, on any page (the permission matrix checks every route for leaks)."""

import pytest
from django.test import Client
from django.urls import reverse

from .test_permission_matrix import _body
from .world import APPLICANT_SECRETS, ROLES, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return build_world()


def _get(world, role, url):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client.get(url)


def test_staff_see_what_applicants_sent(world):
    """The markers the matrix looks for are real: staff pages do show them."""
    admin = _get(
        world,
        "staff",
        reverse(
            "admin:membership_membershipapplication_change", args=[world.membership_application.pk]
        ),
    ).content.decode()
    for secret in ("applicant-private@example.org", "wechat-applicant-secret"):
        assert secret in admin
    camp = _get(world, "staff", reverse("camp:applications", args=[world.cohort.slug]))
    assert "camp-statement-secret" in camp.content.decode()
    resume = _get(world, "staff", reverse("camp:resume", args=[world.camp_application.pk]))
    assert b"resume-secret-marker" in _body(resume)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "staff"])
def test_nobody_else_reaches_them(world, role):
    urls = [
        reverse("camp:resume", args=[world.camp_application.pk]),
        reverse("camp:applications", args=[world.cohort.slug]),
        reverse(
            "admin:membership_membershipapplication_change", args=[world.membership_application.pk]
        ),
        reverse("admin:camp_campapplication_change", args=[world.camp_application.pk]),
        reverse("pfcc:person", args=[world.persons["applicant"].github]),
        reverse("membership:directory") + "?q=applicant",
    ]
    for url in urls:
        response = _get(world, role, url)
        body = _body(response)
        assert b"resume-secret-marker" not in body, url
        if role != "applicant":
            for secret in APPLICANT_SECRETS:
                assert secret.encode() not in body, (url, secret)


def test_the_applicant_sees_their_own_application(world):
    body = _get(world, "applicant", reverse("membership:status")).content.decode()
    assert "membership-statement-secret" in body or "applicant-private@example.org" in body
