"""A reader's walk through the blog, in Chromium, over the three real seed posts."""

from pathlib import Path

import pytest

from blog.importer import BlogImporter
from blog.seed import build_checkout

SEED_POSTS = Path(__file__).resolve().parents[2] / "blog" / "seed_posts"


@pytest.fixture
def seeded(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "checkout"
    build_checkout(root, sorted(SEED_POSTS.glob("*.txt")))
    report = BlogImporter(root).run()
    assert len(report.created) == 3
    return report


def test_reader_filters_opens_a_post_follows_an_author_and_searches(page, seeded):
    page.goto("/blog/")
    cards = page.get_by_test_id("post-card")
    assert cards.count() == 3
    # The excerpt (the text before <!-- more -->) is on the list.
    assert "让我们看看哪些最强“Hacker”脱颖而出！" in page.locator(".post-list").inner_text()

    # Filter by category: only the Episode 03 post is in 社区动态.
    page.get_by_test_id("category-filter").get_by_role("link", name="社区动态").click()
    page.wait_for_url("**/blog/?category=community-activity")
    assert cards.count() == 1
    title = "PaddlePaddle Hackathon Episode 03"
    assert title in cards.first.inner_text()

    # Open the post: title, date, authors in order with avatars.
    cards.first.get_by_role("link", name=title).click()
    page.wait_for_url("**/blog/hackathon-5th-episode03/")
    assert title in page.locator("h1.post-title").inner_text()
    assert "2023-12-25" in page.get_by_test_id("post").inner_text()
    authors = page.locator(".post-author-list").get_by_test_id("post-author")
    assert authors.count() == 2
    assert "花花" in authors.nth(0).inner_text() and "梦师傅" in authors.nth(1).inner_text()
    assert authors.nth(0).locator("img.avatar").count() == 1
    assert page.locator(".post-body img").count() == 3

    # Follow the co-author to their person page, which lists their posts.
    authors.nth(1).click()
    page.wait_for_url("**/people/Ligoml/")
    section = page.get_by_test_id("person-posts")
    assert title in section.inner_text()
    assert "第五期活动上线8周" in section.inner_text()

    # Search for a word from a Chinese title.
    page.goto("/blog/")
    page.fill("input[name=q]", "再攀高峰")
    page.locator("form.blog-search button[type=submit]").click()
    page.wait_for_url("**/blog/search/?q=*")
    results = page.get_by_test_id("post-card")
    assert results.count() == 1
    assert "飞桨黑客马拉松第七期圆满落幕" in results.first.inner_text()
