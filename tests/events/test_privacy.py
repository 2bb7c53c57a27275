"""Registrations and their answers are private: their e-mail addresses and answers reach staff
and the registrant, on every page of the site that could show them, and nobody else."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.test_permission_matrix import MATRIX, world  # noqa: F401 - fixture
from tests.security.world import ROLES

from .world import REGISTRANT_SECRETS

pytestmark = pytest.mark.django_db
MAY_SEE = {"staff", "contributor"}  # the contributor is the registrant
ROUTES = [key for key in MATRIX if key.startswith(("events:", "pfcc:"))]


def test_registrant_details_reach_only_staff_and_the_registrant(world):  # noqa: F811
    client = Client(raise_request_exception=False)
    leaks, seen_by = [], set()
    for key in ROUTES:
        for case in MATRIX[key]:
            if case.method != "get":
                continue
            url = reverse(case.route, kwargs=case.kwargs(world)) + case.query
            for role in ROLES:
                client.logout()
                if world.users[role] is not None:
                    client.force_login(world.users[role])
                body = client.get(url).content.decode("utf-8", "replace")
                for secret in REGISTRANT_SECRETS:
                    if secret in body:
                        seen_by.add((role, secret))
                        if role not in MAY_SEE:
                            leaks.append(f"{url} as {role} shows {secret}")
    assert leaks == []
    # The check can fail: staff see both in the export, the registrant in their data download.
    assert {("staff", s) for s in REGISTRANT_SECRETS} <= seen_by
    assert {("contributor", s) for s in REGISTRANT_SECRETS} <= seen_by
