"""Staff draft a progress report (月报) on a phone-sized browser (390×844), in both languages:
from the admin's list of reports to the form, the preview of the numbers, the draft post in the
blog's admin, an edit, publishing; then a visitor reads it with its charts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post
from hackathon.models import ClaimState
from tests.browser.test_events import fits_the_screen, phone, shot
from tests.factories import PersonFactory, StaffFactory
from tests.hackathon.factories import ClaimFactory, DirectionFactory, EditionFactory, TaskFactory
from tests.progress import steps as services
from tests.security.mfa import browser_sign_in

TEXT = {
    "zh-CN": {"draft": "起草进展报告", "preview": "预览数据", "create": "创建草稿"},
    "en-US": {"draft": "Draft a progress report", "preview": "Preview the numbers",
              "create": "Create the draft post"},
}  # fmt: skip
ROW = "| 框架开发 | 16 | 7 / 13 | 43.75% | 6 | 37.5% |"


def seventh_edition(staff):
    """The 7th edition's published row: 16 tasks, 13 claimed, 7 submitted, 6 completed, the
    claims made ten days ago."""
    edition = EditionFactory(number=7, name="第七期")
    direction = DirectionFactory(
        track__edition=edition, track__name="开源贡献个人挑战赛", name="框架开发"
    )
    plan = [ClaimState.COMPLETED] * 6 + [ClaimState.PR_SUBMITTED] + [ClaimState.CLAIMED] * 4
    plan += [ClaimState.DESIGN_DONE, ClaimState.RFC_SUBMITTED] + [None] * 3
    then = timezone.now() - timedelta(days=10)
    for number, state in enumerate(plan, start=1):
        task = TaskFactory(edition=edition, direction=direction, number=number)
        if state is not None:
            claim = ClaimFactory(task=task, created_at=then, state_changed_at=then)
            if state > ClaimState.CLAIMED:
                services.advance_claim(claim, state, staff)
    return edition


@pytest.mark.parametrize("language", list(TEXT))
def test_staff_draft_edit_and_publish_a_report(browser, live_server, settings, tmp_path, language):
    settings.MEDIA_ROOT = tmp_path / "media"
    text = TEXT[language]
    staff = StaffFactory(name="梦师傅")
    PersonFactory(github="Ligoml", name="梦师傅", user=staff)
    seventh_edition(staff)
    today = timezone.localdate()

    page = phone(browser, live_server, language)
    browser_sign_in(page, staff)
    page.goto("/admin/progress/progressreport/")
    page.get_by_test_id("draft-progress-report").click()
    page.wait_for_url("**/progress/draft/")
    assert text["draft"] in page.locator("h1").inner_text()

    page.select_option("select[name=scope]", "edition:7")
    page.fill("input[name=start]", (today - timedelta(days=13)).isoformat())
    page.fill("input[name=end]", today.isoformat())
    page.get_by_role("button", name=text["preview"]).click()
    preview = page.get_by_test_id("progress-preview")
    preview.wait_for()
    board = page.get_by_test_id("preview-board").inner_text()
    assert "43.75%" in board and "37.5%" in board and "7 / 13" in board
    title = page.get_by_test_id("preview-title").inner_text()
    assert title.startswith("PaddlePaddle Hackathon Episode 01 | 第七期活动上线")
    # The charts the draft will carry, drawn before it exists (the CSP lets data: images in).
    previews = page.get_by_test_id("preview-chart")
    assert previews.count() == 2
    for index in range(previews.count()):
        previews.nth(index).scroll_into_view_if_needed()
        assert previews.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
    fits_the_screen(page)
    shot(page, f"progress-preview-{language[:2]}")

    page.get_by_test_id("create-draft").click()
    page.wait_for_url("**/admin/blog/post/*/change/")
    post = Post.objects.get()
    assert post.state == Post.State.DRAFT
    body = page.locator("textarea#id_body")
    assert ROW in body.input_value()
    # Staff add a highlight of their own, then publish.
    body.fill(body.input_value() + "\n\n#### 赛道亮点\n\n- 社区开发者参与热情高。\n")
    page.select_option("select#id_state", "published")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/blog/post/")
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED and post.is_live

    # A visitor reads it on the blog, charts included.
    reader = phone(browser, live_server, language)
    reader.goto(f"/blog/{post.slug}/")
    assert "PaddlePaddle Hackathon Episode 01 | 第七期活动上线" in reader.locator("h1").inner_text()
    article = reader.get_by_test_id("post")
    assert "43.75%" in article.inner_text() and "社区开发者参与热情高" in article.inner_text()
    charts = reader.locator(".post-body img[src$='.svg']")
    assert charts.count() == 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    shot(reader, f"progress-post-{language[:2]}")
    reader.context.close()
    page.context.close()
