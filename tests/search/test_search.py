"""The site-wide search: what it finds, for whom, how it shows it, and what it costs."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pfcc.search_registry import SearchDocument
from search import index
from search.models import Document
from tests.blog.factories import PostFactory
from tests.camp.factories import CohortFactory, ProjectFactory, ReportFactory
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.hackathon.factories import EditionFactory, TaskFactory
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


URL = reverse("search:results")


def found(client, query, **params):
    """{kind: [titles]} of the results page, and the response."""
    response = client.get(URL, {"q": query, **params})
    assert response.status_code == 200
    groups = response.context["results"].groups
    return {group.kind: [str(hit.title) for hit in group.hits] for group in groups}


def plain(titles):
    return [title.replace("<mark>", "").replace("</mark>", "") for title in titles]


def test_finds_every_kind_in_chinese_and_english(client):
    PostFactory(title="飞桨黑客马拉松第七期圆满落幕", body="编译器与算子融合的故事")
    PostFactory(title="Lightning talks", body="We talked about **compilers** and more")
    edition = EditionFactory()
    TaskFactory(
        edition=edition, number=1, title="为 Paddle 新增 cumsum 算子", description="实现 API"
    )
    ProjectFactory(title="科学计算套件开发", introduction="Sparse tensors for science")
    PersonFactory(github="ada-dev", name="Ada Lovelace", bio="写编译器的人")

    assert plain(found(client, "黑客马拉松")["post"]) == ["飞桨黑客马拉松第七期圆满落幕"]
    assert plain(found(client, "圆满")["post"]) == ["飞桨黑客马拉松第七期圆满落幕"]
    assert plain(found(client, "COMPILERS")["post"]) == ["Lightning talks"]
    assert plain(found(client, "compil")["post"]) == ["Lightning talks"]  # a word's beginning
    assert plain(found(client, "cumsum 算子")["task"]) == ["No.1 为 Paddle 新增 cumsum 算子"]
    assert set(found(client, "算子")) == {"post", "task"}
    assert plain(found(client, "sparse science")["project"])[0].startswith("科学计算套件开发")
    assert plain(found(client, "Lovelace")["person"]) == ["Ada Lovelace (@ada-dev)"]
    assert plain(found(client, "ada-dev")["person"]) == ["Ada Lovelace (@ada-dev)"]
    assert set(found(client, "编译器")) == {"post", "person"}
    assert found(client, "zzzz") == {}


def test_results_rank_title_matches_first_and_highlight_safely(client):
    PostFactory(title="Other news", body="The compiler got faster, the compiler did.")
    PostFactory(title="Compiler news <script>alert(1)</script>", body="Body text")
    response = client.get(URL, {"q": "compiler"})
    hits = response.context["results"].groups[0].hits
    assert plain([hits[0].title])[0] == "Compiler news &lt;script&gt;alert(1)&lt;/script&gt;"
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<mark>Compiler</mark> news &lt;script&gt;" in content
    assert "The <mark>compiler</mark> got faster" in content


def test_snippet_shows_the_text_around_the_first_match(client):
    PostFactory(title="Long", body=("filler words " * 60) + "the needle is here " + "more " * 80)
    hit = client.get(URL, {"q": "needle"}).context["results"].groups[0].hits[0]
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert "the <mark>needle</mark> is here" in hit.snippet


def test_drafts_scheduled_posts_and_draft_editions_stay_hidden(client):
    PostFactory(title="Draft secret plan", state="draft")
    scheduled = PostFactory(
        title="Scheduled secret plan", publish_at=timezone.now() + dt.timedelta(days=1)
    )
    draft_edition = EditionFactory(state="draft")
    TaskFactory(edition=draft_edition, title="secret plan task")
    draft_cohort = CohortFactory(state="draft")
    ProjectFactory(cohort=draft_cohort, title="secret plan project")
    staff = StaffFactory()
    for viewer in (None, staff):
        client.logout()
        if viewer:
            client.force_login(viewer)
        assert found(client, "secret plan") == {}
    # Its publish time passes: found without re-indexing.
    Document.objects.filter(kind="post", object_id=scheduled.pk).update(
        visible_from=timezone.now() - dt.timedelta(minutes=1)
    )
    assert plain(found(client, "secret plan")["post"]) == ["Scheduled secret plan"]


def test_the_index_follows_changes_and_deletions(client):
    post = PostFactory(title="Original headline")
    assert "post" in found(client, "original")
    post.title = "Rewritten headline"
    post.save()
    assert found(client, "original") == {}
    assert "post" in found(client, "rewritten")
    post.delete()
    assert found(client, "rewritten") == {}
    # Publishing an edition shows its tasks; taking it back to draft hides them.
    edition = EditionFactory(state="draft")
    TaskFactory(edition=edition, title="Hidden until published")
    assert found(client, "hidden published") == {}
    edition.state = "open"
    edition.save()
    assert "task" in found(client, "hidden published")


def test_rebuild_command_restores_the_index(client):
    PostFactory(title="Rebuilt post")
    TaskFactory(title="Rebuilt task")
    Document.objects.all().delete()
    assert found(client, "rebuilt") == {}
    call_command("rebuild_search_index", verbosity=0)
    assert set(found(client, "rebuilt")) == {"post", "task"}


def test_pages_of_one_kind(client):
    for n in range(45):
        PostFactory(title=f"Paging story {n}")
    everything = client.get(URL, {"q": "paging"}).context["results"]
    (group,) = everything.groups
    assert group.total == 45 and len(group.hits) == 5
    first = client.get(URL, {"q": "paging", "kind": "post"}).context["results"]
    assert len(first.groups[0].hits) == 20 and first.has_next
    second = client.get(URL, {"q": "paging", "kind": "post", "page": 2}).context["results"]
    third = client.get(URL, {"q": "paging", "kind": "post", "page": 3}).context["results"]
    assert len(third.groups[0].hits) == 5 and not third.has_next
    titles = {str(hit.title) for page in (first, second, third) for hit in page.groups[0].hits}
    assert len(titles) == 45  # no result twice, none left out


def test_bad_input_gets_a_page_not_an_error(client):
    PostFactory(title="Anything")
    for params in (
        {"q": "x" * 5000},
        {"q": "'\"<>&|!():*\\"},
        {"q": "a:* & !b | (c"},
        {"q": "任务", "kind": "nope"},
        {"q": "任务", "kind": "post", "page": "abc"},
        {"q": "任务", "kind": "post", "page": "99999"},
        {"q": ""},
        {},
    ):
        assert client.get(URL, params).status_code == 200, params
    assert "Anything" in client.get(URL, {"q": "'anything'"}).content.decode()


def test_blog_search_address_leads_to_the_site_search(client):
    response = client.get(reverse("blog:search"), {"q": "编译器"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?q=%E7%BC%96%E8%AF%91%E5%99%A8&kind=post"
    assert client.get(reverse("blog:search"))["Location"] == URL


def test_header_search_box_on_every_page(client):
    for url in (reverse("pfcc:home"), reverse("blog:index"), URL):
        content = client.get(url).content.decode()
        assert f'action="{URL}"' in content and 'data-testid="site-search"' in content
    content = client.get(URL, {"q": "编译器"}).content.decode()
    assert 'value="编译器"' in content  # the box keeps the query


@pytest.mark.parametrize(
    ("language", "heading", "kind_label"),
    [("zh-hans", "搜索", "博客文章"), ("en", "Search", "Blog posts")],
)
def test_both_languages(client, language, heading, kind_label):
    PostFactory(title="Bilingual post")
    client.cookies["django_language"] = language
    content = client.get(URL, {"q": "bilingual"}).content.decode()
    assert f"<h1>{heading}</h1>" in content and kind_label in content


# --- Reports: only those who may open one find it --------------------------------------------


def test_reports_are_found_only_by_those_who_may_read_them(client):
    from tests.security.world import ROLES, build_world

    world = build_world()
    report, draft = world.objects["report"], world.objects["draft_report"]
    report.work = "量子退火实验进展"
    report.save()  # the index follows
    draft.work = "量子退火草稿"
    draft.save()
    may_read = {"mentee", "mentor", "ta", "staff"}
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        results = found(client, "量子退火")
        shown = [str(title) for title in results.get("report", [])]
        assert len(shown) == (1 if role in may_read else 0), role
        content = client.get(URL, {"q": "量子退火"}).content.decode()
        assert ("实验进展" in content) == (role in may_read), role
        assert "草稿" not in content, role  # drafts are found by nobody


def _finds_report(client, user, query="量子隧穿") -> bool:
    client.logout()
    client.force_login(user)
    return bool(found(client, query).get("report")) and bool(
        found(client, query, kind="report").get("report")
    )


def test_who_finds_a_private_report_follows_role_changes_at_once(client):
    """Reader tokens name the mentorship and the cohort, not persons: a mentor or TA added or
    taken away finds the report, or no longer does, on the next search, without a reindex."""
    cohort = CohortFactory(reports_public=False)
    report = ReportFactory(
        mentorship__project__cohort=cohort, work="量子隧穿实验", state="submitted"
    )
    mentorship = report.mentorship
    mentor, ta, stranger = PersonFactory(), PersonFactory(), PersonFactory()
    for person in (mentor, ta, stranger, mentorship.mentee):
        person.user = UserFactory()
        person.save()
    assert _finds_report(client, mentorship.mentee.user)
    assert not _finds_report(client, stranger.user)
    assert not _finds_report(client, mentor.user)
    mentorship.mentors.add(mentor)
    assert _finds_report(client, mentor.user)
    mentorship.mentors.remove(mentor)
    assert not _finds_report(client, mentor.user)
    assert not _finds_report(client, ta.user)
    cohort.teaching_assistants.add(ta)
    assert _finds_report(client, ta.user)
    cohort.teaching_assistants.remove(ta)
    assert not _finds_report(client, ta.user)
    # A TA of another cohort, a mentor of another mentorship of the same cohort: nothing.
    other = CohortFactory()
    other.teaching_assistants.add(ta)
    ReportFactory(mentorship__project__cohort=cohort, mentorship__mentors=[stranger])
    assert not _finds_report(client, ta.user)
    assert not _finds_report(client, stranger.user)


def test_a_mentorship_moved_to_another_cohort_moves_its_reports_readers(client):
    cohort, other = CohortFactory(reports_public=False), CohortFactory(reports_public=False)
    report = ReportFactory(
        mentorship__project__cohort=cohort, work="量子隧穿实验", state="submitted"
    )
    old_ta, new_ta = PersonFactory(user=UserFactory()), PersonFactory(user=UserFactory())
    cohort.teaching_assistants.add(old_ta)
    other.teaching_assistants.add(new_ta)
    assert _finds_report(client, old_ta.user)
    assert not _finds_report(client, new_ta.user)
    mentorship = report.mentorship
    mentorship.project = ProjectFactory(cohort=other)
    mentorship.save()  # its cohort follows the project; the index follows the mentorship
    assert not _finds_report(client, old_ta.user)
    assert _finds_report(client, new_ta.user)


def test_a_cohort_made_private_hides_its_reports_from_visitors(client):
    cohort = CohortFactory(reports_public=True)
    ReportFactory(mentorship__project__cohort=cohort, work="量子隧穿实验", state="submitted")
    assert found(client, "量子隧穿", kind="report")  # a public cohort's report: anyone
    cohort.reports_public = False
    cohort.save()
    assert found(client, "量子隧穿", kind="report") == {}
    assert found(client, "量子隧穿") == {}


# --- What a page costs ---------------------------------------------------------------------


def _grow_index(kinds):
    def grow(total):
        for kind in kinds:
            have = Document.objects.filter(kind=kind).count()
            index.write_documents(
                kind,
                [
                    (
                        10_000 + n,
                        SearchDocument(
                            title=f"编译器 growth {n}",
                            body="编译器 compiler text",
                            url=f"/x/{n}/",
                            permission="report" if kind == "report" else "",
                        ),
                    )
                    for n in range(have, total)
                ],
            )

    return grow


@pytest.mark.parametrize("role", ["anonymous", "mentee", "ta", "staff"])
@pytest.mark.parametrize("kind", ["", "post", "report"])
def test_query_budget_is_flat(client, role, kind):
    cohort = CohortFactory()
    person = PersonFactory()
    user = {"anonymous": None, "staff": StaffFactory()}.get(role, UserFactory())
    if role == "mentee":
        ReportFactory(mentorship__mentee=person, mentorship__project__cohort=cohort)
    if role == "ta":
        cohort.teaching_assistants.add(person)
    if user is not None and role != "staff":
        person.user = user
        person.save()
    if user is not None:
        client.force_login(user)
    url = f"{URL}?q=编译器" + (f"&kind={kind}" if kind else "")
    count = assert_flat_queries(client, url, _grow_index(["post", "task", "person", "report"]))
    signed_in = 0 if user is None else 2  # the session and the user
    assert count <= signed_in + 2  # the search (one query) and the person for the reports


def test_a_visitor_asking_for_reports_finds_none(client):
    ReportFactory(work="量子退火", state="submitted")
    assert found(client, "量子退火", kind="report") == {}
    assert found(client, "量子退火") == {}
