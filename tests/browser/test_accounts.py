import re

from django.core import mail


def test_sign_up_verify_by_mail_log_in_and_see_your_name(page):
    page.goto("/")
    # The stylesheet is served and applied (brand colour on the site name).
    brand = page.evaluate("getComputedStyle(document.querySelector('.brand')).color")
    assert brand == "rgb(41, 50, 225)"
    page.click("text=注册")
    page.fill("input[name=email]", "newcomer@example.org")
    page.fill("input[name=name]", "新来的贡献者")
    page.fill("input[name=password1]", "a-long-passphrase-42")
    page.fill("input[name=password2]", "a-long-passphrase-42")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "新来的贡献者" not in page.inner_text("[data-testid=account]")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "newcomer@example.org")
    page.fill("input[name=password]", "a-long-passphrase-42")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "新来的贡献者" in page.inner_text("[data-testid=account]")
