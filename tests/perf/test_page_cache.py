"""The anonymous page cache (pfcc/cache.py): served from memory, never for signed-in users,
keyed by language, invalidated at once by every change that shows on a page."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from blog import transitions as blog_services
from blog.models import Post
from camp import transitions as camp_transitions
from camp.models import CampApplication, TechTalk
from common import cache
from hackathon import transitions as hackathon_transitions
from hackathon.models import Claim, Edition, Result
from membership import transitions as pfcc_services
from pfcc.models import Person
from tests.blog.factories import PostFactory
from tests.factories import PersonFactory, UserFactory
from tests.membership.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@contextmanager
def sql_counter():
    """Counts SQL statements without logging them (logging queries turns the cache off)."""
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def page(client, url, **extra) -> str:
    return get(client, url, **extra).content.decode()


# --- served from memory -------------------------------------------------------------------------


def test_a_second_anonymous_visit_costs_no_query(client):
    PostFactory(title="Cached post")
    first = get(client, "/blog/")
    with sql_counter() as statements:
        second = get(Client(HTTP_ACCEPT_LANGUAGE="en"), "/blog/")
    assert statements == []
    assert second.content == first.content and "Cached post" in second.content.decode()
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "no-cache"


def test_conditional_get_answers_304(client):
    PostFactory()
    etag = get(client, "/blog/")["ETag"]
    response = client.get("/blog/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    modified = get(client, "/blog/")["Last-Modified"]
    assert client.get("/blog/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # a change gives the page a new ETag: the browser gets the new page
    PostFactory(title="Brand new")
    response = client.get("/blog/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "Brand new" in response.content.decode()


def test_pages_are_cached_per_language(client):
    PostFactory()
    english = page(client, "/blog/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = page(client, "/blog/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'lang="en"' in english and "Read more" in english
    assert 'lang="zh-hans"' in chinese and "阅读全文" in chinese
    assert page(client, "/blog/", HTTP_ACCEPT_LANGUAGE="en") == english
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in page(client, "/blog/", HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_query_strings_are_separate_pages(client):
    PostFactory(title="Needle in a haystack")
    PostFactory(title="Other")
    assert "Needle" in page(client, "/search/?q=Needle")
    found = page(client, "/search/?q=Other")
    assert "Other" in found and "Needle in a haystack" not in found


# --- never for signed-in users ------------------------------------------------------------------


def test_signed_in_users_never_get_a_cached_page(client):
    PostFactory()
    page(Client(HTTP_ACCEPT_LANGUAGE="en"), "/blog/")  # an anonymous visitor fills the cache
    user = UserFactory(name="Signed In Sam")
    client.force_login(user)
    with sql_counter() as statements:
        content = page(client, "/blog/")
    assert statements, "a signed-in page is rendered, not served from memory"
    assert "Signed In Sam" in content and "Log out" in content


def test_signed_in_users_never_fill_the_cache(client):
    PostFactory()
    client.force_login(UserFactory(name="Private Pat"))
    assert "Private Pat" in page(client, "/blog/")
    assert len(cache.pages) == 0
    anonymous = page(Client(HTTP_ACCEPT_LANGUAGE="en"), "/blog/")
    assert "Private Pat" not in anonymous and "Log in" in anonymous


def test_a_page_with_a_message_is_not_served_from_the_cache(client):
    PostFactory()
    page(Client(HTTP_ACCEPT_LANGUAGE="en"), "/")
    client.cookies["messages"] = "anything"
    with sql_counter() as statements:
        page(client, "/")
    assert statements


def test_responses_that_set_cookies_or_are_private_are_not_stored():
    request = RequestFactory().get("/somewhere/")
    middleware = cache.AnonymousPageCacheMiddleware(lambda r: HttpResponse("x"))

    def stored(make_response):
        cache.pages.clear()
        cache.AnonymousPageCacheMiddleware(lambda r: make_response())(request)
        return len(cache.pages)

    def with_cookie():
        response = HttpResponse("csrf form")
        response.set_cookie("csrftoken", "secret")
        return response

    def private():
        response = HttpResponse("mine")
        response["Cache-Control"] = "private"
        return response

    assert stored(lambda: HttpResponse("public")) == 1
    assert stored(with_cookie) == 0
    assert stored(private) == 0
    assert stored(lambda: HttpResponse("gone", status=404)) == 0
    assert middleware  # constructed without error


def test_a_cached_page_carries_no_csrf_token_and_its_language_form_works(client):
    PostFactory()
    cached = page(Client(HTTP_ACCEPT_LANGUAGE="en"), "/blog/")
    assert "csrfmiddlewaretoken" not in cached and 'action="/i18n/setlang/"' in cached
    visitor = Client(
        enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en"
    )  # a new visitor: no cookie, no token
    assert page(visitor, "/blog/") == cached
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/blog/"})
    assert response.status_code == 302 and response["Location"] == "/blog/"
    assert visitor.cookies["django_language"].value == "en"
    assert 'lang="en"' in page(visitor, "/blog/")


def test_other_posts_still_need_a_csrf_token(client):
    user = UserFactory()
    visitor = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    visitor.force_login(user)
    assert visitor.post("/members/profile/", {"public_profile": "on"}).status_code == 403


# --- invalidated at once ------------------------------------------------------------------------


def test_a_post_edit_shows_at_once(client):
    post = PostFactory(title="Old title", slug="edited")
    assert "Old title" in page(client, "/blog/")
    assert "Old title" in page(client, "/blog/edited/")
    post.title = "New title"
    post.body = "A new body.\n\nWith **news**."
    post.save()  # what the admin does
    assert "New title" in page(client, "/blog/")
    detail = page(client, "/blog/edited/")
    assert "New title" in detail and "<strong>news</strong>" in detail
    assert "New title" in page(client, "/blog/feed.rss")


def test_publishing_and_withdrawing_a_post_shows_at_once(client, staff_user):
    post = PostFactory(title="Draft news", state=Post.State.DRAFT)
    assert "Draft news" not in page(client, "/blog/")
    blog_services.publish(post, staff_user)
    assert "Draft news" in page(client, "/blog/")
    blog_services.unpublish(post, staff_user)
    assert "Draft news" not in page(client, "/blog/")
    assert client.get(f"/blog/{post.slug}/").status_code == 404


def test_an_author_rename_shows_at_once(client):
    author = PersonFactory(name="Ann Author")
    PostFactory(slug="by-ann", authors=[author])
    assert "Ann Author" in page(client, "/blog/by-ann/")
    Person.objects.filter(pk=author.pk).update(name="Ann Renamed")  # no signal: still seen
    assert "Ann Renamed" in page(client, "/blog/by-ann/")


def test_a_new_claim_and_a_state_change_show_at_once(client, edition, tasks, contributor):
    board = "/hackathon/7/tasks/"
    assert "gh-alice" not in page(client, board)
    outcome = hackathon_transitions.claim_tasks(edition, contributor, "1")
    assert outcome.claimed
    assert "gh-alice" in page(client, board)
    progress = page(client, "/hackathon/7/progress/")
    claim = Claim.objects.get(person__github="gh-alice")
    hackathon_transitions.record_pull_request(
        claim, "https://github.com/PaddlePaddle/Paddle/pull/1", contributor
    )
    assert page(client, board) != board and "state-4" in page(client, board)
    assert page(client, "/hackathon/7/progress/") != progress


def test_published_results_show_at_once(client, edition, staff_user):
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    winner = PersonFactory(github="the-winner")
    Result.objects.create(
        edition=edition,
        person=winner,
        rank=1,
        completed_tasks=2,
        task_numbers=[1, 2],
        stars=Decimal("3"),
        reward=Decimal("6000"),
    )
    assert "the-winner" not in page(client, "/hackathon/7/results/")
    hackathon_transitions.publish_results(edition, staff_user)
    assert "the-winner" in page(client, "/hackathon/7/results/")


def test_the_member_directory_changes_at_once(client):
    user = UserFactory()
    person = PersonFactory(github="shy-member", user=user, public_profile=False)
    MembershipFactory(person=person)
    assert "shy-member" not in page(client, "/members/")
    pfcc_services.set_public_profile(user, True)
    assert "shy-member" in page(client, "/members/")
    pfcc_services.set_public_profile(user, False)
    assert "shy-member" not in page(client, "/members/")


def test_camp_changes_show_at_once(client, camp):
    url = camp.cohort.get_absolute_url()
    newcomer = PersonFactory(github="new-mentee")
    application = CampApplication.objects.create(
        cohort=camp.cohort, applicant=newcomer, first_choice=camp.project
    )
    assert "new-mentee" not in page(client, url)
    camp_transitions.lock_mentee(
        application, camp.users["staff"], camp.project, [camp.persons["mentor"]]
    )
    assert "new-mentee" in page(client, url)
    TechTalk.objects.create(cohort=camp.cohort, date=timezone.localdate(), title="Talk on XPU")
    assert "Talk on XPU" in page(client, url)
    camp.project.mentors.add(PersonFactory(github="added-mentor"))  # an m2m change
    assert "added-mentor" in page(client, url)


def test_another_process_sees_a_change_when_it_commits(client, django_capture_on_commit_callbacks):
    """A write made by another process: this process's page stays valid until the writer's
    transaction commits, then the shared stamp moves and the page is rendered again."""
    post = PostFactory(title="Before commit")
    assert "Before commit" in page(client, "/blog/")
    cache.pages.filled_since_bump = False  # the writer has cached nothing itself
    # The writer's transaction is a new one (the test's own has bumps pending from its setup).
    connection.run_on_commit = [
        entry for entry in connection.run_on_commit if entry[1] is not cache._bump_on_commit
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Post.objects.filter(pk=post.pk).update(title="After commit")
        Post.objects.filter(pk=post.pk).update(title="After commit!")
        assert "Before commit" in page(client, "/blog/")  # not committed yet
    assert len(callbacks) == 1  # one bump per transaction
    assert "After commit!" in page(client, "/blog/")


def test_private_tables_do_not_invalidate(client):
    PostFactory()
    page(client, "/blog/")
    cache.pages.filled_since_bump = True
    before = cache.stamp.read()
    UserFactory()  # accounts are not shown on public pages
    assert cache.stamp.read() == before
    PersonFactory()
    assert cache.stamp.read() != before


def test_pages_expire(client, settings):
    PostFactory()
    page(client, "/blog/")
    settings.PFCC_PAGE_CACHE_SECONDS = 0
    with sql_counter() as statements:
        page(client, "/blog/")
    assert statements


def test_writes_are_recognised():
    assert cache.writes_public_data('INSERT INTO "blog_post" ("title") VALUES (%s)')
    assert cache.writes_public_data('UPDATE "hackathon_claim" SET "state" = 4')
    assert cache.writes_public_data('DELETE FROM "camp_project_mentors" WHERE 1')
    assert cache.writes_public_data('TRUNCATE "blog_post", "pfcc_person";')
    assert not cache.writes_public_data('UPDATE "pfcc_user" SET "last_login" = now()')
    assert not cache.writes_public_data('INSERT INTO "django_session" VALUES (1)')
    assert not cache.writes_public_data('SELECT * FROM "blog_post" FOR UPDATE')


def test_time_based_changes_show_within_the_page_lifetime(client, settings):
    """A scheduled post appears at its time, at most PFCC_PAGE_CACHE_SECONDS later."""
    import time

    # A process's first page loads the URLconf and compiles templates (seconds on a busy
    # machine): warm up first, so that the page below is rendered before the post goes live.
    page(client, "/blog/")
    settings.PFCC_PAGE_CACHE_SECONDS = 0.2
    time.sleep(0.3)
    PostFactory(title="Scheduled", publish_at=timezone.now() + timedelta(seconds=1))
    assert "Scheduled" not in page(client, "/blog/")
    time.sleep(1.3)
    assert "Scheduled" in page(client, "/blog/")


def test_a_shared_stamp_is_read_at_most_every_interval(settings, tmp_path):
    """With a shared cache (Redis in production; a file cache here) a process reads the stamp
    at most every PFCC_PAGE_CACHE_STAMP_INTERVAL seconds; its own bumps it sees at once."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    settings.PFCC_PAGE_CACHE_STAMP_CACHE = "shared"
    settings.PFCC_PAGE_CACHE_STAMP_INTERVAL = 0.3
    stamp = cache.Stamp()
    first = stamp.read()
    stamp.bump()
    mine = stamp.read()
    assert mine != first  # this process's own change: at once
    caches["shared"].incr(cache.STAMP_KEY)  # another process's change
    assert stamp.read() == mine
    import time

    time.sleep(0.35)
    assert stamp.read() != mine


@pytest.mark.django_db
def test_a_page_embedding_a_visitors_csrf_token_is_not_stored():
    """A visitor who already has a CSRF cookie gets no Set-Cookie, but a page with a form still
    carries their token: it must not be served to anyone else."""
    from django.middleware.csrf import get_token

    def form_page(request):
        token = get_token(request)
        return HttpResponse(
            f'<form method="post"><input name="csrfmiddlewaretoken" value="{token}"></form>'
        )

    request = RequestFactory().get("/form/")
    request.COOKIES["csrftoken"] = "a" * 32
    cache.pages.clear()
    cache.AnonymousPageCacheMiddleware(form_page)(request)
    assert len(cache.pages) == 0
