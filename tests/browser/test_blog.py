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

    # Search the blog for a word from a Chinese title (the site-wide search, posts only).
    page.goto("/blog/")
    page.fill("form.blog-search input[name=q]", "再攀高峰")
    page.locator("form.blog-search button[type=submit]").click()
    page.wait_for_url("**/search/?kind=post&q=*")
    results = page.get_by_test_id("search-group-post").locator(".search-hit")
    assert results.count() == 1
    assert "飞桨黑客马拉松第七期圆满落幕" in results.first.inner_text()


def test_staff_previews_markdown_in_the_admin_editor(page, login, staff_user):
    login(staff_user)
    page.goto("/admin/blog/post/add/")
    page.fill("textarea#id_body", "## 小标题\n\n这是 **加粗** 的文字。<script>alert(1)</script>")
    page.get_by_role("button", name="预览").click()
    preview = page.locator(".blog-preview")
    preview.locator("strong").wait_for()
    assert preview.locator("strong").inner_text() == "加粗"
    assert preview.locator("h2").inner_text() == "小标题"
    assert preview.locator("script").count() == 0
