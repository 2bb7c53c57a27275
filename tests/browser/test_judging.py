"""A judged contest (大模型应用与创意赛) in a phone-sized browser (390×844), in both languages: an
entrant registers and submits an app with a screenshot, a visitor likes it, staff close entries,
a judge scores it (and only then sees the other judge's scores), staff award 一等奖 and publish,
and the certificate verifies. Screenshots go to var/screenshots/."""

import pytest
from playwright.sync_api import expect

from judging import transitions
from judging.models import Certificate, Contest, Submission
from pfcc.models import OutgoingEmail
from tests.browser.phone import PHONE, phone, shot
from tests.factories import PersonFactory, StaffFactory, UserFactory
from tests.judging.factories import (
    ContestFactory,
    CriterionFactory,
    DirectionFactory,
    JudgeFactory,
    PrizeFactory,
)
from tests.security.mfa import browser_sign_in
from tests.security.world import png_bytes

TEXT = {
    "zh-CN": {
        "registered": "报名成功",
        "likes": "喜爱度 1",
        "others_hidden": "提交你的评分后，才能看到其他评委的评分。",
        "submitted": "你已提交评分",
        "valid": "此证书有效。",
        "results_mail": "结果公布",
    },
    "en-US": {
        "registered": "You are registered.",
        "likes": "1 like",
        "others_hidden": "You see the other judges' scores once you have submitted yours.",
        "submitted": "You submitted your scores",
        "valid": "This certificate is valid.",
        "results_mail": "Results published",
    },
}
LANGUAGES = list(TEXT)


def fits_the_screen(page):
    # After a click that submits a form, the next page may still be loading: measure it whole.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 40))"
    )
    assert width <= PHONE["width"], f"{page.url} is {width}px wide: {wide}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("language", LANGUAGES)
