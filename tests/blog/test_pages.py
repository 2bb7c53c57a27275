import datetime as dt
import xml.etree.ElementTree as ET
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from blog.models import Category, Post
from tests.blog.factories import PostFactory, TagFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


def parse_xml(content: bytes):
    return ET.fromstring(content)  # noqa: S314 - our own feed, generated in this test


@pytest.fixture
def community():
    return Category.objects.get(slug="community-activity")


def test_list_shows_ten_a_page_pinned_first(client):
    posts = [PostFactory() for _ in range(12)]
    pinned = PostFactory(pinned=True, date=dt.date(2001, 1, 1), title="Pinned and old")
    response = client.get(reverse("blog:index"))
    assert response.status_code == 200
    listed = list(response.context["page"])
    assert len(listed) == 10
    assert listed[0] == pinned
    assert listed[1] == posts[-1]
    page2 = client.get(reverse("blog:index") + "?page=2")
    assert len(list(page2.context["page"])) == 3


def test_list_filters_by_category(client, community):
    inside = PostFactory(category=community, title="In the community")
    outside = PostFactory(title="Elsewhere")
    response = client.get(reverse("blog:index") + "?category=community-activity")
    content = response.content.decode()
    assert inside.title in content and outside.title not in content
    assert client.get(reverse("blog:index") + "?category=nope").status_code == 404


def test_list_shows_excerpt_authors_and_avatars(client):
    lead, co = PersonFactory(name="花花"), PersonFactory(name="梦师傅")
    PostFactory(authors=[lead, co], body="短摘要。\n\n<!-- more -->\n\n正文。")
    content = client.get(reverse("blog:index")).content.decode()
    assert "短摘要。" in content and "正文。" not in content
    assert content.index("花花") < content.index("梦师傅")
    assert lead.avatar in content and lead.get_absolute_url() in content


def test_detail_shows_authors_date_category_tags_navigation_and_og(client, community):
    lead, co = PersonFactory(name="花花"), PersonFactory(name="梦师傅")
    tag = TagFactory(name="黑客松", slug="hackathon")
    older = PostFactory(date=dt.date(2023, 1, 1))
    post = PostFactory(
        authors=[lead, co],
        category=community,
        tags=[tag],
        date=dt.date(2023, 6, 1),
        body="Lead.\n\n<!-- more -->\n\n## 第一节\n\nText\n\n## 第二节\n\nMore",
    )
    newer = PostFactory(date=dt.date(2024, 1, 1))
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert post.title in content and "2023-06-01" in content
    assert content.index("花花") < content.index("梦师傅")
    assert lead.avatar in content and co.get_absolute_url() in content
    assert community.get_absolute_url() in content and tag.get_absolute_url() in content
    assert response.context["previous_post"] == older
    assert response.context["next_post"] == newer
    assert 'class="post-toc' in content and "第一节" in content
    assert '<meta property="og:title" content="' + post.title + '">' in content
    assert '<meta property="og:type" content="article">' in content
    assert f'<meta property="article:author" content="{co.github_url}">' in content
    assert "preview-banner" not in content


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_drafts_and_scheduled_posts_are_hidden_from_everyone_but_staff(
    client, user, staff_user, kind
):
    if kind == "draft":
        post = PostFactory(state=Post.State.DRAFT, title="Secret draft")
    else:
        post = PostFactory(
            publish_at=timezone.now() + dt.timedelta(days=1), title="Secret scheduled"
        )
    url = post.get_absolute_url()
    assert client.get(url).status_code == 404  # anonymous
    for page in (reverse("blog:index"), reverse("blog:feed_rss"), reverse("blog:feed_atom")):
        assert post.title not in client.get(page).content.decode()
    search = client.get(reverse("blog:search") + "?q=Secret", follow=True)
    assert post.title not in search.content.decode()
    assert client.get(f"/posts/{post.slug}").status_code == 404
    client.force_login(user)  # signed in, not staff
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="preview-banner"' in response.content.decode()
    assert post.title not in client.get(reverse("blog:index")).content.decode()


def test_scheduled_post_appears_when_its_time_comes(client):
    person = PersonFactory()
    post = PostFactory(
        authors=[person], publish_at=timezone.now() + dt.timedelta(hours=2), title="Scheduled one"
    )
    assert client.get(post.get_absolute_url()).status_code == 404
    later = timezone.now() + dt.timedelta(hours=3)
    with mock.patch("blog.models.timezone.now", return_value=later):
        assert client.get(post.get_absolute_url()).status_code == 200
        assert "Scheduled one" in client.get(reverse("blog:index")).content.decode()
        assert "Scheduled one" in client.get(reverse("blog:feed_rss")).content.decode()
        assert "Scheduled one" in client.get(person.get_absolute_url()).content.decode()


