"""The membership workflow end to end in a browser: apply (fixing a bad pull-request URL), staff
reject with a reason in the admin, and the applicant reads the reason."""

from playwright.sync_api import expect

from tests.factories import StaffFactory, UserFactory
from tests.security.mfa import browser_sign_in

GOOD_PR = "https://github.com/PaddlePaddle/Paddle/pull/68123"
BAD_PR = "https://github.com/PaddlePaddle/Paddle/issues/68124"
REASON = "请先补充至少一个已合入的 PR。"


def sign_in(page, user):
    browser_sign_in(page, user)  # password, then the TOTP code staff need


def test_apply_then_staff_reject_and_the_applicant_reads_why(page, login, browser, live_server):
    applicant = UserFactory(name="Browser Dev")
    staff = StaffFactory()

    login(applicant)
    page.goto("/join/")
    page.fill("input[name=github]", "browser-dev")
    page.fill("input[name=other_contact]", "WeChat: browser-dev")
    page.fill("textarea[name=contributions]", f"{GOOD_PR}\n{BAD_PR}")
    page.fill("textarea[name=statement]", "我修复了几个算子的文档。")
    page.click("form.application-form button[type=submit]")

    # The bad URL is named; everything typed is still there.
    expect(page.locator(".errorlist")).to_contain_text(BAD_PR)
    expect(page.locator("input[name=github]")).to_have_value("browser-dev")
    expect(page.locator("input[name=other_contact]")).to_have_value("WeChat: browser-dev")
    expect(page.locator("textarea[name=statement]")).to_have_value("我修复了几个算子的文档。")
    expect(page.locator("textarea[name=contributions]")).to_have_value(f"{GOOD_PR}\n{BAD_PR}")

    page.fill("textarea[name=contributions]", GOOD_PR)
    page.click("form.application-form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/join/status/")
    state = page.locator("[data-testid=application-state]")
    expect(state).to_have_text("已提交")  # "submitted"
    expect(page.locator("[data-testid=application]")).to_have_attribute("data-state", "submitted")

    # Staff reject it from the admin, giving a reason on the intermediate page.
    staff_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    staff_context.set_default_timeout(10_000)
    admin = staff_context.new_page()
    sign_in(admin, staff)
    admin.goto("/admin/membership/membershipapplication/?state=submitted")
    admin.locator("input[name=_selected_action]").first.check()
    admin.select_option("select[name=action]", "reject")
    admin.click("button[name=index]")
    admin.fill("textarea[name=reason]", REASON)
    admin.click("form input.default[type=submit]")
    expect(admin.locator(".messagelist")).to_contain_text("1")
    staff_context.close()

    # The applicant sees the decision and the reason.
    page.goto("/join/status/")
    expect(state).to_have_text("未通过")  # "rejected"
    expect(page.locator("[data-testid=rejection-reason]")).to_contain_text(REASON)