def test_enter_like_judge_award_and_publish(browser, live_server, media, language):
    contest = ContestFactory(slug="llm-apps", name="大模型应用与创意赛", state=Contest.State.OPEN)
    DirectionFactory(contest=contest, name="趣味创意", slug="fun", order=1)
    DirectionFactory(contest=contest, name="生产力工具", slug="productivity", order=2)
    creative = CriterionFactory(contest=contest, name="创意", weight=3, max_score=10, order=1)
    complete = CriterionFactory(contest=contest, name="完成度", weight=1, max_score=5, order=2)
    PrizeFactory(contest=contest, name="一等奖", order=1)
    PrizeFactory(contest=contest, name="人气奖", order=9, is_popularity=True)
    alice = UserFactory(name="Alice")
    PersonFactory(github="alice-dev", user=alice)
    fan = UserFactory(name="Bob")
    staff = StaffFactory()
    judge = transitions.assign_judge(contest, UserFactory(name="评委 Carol"), staff)
    other_judge = JudgeFactory(contest=contest, name="评委甲")
    text = TEXT[language]
    tag = language[:2]

    # The entrant registers and submits an app with a screenshot.
    entrant = phone(browser, live_server, language)
    browser_sign_in(entrant, alice)
    entrant.goto("/judging/llm-apps/")
    fits_the_screen(entrant)
    entrant.click("[data-testid=register]")
    fits_the_screen(entrant)
    entrant.click("[data-testid=submit-registration]")
    expect(entrant.locator(".messages")).to_contain_text(text["registered"])
    expect(entrant.locator("[data-testid=counts]")).to_contain_text("1")
    shot(entrant, f"judging-{tag}-registered")
    entrant.click("[data-testid=submit-app]")
    entrant.select_option("#id_direction", label="生产力工具")
    entrant.fill("#id_title", "基于文心一言的日报系统")
    entrant.fill("#id_summary", "自动生成日报")
    entrant.fill("#id_app_url", "https://aistudio.baidu.com/projectdetail/7277555")
    entrant.fill("#id_repository_url", "https://github.com/alice-dev/daily")
    entrant.fill("#id_description", "## 功能\n\n- 读取提交记录\n- **生成日报**")
    entrant.set_input_files(
        "#id_screenshots",
        files=[{"name": "home.png", "mimeType": "image/png", "buffer": png_bytes((800, 500))}],
    )
    fits_the_screen(entrant)
    shot(entrant, f"judging-{tag}-submit-form")
    entrant.click("[data-testid=save-submission]")
    expect(entrant.locator("h1")).to_have_text("基于文心一言的日报系统")
    expect(entrant.locator(".prose strong")).to_have_text("生成日报")
    expect(entrant.locator(".jd-shots img")).to_have_count(1)
    fits_the_screen(entrant)
    shot(entrant, f"judging-{tag}-entry")
    submission = Submission.objects.get()

    # A signed-in visitor likes it from the gallery.
    visitor = phone(browser, live_server, language)
    browser_sign_in(visitor, fan)
    visitor.goto("/judging/llm-apps/gallery/productivity/")
    fits_the_screen(visitor)
    shot(visitor, f"judging-{tag}-gallery")
    visitor.click("[data-testid=entry-card] h3 a")
    visitor.click("[data-testid=like]")
    expect(visitor.locator("[data-testid=likes]").first).to_have_text(text["likes"])
    expect(visitor.locator("[data-testid=unlike]")).to_be_visible()
    submission.refresh_from_db()
    assert submission.like_count == 1

    # Staff close entries; the other judge has already scored.
    desk = phone(browser, live_server, language)
    browser_sign_in(desk, staff)
    desk.goto("/judging/llm-apps/ranking/")
    desk.click("[data-testid=advance-form] button")
    contest.refresh_from_db()
    assert contest.state == Contest.State.JUDGING
    transitions.save_scores(
        other_judge,
        submission,
        other_judge.user,
        values={creative.pk: 6, complete.pk: 3},
        comment="界面清爽",
        submit_card=True,
    )

    # The judge scores it and then sees the other judge's scores.
    scorer = phone(browser, live_server, language)
    browser_sign_in(scorer, judge.user)
    scorer.goto("/judging/llm-apps/")
    scorer.click("[data-testid=judge-link]")
    scorer.click("[data-testid=queue-row] h3 a")
    expect(scorer.locator("[data-testid=others-hidden]")).to_have_text(text["others_hidden"])
    scorer.fill(f"#id_c{creative.pk}", "8")
    scorer.fill(f"#id_c{complete.pk}", "4")
    fits_the_screen(scorer)
    shot(scorer, f"judging-{tag}-score")
    scorer.click("[data-testid=submit-scores]")
    expect(scorer.locator("[data-testid=my-card]")).to_have_attribute("data-state", "submitted")
    expect(scorer.locator("[data-testid=my-card]")).to_contain_text(text["submitted"])
    expect(scorer.locator("[data-testid=other-card]")).to_contain_text("评委甲")
    expect(scorer.locator("[data-testid=other-judges]")).to_contain_text("界面清爽")
    fits_the_screen(scorer)
    submission.refresh_from_db()
    assert str(submission.score) == "70.00"  # (80 + 60) / 2

    # Staff award 一等奖 from the ranking and publish.
    desk.goto("/judging/llm-apps/ranking/")
    row = desk.locator("[data-testid=ranking-row]")
    row.locator("select").select_option(label="一等奖")
    row.locator("[data-testid=award-button]").click()
    expect(desk.locator("[data-testid=award-row]")).to_contain_text("一等奖")
    fits_the_screen(desk)
    shot(desk, f"judging-{tag}-ranking")
    desk.click("[data-testid=publish]")
    expect(desk.locator("[data-testid=awards-table]")).to_contain_text("基于文心一言的日报系统")
    fits_the_screen(desk)
    shot(desk, f"judging-{tag}-results")

    # Anyone verifies the certificate.
    entrant.goto("/judging/llm-apps/results/")
    entrant.click("[data-testid=certificate-link]")
    expect(entrant.locator("[data-testid=valid]")).to_have_text(text["valid"])
    fits_the_screen(entrant)
    shot(entrant, f"judging-{tag}-certificate")
    certificate = Certificate.objects.get()
    assert certificate.person.github == "alice-dev"
    mail = [m for m in OutgoingEmail.objects.order_by("pk") if alice.email in m.to][-1]
    assert text["results_mail"] in mail.subject and mail.state == OutgoingEmail.State.SENT
    for page in (entrant, visitor, desk, scorer):
        page.context.close()
