"""Between posts the page names the neighbouring posts by title, as posts ("上一篇", never the
pagination's "上一页"), and the blog links its yearly archives."""

import datetime as dt

import pytest

from tests.blog.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_neighbours_are_named_posts_with_their_titles(client):
    older = PostFactory(title="第六期回顾", date=dt.date(2024, 5, 1))
    middle = PostFactory(title="第七期回顾", date=dt.date(2025, 1, 26))
    newer = PostFactory(title="第八期预告", date=dt.date(2025, 9, 1))
    page = client.get(middle.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "上一篇" in page and "下一篇" in page and "上一页" not in page
    assert older.title in page and newer.title in page
    page = client.get(middle.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Previous post" in page and "Next post" in page


def test_the_blog_links_every_year_of_its_archive(client):
    PostFactory(date=dt.date(2023, 12, 1))
    PostFactory(date=dt.date(2025, 1, 26))
    page = client.get("/blog/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'href="/blog/archive/2025/"' in page and 'href="/blog/archive/2023/"' in page
    assert 'href="/blog/archive/2024/"' not in page  # no posts that year
    archive = client.get("/blog/archive/2023/").content.decode()
    assert 'href="/blog/archive/2025/"' in archive and 'aria-current="page">2023' in archive
