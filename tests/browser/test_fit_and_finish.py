"""Each role's main workflow on a phone (390×844), in Chinese and English, on the demo data:
what a careful walk through the site checks (accessibility with axe-core, tables that scroll
with a cue, headers that do not wrap one character per line, nothing wider than the screen,
destructive actions that look destructive, empty states, links only for those they concern).

Screenshots of every step go to var/screenshots/<role>/<language>/ (git-ignored) for a person
to look at. axe-core comes from the PyPI package axe-playwright-python (requirements-dev.txt,
installed by `make test`), which ships axe.min.js.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command

from blog.models import Post
from pfcc.models import Person, User
from tests.factories import StaffFactory
from tests.membership.factories import MembershipApplicationFactory
from tests.security.mfa import browser_sign_in

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
LANGUAGES = {"zh": "zh-CN", "en": "en-US"}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE = Axe()


@pytest.fixture
def demo(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()


class Walk:
    """One role in one language on a phone: steps with a screenshot and the checks each page
    must pass."""

    def __init__(self, browser, base_url, role, language):
        self.role, self.language = role, language
        self.context = browser.new_context(
            base_url=base_url, viewport=PHONE, locale=LANGUAGES[language]
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.folder = SCREENSHOTS / role / language
        self.folder.mkdir(parents=True, exist_ok=True)
        self.steps = 0

    def sign_in(self, user):
        browser_sign_in(self.page, user, PASSWORD)
        return self

    def visit(self, path):
        self.page.goto(path)
        return self.check(path.strip("/").replace("/", "_") or "home")

    def check(self, name):
        page = self.page
        page.wait_for_load_state()
        self.steps += 1
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{name[:60]}.png"), full_page=True)
        where = f"{self.role}/{self.language} {page.url}"
        assert page.evaluate("document.documentElement.lang").startswith(self.language[:2]), where
        # Nothing wider than the phone but the tables, which scroll in their own frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], where
        # Table headers never wrap one character per line (完成任务数).
        tall = page.evaluate(
            """[...document.querySelectorAll('main th')].filter(th => {
                 const line = parseFloat(getComputedStyle(th).lineHeight) || 24;
                 return th.getBoundingClientRect().height > 2.6 * line;
               }).map(th => th.textContent.trim())"""
        )
        assert not tall, (where, tall)
        # A table with columns off-screen says so, and its frame takes the keyboard focus.
        hidden_columns = page.evaluate(
            """[...document.querySelectorAll('main .table-wrap')]
                 .filter(w => w.scrollWidth > w.clientWidth + 1)
                 .map(w => [w.classList.contains('is-scrollable'),
                            !!(w.previousElementSibling
                               && w.previousElementSibling.classList.contains('scroll-hint')),
                            w.tabIndex])"""
        )
        assert all(flag == [True, True, 0] for flag in hidden_columns), (where, hidden_columns)
        # Space between the header and the page's first line.
        gap = page.evaluate(
            """(() => { const header = document.querySelector('.site-header').getBoundingClientRect();
                 const first = document.querySelector('main').firstElementChild;
                 return first ? first.getBoundingClientRect().top - header.bottom : 99; })()"""
        )
        assert gap >= 16, (where, gap)
        results = AXE.run(page)
        serious = [
            (violation["id"], [node["target"] for node in violation["nodes"]][:3])
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert not serious, (where, serious)
        return page

    def close(self):
        self.context.close()


@pytest.fixture
def walk(browser, live_server, demo):
    walks = []

    def start(role, language):
        walks.append(Walk(browser, live_server.url, role, language))
        return walks[-1]

    yield start
    for each in walks:
        each.close()


def text_of(page, selector="main"):
    return page.inner_text(selector)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_visitor_reads_the_blog_boards_and_results(walk, language):
    visitor = walk("visitor", language)
    page = visitor.visit("/")
    page = visitor.visit("/blog/")
    assert page.locator("[data-testid=archive-nav] a").count() >= 1
    page.locator("[data-testid=archive-nav] a").first.click()
    visitor.check("archive")
    post = Post.objects.published().order_by("-date").first()
    page = visitor.visit(post.get_absolute_url())
    visitor.visit("/search/?q=zzzzqqq")
    assert "zzzzqqq" in page.inner_text("[data-testid=search-empty]")
    visitor.visit("/hackathon/8/tasks/")
    assert page.locator(".scroll-hint").first.is_visible()
    visitor.visit("/hackathon/5/results/")
    visitor.visit("/hackathon/8/progress/")
    visitor.visit("/camp/")
    visitor.visit("/events/")
    visitor.visit("/members/")
    page = visitor.visit("/hackathon/certificates/0000-0000-0000-000O/")
    assert page.locator("[data-testid=certificate-not-found]").is_visible()
    # The camp's personal links are for mentees, mentors and TAs, never for a visitor.
    assert page.locator("[data-testid^=nav-camp]").count() == 0


@pytest.mark.parametrize("language", ["zh", "en"])
def test_contributor_claims_a_task_and_finds_the_account_pages(walk, language):
    user = User.objects.get(username="contributor")
    contributor = walk("contributor", language).sign_in(user)
    page = contributor.page
    greeting = page.inner_text(".messages")
    assert user.display_name in greeting and "contributor@" not in greeting
    assert page.locator("[data-testid^=nav-camp]").count() == 0
    page = contributor.visit("/hackathon/8/tasks/")
    # A typo in the list claims nothing and keeps everything typed, the error naming its field.
    page.fill("#claim input[name=numbers]", "25、x")
    page.fill("#claim input[name=team_name]", "飞桨小队")
    page.click("#claim button[type=submit]")
    contributor.check("claim-error")
    form = "[data-testid=claim-form]"
    assert page.input_value(f"{form} input[name=numbers]") == "25、x"
    assert page.input_value(f"{form} input[name=team_name]") == "飞桨小队"
    label = {"zh": "任务序号", "en": "Task numbers"}[language]
    assert f"{label}: " in page.inner_text("[data-testid=form-errors]")
    page.fill(f"{form} input[name=numbers]", "25")
    page.click(f"{form} button[type=submit]")
    contributor.check("claimed")
    assert "/hackathon/8/tasks/" in page.url
    assert re.search(r"No\.25", page.inner_text(".messages"))
    # Withdrawing an application asks first; cancel goes back, the red button withdraws.
    application = MembershipApplicationFactory(
        applicant=user, person=Person.objects.of_user(user), email=user.email
    )
    page = contributor.visit("/join/status/")
    page.click("[data-testid=withdraw-link]")
    contributor.check("withdraw-confirmation")
    button = page.locator("[data-testid=withdraw-form] button[type=submit]")
    assert button.evaluate("element => getComputedStyle(element).color") == "rgb(207, 34, 46)"
    page.click("[data-testid=withdraw-form] a")
    assert page.url.endswith("/join/status/")
    application.refresh_from_db()
    assert application.is_open
    page.click("[data-testid=withdraw-link]")
    page.click("[data-testid=withdraw-form] button[type=submit]")
    contributor.check("withdrawn")
    application.refresh_from_db()
    assert not application.is_open
    page = contributor.visit("/account/")
    delete = page.locator("[data-testid=delete-account] a.button")
    colour = delete.evaluate("element => getComputedStyle(element).color")
    assert colour == "rgb(207, 34, 46)"  # var(--danger): not the brand blue of main actions
    delete.click()
    contributor.check("delete-confirmation")
    page.click("[data-testid=delete-form] button[type=submit]")
    contributor.check("delete-needs-password")
    assert User.objects.filter(pk=user.pk).exists()  # nothing deleted without the password
    contributor.visit("/join/")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_mentee_writes_the_mentor_reviews_the_ta_checks(walk, language):
    """Each finds their page from the header link meant for them (and only that one), then does
    their part: the mentee submits a report, the mentor reviews one, the TA opens the checklist
    and the reminders."""
    people = {}
    for role, link in (
        ("mentee", "camp-reports"),
        ("mentor", "camp-reviews"),
        ("ta", "camp-checklist"),
    ):
        person = people[role] = walk(role, language).sign_in(User.objects.get(username=role))
        page = person.page
        assert page.locator(f"[data-testid=nav-{link}]").count() == 1
        for other in {"camp-reports", "camp-reviews", "camp-checklist"} - {link}:
            assert page.locator(f"[data-testid=nav-{other}]").count() == 0, (role, other)
        page.click(f"[data-testid=nav-{link}]")
        person.check(link)

    page = people["mentee"].page
    page.click("[data-testid=nav-camp-reports]")
    write = page.locator("main a[href*='/periods/']")
    assert write.count() >= 1
    write.first.click()
    people["mentee"].check("report-form")
    page.fill("textarea[name=work]", "完成了 https://github.com/PaddlePaddle/Paddle/pull/70001")
    page.fill("textarea[name=next_work]", "继续补充单测。")
    page.click("main button[value=submit]")
    people["mentee"].check("report-submitted")

    page = people["mentor"].page
    page.click("[data-testid=nav-camp-reviews]")
    waiting = page.locator("main table a[href*='/camp/reports/']")
    assert waiting.count() >= 1
    waiting.first.click()
    people["mentor"].check("report-to-review")
    page.fill("textarea[name=text]", "思路清晰，下次请附上测试结果。")
    page.click("main form.camp-form button[type=submit]")
    people["mentor"].check("reviewed")

    page = people["ta"].page
    checklist = page.get_attribute("[data-testid=nav-camp-checklist]", "href")
    people["ta"].visit(checklist.replace("checklist/", "reminders/"))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_staff_import_a_markdown_post_from_the_admin(walk, language, tmp_path):
    staff = StaffFactory(password=PASSWORD)
    walker = walk("staff", language).sign_in(staff)
    page = walker.page
    page.goto("/admin/blog/post/")
    page.screenshot(path=str(walker.folder / "01-admin-posts.png"), full_page=True)
    title = page.title()
    assert "Django" not in title and "PFCC" in title
    page.click("[data-testid=import-markdown]")
    source = tmp_path / "phone-import.md"
    source.write_text(
        "---\ntitle: 手机上导入的文章\ndate: 2025-10-01\nauthor:\n  name: 花花\n"
        "  github: Tulip-hua\ncategory: community-activity\n---\n\n摘要。\n\n<!-- more -->\n\n"
        '<MessageBox>\n<Message name="花花" github="Tulip-hua">你好！</Message>\n</MessageBox>\n',
        encoding="utf-8",
    )
    page.set_input_files("input[name=source]", str(source))
    page.click("[data-testid=import-preview-button]")
    page.wait_for_load_state()
    page.screenshot(path=str(walker.folder / "02-import-preview.png"), full_page=True)
    assert "手机上导入的文章" in page.inner_text("[data-testid=import-preview]")
    assert not Post.objects.filter(slug="phone-import").exists()
    page.click("[data-testid=import-save]")
    page.wait_for_load_state()
    page.screenshot(path=str(walker.folder / "03-imported.png"), full_page=True)
    post = Post.objects.get(slug="phone-import")
    assert post.state == Post.State.DRAFT and "chat-message" in post.body_html
    # The change form: a Chinese title suggests the address as it is typed.
    page.goto("/admin/blog/post/add/")
    page.fill("input[name=title]", "飞桨 第九期 回顾")
    assert page.input_value("input[name=slug]") == "飞桨-第九期-回顾"
    help_text = page.inner_text(".field-body .help, #id_body_helptext")
    assert "<!-- more -->" in help_text and "<MessageBox>" in help_text
