"""Events in a phone-sized browser (390×844), in both languages: a registrant registers with an
answer, a second one joins the waiting list, the first cancels and the second is promoted (and
e-mailed); staff check people in from the check-in list. Screenshots go to var/screenshots/."""

import pytest
from playwright.sync_api import expect

from events.models import Answer, Event, Question, Registration
from pfcc.models import OutgoingEmail
from tests.browser.phone import PHONE, phone, shot
from tests.events.factories import EventFactory, QuestionFactory, RegistrationFactory
from tests.factories import StaffFactory, UserFactory
from tests.security.mfa import browser_sign_in

# What each language says on the pages (the interface) and in the e-mail.
TEXT = {
    "zh-CN": {
        "registered": "你已报名成功。",
        "full": "加入候补",
        "waiting": "你在候补名单第 1 位。",
        "cancelled": "你的报名已取消。",
        "promoted_mail": "候补成功：",
        "checked_in": "已签到 1 人，共 3 人。",
        "undone": "已签到 0 人，共 3 人。",
    },
    "en-US": {
        "registered": "You are registered.",
        "full": "Join the waiting list",
        "waiting": "You are on the waiting list, number 1.",
        "cancelled": "Your registration is cancelled.",
        "promoted_mail": "A seat is yours:",
        "checked_in": "1 of 3 checked in.",
        "undone": "0 of 3 checked in.",
    },
}
LANGUAGES = list(TEXT)


def fits_the_screen(page):
    # After a click that submits a form, the next page may still be loading: measure it whole.
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_wait_cancel_and_get_promoted(browser, live_server, language):
    event = EventFactory(
        slug="meetup",
        title="飞桨开源社区 Meetup · 北京 798",
        capacity=1,
        address="北京市朝阳区酒仙桥路 4 号",
    )
    QuestionFactory(
        event=event, label="你最想听的话题", kind=Question.Kind.CHOICE, choices="框架开发\n科学计算"
    )
    alice, bob = UserFactory(name="Alice"), UserFactory(name="Bob")
    text = TEXT[language]
    tag = language[:2]

    first = phone(browser, live_server, language)
    browser_sign_in(first, alice)
    first.goto("/events/")
    fits_the_screen(first)
    shot(first, f"events-{tag}-list")
    first.click("[data-testid=event-card] h2 a")
    first.click("[data-testid=register]")
    fits_the_screen(first)
    first.get_by_label("科学计算").check()
    shot(first, f"events-{tag}-register-form")
    first.click("[data-testid=submit-registration]")
    expect(first.locator("[data-testid=my-registration]")).to_contain_text(text["registered"])
    expect(first.locator("[data-testid=my-registration]")).to_have_attribute(
        "data-state", "registered"
    )
    fits_the_screen(first)
    shot(first, f"events-{tag}-registered")
    assert Answer.objects.get(registration__user=alice).value == "科学计算"

    second = phone(browser, live_server, language)
    browser_sign_in(second, bob)
    second.goto("/events/meetup/")
    expect(second.locator("[data-testid=register]")).to_have_text(text["full"])
    second.click("[data-testid=register]")
    expect(second.locator("[data-testid=full]")).to_be_visible()
    second.get_by_label("框架开发").check()
    second.click("[data-testid=submit-registration]")
    expect(second.locator("[data-testid=my-registration]")).to_contain_text(text["waiting"])
    shot(second, f"events-{tag}-waiting-list")

    first.click("[data-testid=cancel-form] button")
    expect(first.locator(".messages")).to_contain_text(text["cancelled"])
    shot(first, f"events-{tag}-cancelled")

    second.reload()
    expect(second.locator("[data-testid=my-registration]")).to_have_attribute(
        "data-state", "registered"
    )
    expect(second.locator("[data-testid=my-registration]")).to_contain_text(text["registered"])
    shot(second, f"events-{tag}-promoted")
    promoted = OutgoingEmail.objects.filter(subject__contains=text["promoted_mail"]).get()
    assert promoted.to == [bob.email] and promoted.state == OutgoingEmail.State.SENT
    event.refresh_from_db()
    assert (event.seats_taken, event.waiting_count) == (1, 0)
    first.context.close()
    second.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_check_people_in_from_a_phone(browser, live_server, language):
    event = EventFactory(slug="meetup", title="Meetup", capacity=None)
    for name in ("王小明", "Li Lei", "Han Meimei"):
        RegistrationFactory(event=event, name=name)
    RegistrationFactory(event=event, name="Someone Waiting", state=Registration.State.WAITLISTED)
    Event.objects.filter(pk=event.pk).update(capacity=3)
    text = TEXT[language]
    tag = language[:2]

    page = phone(browser, live_server, language)
    browser_sign_in(page, StaffFactory())  # password, then the TOTP code
    page.goto("/events/meetup/")
    page.click("[data-testid=check-in-link]")
    expect(page.locator("[data-testid=check-in-row]")).to_have_count(3)
    fits_the_screen(page)
    shot(page, f"events-{tag}-check-in")

    page.fill("#id_q", "王")
    page.press("#id_q", "Enter")
    expect(page.locator("[data-testid=check-in-row]")).to_have_count(1)
    page.click("[data-testid=check-in-button]")
    row = page.locator("[data-testid=check-in-row]")
    expect(row).to_have_attribute("data-state", "attended")
    expect(page.locator("[data-testid=check-in-count]")).to_have_text(text["checked_in"])
    expect(page.locator("#id_q")).to_have_value("王")  # the search is kept
    fits_the_screen(page)
    shot(page, f"events-{tag}-checked-in")
    assert Registration.objects.get(name="王小明").state == Registration.State.ATTENDED

    row.locator("button[value=undo]").click()
    expect(page.locator("[data-testid=check-in-count]")).to_have_text(text["undone"])
    assert Registration.objects.get(name="王小明").state == Registration.State.REGISTERED
    page.context.close()
