"""Every public blog page costs the same number of queries at 10 and at 1,000 posts."""

import datetime as dt

import pytest
from django.utils import timezone

from blog.models import Category, Page, Post, PostAuthor
from tests.blog.factories import PostFactory, TagFactory
from tests.factories import PersonFactory
from tests.queries import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A person who writes every post, a category and a tag every post has, one post to open."""
    person = PersonFactory(github="prolific")
    tag = TagFactory(slug="common", name="Common")
    category = Category.objects.get(slug="community-activity")
    post = PostFactory(slug="the-post", authors=[person, PersonFactory()], category=category)
    post.tags.set([tag])

    def grow(total):
        have = Post.objects.count()
        start = timezone.now() - dt.timedelta(days=1)
        new = Post.objects.bulk_create(
            Post(
                slug=f"bulk-{have + i}",
                title=f"批量文章 {have + i}",
                date=dt.date(2015, 1, 1) + dt.timedelta(days=have + i),
                body="Text",
                body_html="<p>Text</p>",
                excerpt_html="<p>Lead</p>",
                category=category,
                state=Post.State.PUBLISHED,
                publish_at=start,
            )
            for i in range(total - have)
        )
        co = PersonFactory()
        PostAuthor.objects.bulk_create(
            [PostAuthor(post=p, person=person, order=0) for p in new]
            + [PostAuthor(post=p, person=co, order=1) for p in new]
        )
        Post.tags.through.objects.bulk_create(
            Post.tags.through(post_id=p.id, tag_id=tag.id) for p in new
        )

    Page.objects.create(slug="about", title="关于我们", body="## 关于我们\n\n博客总览。")
    return {"person": person, "tag": tag, "category": category, "post": post, "grow": grow}


PAGES = {
    "list": ("/blog/", 9),
    "list filtered": ("/blog/?category=community-activity", 9),
    "list page 2": ("/blog/?page=2", 9),
    "about": ("/blog/about/", 1),
    "detail": ("/blog/the-post/", 10),
    "category": ("/blog/category/community-activity/", 8),
    "tag": ("/blog/tag/common/", 8),
    "archive": ("/blog/archive/2015/", 8),
    "search": ("/search/?kind=post&q=批量", 8),
    "rss": ("/blog/feed.rss", 5),
    "atom": ("/blog/feed.atom", 5),
    "old rss": ("/feed.rss", 5),
    # The person page also holds the other apps' sections; the blog's costs 2 queries.
    "person": ("/people/prolific/", 12),
    "home": ("/", 8),
    "sitemap": ("/sitemap.xml", 8),
}


@pytest.mark.parametrize("name", PAGES)
def test_query_budget(client, world, name):
    url, budget = PAGES[name]
    client.get(url)  # warm the per-process caches (the current Site) first
    count = assert_flat_queries(client, url, world["grow"])
    print(f"{name}: {count} queries")
    assert count <= budget, f"{name}: {count} queries, budget {budget}"


def test_query_budget_for_staff_preview(client, staff_user, world):
    client.force_login(staff_user)
    Post.objects.filter(slug="the-post").update(state=Post.State.DRAFT)
    count = assert_flat_queries(client, "/blog/the-post/", world["grow"])
    assert count <= 14