def test_category_tag_and_archive_pages(client, community):
    tag = TagFactory(slug="camp", name="Camp")
    in_2023 = PostFactory(date=dt.date(2023, 5, 1), category=community, tags=[tag], title="A23")
    in_2024 = PostFactory(date=dt.date(2024, 5, 1), title="B24")
    content = client.get(community.get_absolute_url()).content.decode()
    assert "A23" in content and "B24" not in content and "社区动态" in content
    content = client.get(tag.get_absolute_url()).content.decode()
    assert "A23" in content and "B24" not in content
    content = client.get(reverse("blog:archive", args=[2024])).content.decode()
    assert "B24" in content and in_2023.title not in content
    assert client.get(reverse("blog:archive", args=[1999])).status_code == 404
    assert client.get(reverse("blog:category", args=["nope"])).status_code == 404
    assert client.get(reverse("blog:tag", args=["nope"])).status_code == 404
    assert in_2024


def test_search_finds_chinese_substrings_and_english_words(client):
    """The blog's search box asks the site-wide search for posts (tests/search has the rest)."""
    PostFactory(title="飞桨黑客马拉松第七期圆满落幕", body="正文")
    PostFactory(title="Lightning talks", body="We talked about **compilers** and more")
    PostFactory(title="Unrelated", body="Nothing here")
    url = reverse("blog:search")

    def titles(query):
        response = client.get(url, {"q": query}, follow=True)
        assert response.status_code == 200
        groups = response.context["results"].groups
        return {strip_tags(hit.title) for group in groups for hit in group.hits}

    assert titles("黑客马拉松") == {"飞桨黑客马拉松第七期圆满落幕"}
    assert titles("圆满") == {"飞桨黑客马拉松第七期圆满落幕"}
    assert titles("compilers") == {"Lightning talks"}
    assert titles("LIGHTNING") == {"Lightning talks"}
    assert titles("zzzz") == set()
    assert client.get(url, follow=True).status_code == 200


def test_feeds_parse_and_list_every_author_with_full_content(client):
    lead = PersonFactory(name="花花")
    co = PersonFactory(name="梦师傅")
    PostFactory(
        authors=[lead, co],
        title="Two authors",
        body="Lead para.\n\n<!-- more -->\n\nThe **full** body text.",
    )
    rss = client.get(reverse("blog:feed_rss"))
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    root = parse_xml(rss.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    item = root.find("channel/item")
    assert item.findtext("title") == "Two authors"
    assert [e.text for e in item.findall(f"{DC}creator")] == ["花花", "梦师傅"]
    assert "<strong>full</strong>" in item.findtext("description")
    assert "<strong>full</strong>" in item.findtext(f"{CONTENT}encoded")

    atom = client.get(reverse("blog:feed_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(atom.content)
    entry = root.find(f"{ATOM}entry")
    names = [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")]
    assert names == ["花花", "梦师傅"]
    assert "<strong>full</strong>" in entry.findtext(f"{ATOM}content")
    assert "Lead para." in entry.findtext(f"{ATOM}summary")


def test_old_addresses_keep_working(client):
    post = PostFactory(slug="hackathon-7th-summary")
    for old in ("/posts/hackathon-7th-summary", "/posts/hackathon-7th-summary.html"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()
    assert client.get("/posts/nope").status_code == 404
    feed = client.get("/feed.rss")
    assert feed.status_code == 200
    assert parse_xml(feed.content).find("channel/item/title").text == post.title


def test_unicode_slug_works(client):
    post = PostFactory(slug="ERNIE4.5与PaddleOCR实现文档翻译实践指南")
    assert client.get(post.get_absolute_url()).status_code == 200
    response = client.get("/posts/ERNIE4.5与PaddleOCR实现文档翻译实践指南")
    assert response.status_code == 301


def test_sitemap_lists_published_posts_only(client):
    post = PostFactory()
    draft = PostFactory(state=Post.State.DRAFT)
    content = client.get("/sitemap.xml").content.decode()
    assert post.get_absolute_url() in content
    assert draft.get_absolute_url() not in content


def test_person_page_lists_their_posts(client):
    person = PersonFactory()
    lead = PostFactory(authors=[person], title="Led by them")
    co = PostFactory(authors=[PersonFactory(), person], title="Co-written")
    PostFactory(title="Not theirs")
    PostFactory(authors=[person], state=Post.State.DRAFT, title="Their draft")
    content = client.get(person.get_absolute_url()).content.decode()
    assert lead.title in content and co.title in content
    assert "Not theirs" not in content and "Their draft" not in content


def test_home_page_shows_latest_posts(client):
    PostFactory(title="Fresh news")
    content = client.get("/").content.decode()
    assert "Fresh news" in content and 'data-testid="latest-posts"' in content


def test_pages_speak_english_too(client, community):
    PostFactory(category=community)
    content = client.get(reverse("blog:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Community activity" in content and "Read more" in content
    content = client.get(reverse("blog:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "社区动态" in content and "阅读全文" in content


def test_bad_input_gets_no_500(client):
    assert client.get(reverse("blog:index") + "?page=abc").status_code == 200
    assert client.get(reverse("blog:index") + "?page=999").status_code == 200
    search = reverse("blog:search")
    assert client.get(search, {"q": "x" * 5000}, follow=True).status_code == 200
    assert client.get(search, {"q": "'\"<>&|!():*"}, follow=True).status_code == 200
    assert client.get("/blog/archive/99999/").status_code == 404
