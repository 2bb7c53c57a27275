"""Searching the whole site from the header, on a phone (390×844) and a desktop, in both
languages: results grouped by kind, the words highlighted, one kind's page, and a result opens."""

import pytest

from tests.blog.factories import PostFactory
from tests.factories import PersonFactory
from tests.hackathon.factories import EditionFactory, TaskFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def browser_page(browser, live_server, viewport, language):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN" if language == "zh-hans" else "en-US",  # Accept-Language
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def content():
    post = PostFactory(title="飞桨编译器的故事", body="我们如何写出一个深度学习编译器。")
    edition = EditionFactory()
    task = TaskFactory(edition=edition, title="为编译器新增算子融合", description="编译器任务")
    PersonFactory(github="compiler-fan", name="编译器爱好者")
    return post, task


@pytest.mark.parametrize(
    ("viewport", "language", "heading", "posts_label", "tasks_label"),
    [
        (PHONE, "zh-hans", "搜索", "博客文章", "黑客松任务"),
        (PHONE, "en", "Search", "Blog posts", "Hackathon tasks"),
        (DESKTOP, "zh-hans", "搜索", "博客文章", "黑客松任务"),
        (DESKTOP, "en", "Search", "Blog posts", "Hackathon tasks"),
    ],
)
def test_search_from_the_header(
    browser, live_server, content, viewport, language, heading, posts_label, tasks_label
):
    _post, task = content
    page = browser_page(browser, live_server, viewport, language)
    page.goto("/")
    box = page.get_by_test_id("site-search")
    assert box.is_visible()
    # The box fits the phone's width (no sideways scrolling).
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    box.locator("input[name=q]").fill("编译器")
    box.locator("input[name=q]").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("h1").inner_text() == heading

    posts = page.get_by_test_id("search-group-post")
    tasks = page.get_by_test_id("search-group-task")
    assert posts_label in posts.locator("h2").inner_text()
    assert tasks_label in tasks.locator("h2").inner_text()
    assert page.get_by_test_id("search-group-person").count() == 1
    # The word is highlighted in the title and the snippet.
    assert posts.locator("mark").first.inner_text() == "编译器"
    assert "深度学习" in posts.locator(".search-hit p").inner_text()
    # The box keeps the query; one kind's results on their own.
    assert page.get_by_test_id("site-search").locator("input[name=q]").input_value() == "编译器"
    page.get_by_role("link", name=tasks_label).first.click()
    page.wait_for_url("**kind=task**")
    assert page.get_by_test_id("search-group-post").count() == 0
    tasks = page.get_by_test_id("search-group-task")
    tasks.locator(".search-hit a").first.click()
    page.wait_for_url(f"**{task.get_absolute_url()}")
    page.context.close()
