"""A standalone activity (快乐开源: a task set without an edition) has results of its own, with
the same machinery as an edition: staff compute and publish them (its own star value and cap),
the set's results page, CSV and JSON show them, certificates verify by code, each person may
object once, staff answer; person pages list them. Editions are unaffected."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from hackathon import transitions
from hackathon.models import (
    Certificate,
    ClaimState,
    Edition,
    Objection,
    Result,
    Task,
    TaskSet,
    TaskSetEvent,
)
from pfcc.models import OutgoingEmail
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.queries import assert_flat_queries

from .factories import ClaimFactory, EditionFactory

pytestmark = pytest.mark.django_db

URL = "/hackathon/sets/happy-open-source/results/"


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def happy(db):
    """快乐开源: ¥500 a star, at most ¥1,200 a person; tasks 1–4 of 1, 2, 3, 3 stars."""
    task_set = TaskSet.objects.create(
        slug="happy-open-source",
        name="快乐开源",
        title_tags="快乐开源",
        star_value=Decimal("500"),
        reward_cap=Decimal("1200"),
    )
    for number in range(1, 5):
        Task.objects.create(
            task_set=task_set, number=number, title=f"任务 {number}", difficulty=min(number, 3)
        )
    return task_set


def person(login):
    return PersonFactory(github=login, user=UserFactory(email=f"{login}@example.com"))


def complete(task_set, number, who, staff):
    claim = ClaimFactory(task=Task.objects.get(task_set=task_set, number=number), person=who)
    transitions.advance_claim(claim, ClaimState.COMPLETED, staff)


@pytest.fixture
def people(happy, staff):
    alice, bob = person("alice-gh"), person("bob-gh")
    complete(happy, 1, alice, staff)  # 1 star: ¥500
    complete(happy, 3, bob, staff)  # 3 stars: ¥1,500, capped at ¥1,200
    return {"alice": alice, "bob": bob}


@pytest.fixture
def published(happy, people, staff):
    transitions.publish_results(happy, staff)
    happy.refresh_from_db()
    return people


# --- Computing and publishing --------------------------------------------------------------


def test_results_follow_the_activitys_own_rule_and_cap(happy, people, staff):
    bob, alice = transitions.compute_results(happy, staff)
    assert (bob.person.github, bob.rank, bob.stars, bob.reward) == ("bob-gh", 1, 3, Decimal("1200"))
    assert (alice.rank, alice.reward) == (2, Decimal("500.00"))
    assert bob.by_set == [
        {"set": "happy-open-source", "name": "快乐开源", "tasks": [3], "stars": "3",
         "reward": "1500.00"}
    ]  # fmt: skip
    # 飞桨开源之星 are an edition's top three, not an activity's.
    assert not any(result.is_open_source_star for result in (alice, bob))
    assert all(r.task_set_id == happy.pk and r.edition_id is None for r in (alice, bob))
    assert TaskSetEvent.objects.filter(task_set=happy, action="compute_results").exists()


def test_without_a_cap_the_reward_is_stars_times_the_value(happy, people, staff):
    TaskSet.objects.filter(pk=happy.pk).update(reward_cap=None)
    happy.refresh_from_db()
    bob = transitions.compute_results(happy, staff)[0]
    assert bob.reward == Decimal("1500.00")


def test_publishing_issues_certificates_tells_everyone_and_closes_claims(happy, people, staff):
    transitions.publish_results(happy, staff)
    happy.refresh_from_db()
    assert happy.state == TaskSet.State.RESULTS_PUBLISHED and happy.results_published_at
    assert happy.objection_deadline > timezone.now()  # a week by default
    assert Certificate.objects.filter(result__task_set=happy).count() == 2
    told = OutgoingEmail.objects.filter(body__contains="/hackathon/sets/happy-open-source/results/")
    assert sorted(email.to[0] for email in told) == ["alice-gh@example.com", "bob-gh@example.com"]
    assert all("快乐开源" in email.subject for email in told)
    assert TaskSetEvent.objects.filter(task_set=happy, action="publish_results").exists()
    # Like an edition with published results: no more claims.
    assert not happy.accepts_claims
    with pytest.raises(transitions.TransitionError):
        transitions.claim_tasks(happy, people["alice"].user, "2")
    # Publishing again sends nothing more.
    before = OutgoingEmail.objects.count()
    transitions.publish_results(happy, staff)
    assert OutgoingEmail.objects.count() == before


def test_only_staff_compute_and_publish(happy, people):
    for who in (people["alice"].user, UserFactory()):
        with pytest.raises(transitions.NotAllowed):
            transitions.compute_results(happy, who)
        with pytest.raises(transitions.NotAllowed):
            transitions.publish_results(happy, who)
    assert not Result.objects.exists()


def test_an_activity_without_a_rule_and_an_editions_set_are_refused_clearly(db, staff):
    no_rule = TaskSet.objects.create(slug="zero-size", name="0-size Tensor")
    with pytest.raises(transitions.TransitionError, match="no reward rule"):
        transitions.compute_results(no_rule, staff)
    edition = EditionFactory(number=9, state=Edition.State.OPEN)
    sprint = TaskSet.objects.create(edition=edition, slug="h9-sprint", name="Sprint")
    with pytest.raises(transitions.TransitionError, match="results are the edition's"):
        transitions.publish_results(sprint, staff)
    edition.refresh_from_db()
    assert edition.state == Edition.State.OPEN and not Result.objects.exists()


def test_a_result_belongs_to_an_edition_or_an_activity_never_both(happy, people):
    edition = EditionFactory(number=9)
    values = {"rank": 1, "completed_tasks": 1, "stars": 1, "reward": 1}
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(edition=edition, task_set=happy, person=people["alice"], **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(person=people["alice"], **values)
    Result.objects.create(task_set=happy, person=people["alice"], **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(task_set=happy, person=people["alice"], **values)
    # The same person in an edition's results too.
    Result.objects.create(edition=edition, person=people["alice"], **values)


def test_an_editions_results_leave_the_activity_out(happy, published, staff):
    edition = EditionFactory(number=9, state=Edition.State.OPEN)
    main = TaskSet.main_of(edition)
    Task.objects.create(task_set=main, number=1, title="main")
    complete(main, 1, published["alice"], staff)
    (result,) = transitions.compute_results(edition, staff)
    assert result.by_set[0]["set"] == "hackathon-9" and result.reward == Decimal("2000.00")
    assert result.is_open_source_star
    assert Result.objects.filter(task_set=happy).count() == 2  # untouched


# --- Pages and exports ---------------------------------------------------------------------


def test_the_results_page_shows_the_published_table_rule_and_exports(client, published):
    html = client.get(URL).content.decode()
    table = html[html.index('data-testid="results"') :]
    assert table.index("bob-gh") < table.index("alice-gh")
    assert "1,200.00" in table and "500.00" in table
    assert 'data-testid="set-rule"' in html and "¥500" in html and "¥1,200" in html
    assert 'href="/hackathon/sets/happy-open-source/results.csv"' in html
    assert 'data-testid="deadline"' in html
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(URL[:-1] + ".csv").content.decode("utf-8-sig"), newline="")
        )
    )
    assert [(r["rank"], r["github"], r["reward"], r["set"]) for r in rows] == [
        ("1", "bob-gh", "1200.00", "happy-open-source"),
        ("2", "alice-gh", "500.00", "happy-open-source"),
    ]
    assert rows[0]["certificate"].startswith("http")
    data = json.loads(client.get(URL[:-1] + ".json").content)
    assert data["set"] == "happy-open-source" and data["edition"] is None
    assert (data["star_value"], data["reward_cap"]) == ("500.00", "1200.00")
    assert [r["github"] for r in data["results"]] == ["bob-gh", "alice-gh"]


def test_before_publishing_the_page_says_so_and_staff_see_a_preview(client, happy, people, staff):
    transitions.compute_results(happy, staff)
    html = client.get(URL).content.decode()
    assert 'data-testid="not-published"' in html and "bob-gh" not in html
    assert client.get(URL[:-1] + ".csv").status_code == 404
    assert client.get(URL[:-1] + ".json").status_code == 404
    client.force_login(staff)
    html = client.get(URL).content.decode()
    assert 'data-testid="preview"' in html and "bob-gh" in html


def test_the_page_in_both_languages(client, published):
    with translation.override("zh-hans"):
        zh = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "结果" in zh or "榜单" in zh
    assert "不属于任何一期黑客松" in zh
    with translation.override("en"):
        en = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "belongs to no hackathon edition" in en


def test_an_editions_set_export_leads_to_the_editions(client, db):
    edition = EditionFactory(number=9, state=Edition.State.RESULTS_PUBLISHED)
    sprint = TaskSet.objects.create(edition=edition, slug="h9-sprint", name="Sprint")
    response = client.get(f"/hackathon/sets/{sprint.slug}/results.json")
    assert response.status_code == 302
    assert response["Location"] == "/hackathon/9/results.json?set=h9-sprint"


def test_person_page_and_certificate(client, published):
    html = client.get("/people/bob-gh/").content.decode()
    assert 'href="/hackathon/sets/happy-open-source/results/" data-testid="person-result"' in html
    certificate = Certificate.objects.get(result__person=published["bob"])
    assert certificate.get_absolute_url() in html
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert 'data-testid="valid"' in page and 'data-testid="activity"' in page
    assert "快乐开源" in page and "bob-gh" in page
    # Read off paper: lower case and spaces are forgiven.
    typed = certificate.code.lower()[:4] + " " + certificate.code.lower()[4:]
    response = client.get(f"/hackathon/certificates/{typed}/", follow=True)
    assert response.status_code == 200 and "快乐开源" in response.content.decode()
    image = client.get(f"/hackathon/certificates/{certificate.code}/certificate.png")
    assert image.status_code in (200, 503)  # 503 names the missing CJK font
    if image.status_code == 200:
        assert image.content[:8] == b"\x89PNG\r\n\x1a\n"


# --- Objections ----------------------------------------------------------------------------


def test_a_person_objects_once_and_staff_answer_with_mail(client, published, staff, settings):
    settings.STAFF_NOTIFY_EMAILS = ["staff@example.com"]
    alice = published["alice"]
    client.force_login(alice.user)
    html = client.get(URL).content.decode()
    assert 'action="/hackathon/sets/happy-open-source/results/objection/"' in html
    response = client.post(URL + "objection/", {"text": "Task 2 was merged too."})
    assert response.status_code == 302 and response["Location"] == URL
    objection = Objection.objects.get()
    assert (objection.task_set, objection.edition, objection.person) == (
        TaskSet.objects.get(slug="happy-open-source"),
        None,
        alice,
    )
    assert OutgoingEmail.objects.filter(to=["staff@example.com"], subject__contains="快乐开源")
    assert objection.events.filter(action="file").exists()
    # Once per person per activity: a second one is refused with the reason.
    response = client.post(URL + "objection/", {"text": "again"}, follow=True)
    assert "already filed an objection for this activity" in response.content.decode()
    assert Objection.objects.count() == 1
    # Staff only answer, through the transition; the person is told.
    with pytest.raises(transitions.NotAllowed):
        transitions.answer_objection(objection, alice.user, "self-answer")
    transitions.answer_objection(objection, staff, "Task 2 counts; results recomputed.")
    mail = OutgoingEmail.objects.filter(to=["alice-gh@example.com"]).latest("pk")
    assert "Task 2 counts" in mail.body and URL in mail.body
    html = client.get(URL).content.decode()
    assert 'data-testid="objection-answer"' in html


def test_objections_refused_after_the_deadline_or_empty(client, published):
    client.force_login(published["alice"].user)
    response = client.post(URL + "objection/", {"text": "   "})
    assert response.status_code == 200 and not Objection.objects.exists()
    TaskSet.objects.filter(slug="happy-open-source").update(
        objection_deadline=timezone.now() - timedelta(days=1)
    )
    response = client.post(URL + "objection/", {"text": "late"}, follow=True)
    assert "The objection period ended" in response.content.decode()
    assert not Objection.objects.exists()


def test_objections_before_publishing_are_refused(client, happy, people):
    client.force_login(people["alice"].user)
    response = client.post(URL + "objection/", {"text": "too early"}, follow=True)
    assert "not published yet" in response.content.decode()
    assert not Objection.objects.exists()


def test_staff_answer_an_activitys_objection_in_the_admin(staff_client, published):
    objection = transitions.file_objection(
        TaskSet.objects.get(slug="happy-open-source"), published["alice"].user, "missing"
    )
    listing = staff_client.get("/admin/hackathon/objection/").content.decode()
    assert "快乐开源" in listing
    response = staff_client.post(
        f"/admin/hackathon/objection/{objection.pk}/change/",
        {"answer": "Checked: right.", "events-TOTAL_FORMS": 0, "events-INITIAL_FORMS": 0},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == Objection.State.ANSWERED


# --- Admin ---------------------------------------------------------------------------------


def test_staff_publish_from_the_task_set_admin_after_seeing_it(staff_client, happy, people):
    response = staff_client.post(
        "/admin/hackathon/taskset/",
        {"action": "publish_results", "_selected_action": [happy.pk]},
    )
    page = f"/admin/hackathon/taskset/{happy.pk}/publish/"
    assert response.status_code == 302 and response["Location"] == page
    html = staff_client.get(page).content.decode()
    assert "@bob-gh" in html and "bob-gh@example.com" in html and "快乐开源" in html
    happy.refresh_from_db()
    assert not happy.results_published
    staff_client.post(page, {"confirm": "yes"})
    happy.refresh_from_db()
    assert happy.results_published
    assert Certificate.objects.filter(result__task_set=happy).count() == 2


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_publish_actions_take_one_edition_or_activity_at_a_time(staff_client, happy, language):
    """Each is published on its own confirmation page: choosing two publishes nothing and says
    why, for editions and for activities alike."""
    other = TaskSet.objects.create(name="API 兼容", slug="api-compat", star_value=Decimal("1"))
    editions = [EditionFactory(), EditionFactory()]
    staff_client.cookies["django_language"] = language
    for changelist, chosen in (
        ("/admin/hackathon/taskset/", [happy.pk, other.pk]),
        ("/admin/hackathon/edition/", [edition.pk for edition in editions]),
    ):
        response = staff_client.post(
            changelist,
            {"action": "publish_results", "_selected_action": chosen},
            follow=True,
        )
        html = response.content.decode()
        expected = {"en": "each is published on its own page", "zh-hans": "单独的页面上公布"}[
            language
        ]
        assert response.status_code == 200 and expected in html, html[:2000]
    happy.refresh_from_db()
    assert not happy.results_published
    assert not any(edition.results.exists() for edition in editions)


def test_the_admin_refuses_an_editions_set_and_a_set_without_a_rule(staff_client, db):
    edition = EditionFactory(number=9)
    sprint = TaskSet.objects.create(edition=edition, slug="h9-sprint", name="Sprint")
    response = staff_client.get(f"/admin/hackathon/taskset/{sprint.pk}/publish/", follow=True)
    assert "results are the edition" in response.content.decode()
    no_rule = TaskSet.objects.create(slug="zero-size", name="0-size Tensor")
    response = staff_client.get(f"/admin/hackathon/taskset/{no_rule.pk}/publish/", follow=True)
    assert "no reward rule" in response.content.decode()
    response = staff_client.post(
        "/admin/hackathon/taskset/",
        {"action": "compute_results", "_selected_action": [no_rule.pk]},
        follow=True,
    )
    assert "no reward rule" in response.content.decode()
    assert not Result.objects.exists()


def test_the_compute_actions_rank_an_activity_and_an_edition(staff_client, happy, people):
    """The two admins' "compute" actions share one path: each says how many were ranked."""
    edition = EditionFactory(number=8)
    for changelist, scope, ranked in (
        ("/admin/hackathon/taskset/", happy, "2 people ranked"),
        ("/admin/hackathon/edition/", edition, "0 people ranked"),
    ):
        response = staff_client.post(
            changelist,
            {"action": "compute_results", "_selected_action": [scope.pk]},
            follow=True,
        )
        assert f"{scope}: {ranked}." in response.content.decode()
    assert Result.objects.filter(task_set=happy).count() == 2


