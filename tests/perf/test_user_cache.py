"""Signed-in pages kept per user (common/usercache.py): the same user's second visit is served
from memory; another user, another language, a message or any write to the database gets a
freshly rendered page."""

from contextlib import contextmanager

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from camp import transitions as camp_transitions
from camp.models import Report
from common import usercache
from tests.camp.factories import ReportFactory
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_user_cache():
    usercache.store.clear()
    yield
    usercache.store.clear()


@contextmanager
def sql_counter():
    """Counts SQL statements without logging them (logging queries turns the cache off)."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


def signed_in(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def rendered_statements(client, url) -> int:
    with sql_counter() as statements:
        page(client, url)
    return len(statements)


def test_a_second_visit_of_the_same_user_is_served_from_memory(camp):
    client = signed_in(camp.users["mentee"])
    page(client, "/camp/me/")  # hands out the CSRF cookie
    with sql_counter() as rendering:
        first = page(client, "/camp/me/")
    with sql_counter() as statements:
        again = page(client, "/camp/me/")
    assert again == first  # the same CSRF token too: it belongs to the same cookie
    rendered = len(rendering)
    # Only the session and the signed-in user are read (the middleware's part of every page).
    assert len(statements) == 2 < rendered


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("ta", "/camp/9th/checklist/"),
        ("mentor", "/camp/reviews/"),
        ("mentee", "/account/"),
    ],
)
def test_other_pages_are_kept_too(camp, role, url):
    client = signed_in(camp.users[role])
    page(client, url)
    page(client, url)
    assert rendered_statements(client, url) == 2


def test_another_user_never_gets_the_first_users_page(camp):
    mine = page(signed_in(camp.users["mentee"]), "/camp/me/")
    mine = page(signed_in(camp.users["mentee"]), "/camp/me/")
    theirs = page(signed_in(camp.users["other_mentee"]), "/camp/me/")
    me = f'href="{camp.persons["mentee"].get_absolute_url()}"'
    other = f'href="{camp.persons["other_mentee"].get_absolute_url()}"'
    assert me in mine and other not in mine
    assert other in theirs and me not in theirs


def test_each_language_is_its_own_page(camp):
    client = signed_in(camp.users["mentee"])
    page(client, "/camp/me/")
    english = page(client, "/camp/me/")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    chinese = page(client, "/camp/me/")
    assert 'lang="en"' in english and 'lang="zh-hans"' in chinese


def test_a_write_shows_on_the_next_visit(camp):
    """The mentor's queue after a mentee submits a report: the write bumps the stamp."""
    client = signed_in(camp.users["mentor"])
    page(client, "/camp/reviews/")
    assert "No report is waiting for your review." in page(client, "/camp/reviews/")
    report = ReportFactory(mentorship=camp.mentorship, state=Report.State.DRAFT)
    camp_transitions.submit_report(report, camp.users["mentee"])
    assert "No report is waiting for your review." not in page(client, "/camp/reviews/")


def test_a_write_in_another_process_shows_on_the_next_visit(camp):
    client = signed_in(camp.users["mentor"])
    page(client, "/camp/reviews/")
    page(client, "/camp/reviews/")
    usercache.UserStamp().bump()  # as another process does after its commit
    assert rendered_statements(client, "/camp/reviews/") > 2


def test_a_role_taken_away_is_refused_at_once(camp):
    client = signed_in(camp.users["ta"])
    page(client, "/camp/9th/checklist/")
    page(client, "/camp/9th/checklist/")
    camp.cohort.teaching_assistants.remove(camp.persons["ta"])
    assert client.get("/camp/9th/checklist/").status_code == 403


def test_a_page_with_a_message_is_neither_served_nor_kept(camp, rf):
    client = signed_in(camp.users["mentee"])
    page(client, "/camp/me/")
    page(client, "/camp/me/")
    # A message waiting in its cookie, as a redirect after a change leaves one.
    storage = CookieStorage(rf.get("/"))
    storage.add(constants.SUCCESS, "Report saved.")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    assert "Report saved." in page(client, "/camp/me/")
    assert "Report saved." not in page(client, "/camp/me/")  # shown once, never stored


def test_without_a_csrf_cookie_nothing_is_kept(camp):
    client = signed_in(camp.users["mentee"])
    page(client, "/camp/me/")
    page(client, "/camp/me/")
    del client.cookies["csrftoken"]
    assert rendered_statements(client, "/camp/me/") > 2
    assert len(usercache.store) == 1  # only the visit that had the cookie


def test_the_admin_list_is_kept_until_a_change(camp):
    staff = StaffFactory()
    client = signed_in(staff)
    page(client, "/admin/camp/report/")
    report = ReportFactory(mentorship=camp.mentorship, state=Report.State.DRAFT)
    page(client, "/admin/camp/report/")
    assert rendered_statements(client, "/admin/camp/report/") == 2
    report.delete()
    assert rendered_statements(client, "/admin/camp/report/") > 2


def test_switched_off_by_the_setting(camp, settings):
    settings.PFCC_USER_CACHE = False
    client = signed_in(camp.users["mentee"])
    page(client, "/camp/me/")
    page(client, "/camp/me/")
    assert rendered_statements(client, "/camp/me/") > 2
