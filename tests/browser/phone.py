"""A phone-sized browser page (390×844, touch) and screenshots under var/screenshots/, shared by
the browser walks."""

from pathlib import Path

from django.conf import settings

PHONE = {"width": 390, "height": 844}
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def phone(browser, live_server, language):
    context = browser.new_context(
        base_url=live_server.url,
        locale=language,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