# --- Query budgets -------------------------------------------------------------------------


def _grow_results(task_set):
    def grow(total):
        have = Result.objects.filter(task_set=task_set).count()
        persons = [PersonFactory.build(github=f"p{n}") for n in range(have, total)]
        from pfcc.models import Person

        Person.objects.bulk_create(persons)
        Result.objects.bulk_create(
            Result(
                task_set=task_set,
                person=who,
                rank=have + index + 1,
                completed_tasks=1,
                task_numbers=[1],
                by_set=[
                    {
                        "set": task_set.slug,
                        "name": task_set.name,
                        "tasks": [1],
                        "stars": "1",
                        "reward": "500.00",
                    }
                ],
                stars=1,
                reward=500,
            )  # fmt: skip
            for index, who in enumerate(
                Person.objects.filter(github__in=[p.github for p in persons])
            )
        )

    return grow


@pytest.mark.parametrize("suffix", ["/", ".csv", ".json"])
def test_the_results_page_and_exports_run_a_fixed_number_of_queries(client, happy, staff, suffix):
    transitions.publish_results(happy, staff)
    queries = assert_flat_queries(client, URL[:-1] + suffix, _grow_results(happy))
    assert queries <= 3  # measured: 2 (the set, the results with persons and certificates)


def test_the_results_page_with_an_objection_form_is_flat_too(client, happy, staff):
    transitions.publish_results(happy, staff)
    client.force_login(person("signed-in").user)
    assert assert_flat_queries(client, URL, _grow_results(happy)) <= 10  # measured: 8
