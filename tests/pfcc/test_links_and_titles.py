"""Every page a signed-in contributor, mentee, mentor, TA and staff member reaches by links, in
Chinese and in English (the demo data): each internal link on it resolves (200, or a 302 to
sign in or onwards), and its <title> names what its <h1> says (the heading, or the heading with
the page's context: "Gallery · 大模型应用与创意赛"; a state badge beside the heading aside).

The admin's own pages are left to Django (their titles add the object and the site); links
from the site into the admin are checked."""

import html as htmllib
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from tests.pfcc.test_every_page_translated import (  # noqa: F401 - `demo` is a fixture
    ROLE_STARTS,
    SKIPPED_PATH,
    client_for,
    demo,
    route_of,
)

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
BADGE = re.compile(r'<span class="badge[^"]*"[^>]*>.*?</span>', re.S)
HREF = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"")
SUFFIX = " · PFCC"
# Pages a user never reaches by a plain GET link (logging out is a form; downloads are files).
NOT_FOLLOWED = re.compile(r"^/(admin|accounts/logout)/")

ROLES = {
    "contributor": ROLE_STARTS["contributor"] + ["/hackathon/", "/events/", "/blog/"],
    "mentee": ROLE_STARTS["mentee"] + ["/"],
    "mentor": ROLE_STARTS["mentor"] + ["/"],
    "ta": ROLE_STARTS["ta"] + ["/"],
    "admin": ["/", "/hackathon/", "/camp/", "/events/", "/blog/", "/members/", "/join/",
              "/account/", "/search/?q=hackathon"],
}  # fmt: skip


def _text(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def title_and_heading(html: str) -> tuple[str, str | None]:
    title = _text(TITLE.search(html).group(1)).removesuffix(SUFFIX)
    heading = H1.search(html.split("<main", 1)[-1])
    if heading is None:
        return title, None
    # A state badge beside the heading ("进行中") is not part of the page's name.
    return title, _text(BADGE.sub("", heading.group(1)))


def agree(title: str, heading: str) -> bool:
    """The title is the heading, or the heading with the page's context around it."""
    return heading in title


def internal(link: str) -> str | None:
    parts = urlsplit(htmllib.unescape(link))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client, starts, limit=120):
    """(path, html) of the pages reachable from `starts`, one per URL pattern, and every
    internal link met on them with the page it was on."""
    seen_routes, queue, visited, links = defaultdict(int), list(starts), set(), {}
    pages = []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        route = route_of(path)
        if path in visited or NOT_FOLLOWED.search(path) or SKIPPED_PATH.search(path):
            continue
        if route is None or seen_routes[route]:
            continue
        seen_routes[route] += 1
        visited.add(path)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((url, html))
        for href in HREF.findall(html):
            link = internal(href)
            if link is not None:
                links.setdefault(link.split("#")[0], url)
                queue.append(link)
    return pages, links


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("role", list(ROLES))
def test_every_internal_link_resolves_and_every_title_matches_its_heading(role):
    broken, mismatched, checked = [], [], 0
    for language in ("zh-hans", "en"):
        client = client_for(role, language)
        pages, links = walk(client, ROLES[role])
        assert len(pages) >= 10, [url for url, _ in pages]
        for url, html in pages:
            title, heading = title_and_heading(html)
            if heading is None or not agree(title, heading):
                mismatched.append(f"{url} [{language}]: <title> {title!r}, <h1> {heading!r}")
        for link, where in sorted(links.items()):
            if link.split("?")[0].endswith("/") or "." not in link.rsplit("/", 1)[-1]:
                status = client.get(link).status_code
            else:
                status = client.head(link).status_code  # a download: its headers suffice
            checked += 1
            if status not in (200, 302):
                broken.append(f"{link} [{language}] → {status} (linked from {where})")
    assert checked >= 100, checked
    assert not broken, "\n".join(broken)
    assert not mismatched, "\n".join(mismatched)


def test_the_checks_catch_what_they_are_for():
    page = "<title>Signup · PFCC</title><main><h1>Sign Up</h1></main>"
    assert title_and_heading(page) == ("Signup", "Sign Up")
    assert not agree("Signup", "Sign Up")
    assert agree("Gallery · 大模型应用与创意赛", "Gallery")
    assert not agree("社区动态 · 博客", "分类：社区动态")
    assert title_and_heading(
        '<title>第八期 · PFCC</title><h1>第八期 <span class="badge state-open">进行中</span></h1>'
    ) == ("第八期", "第八期")
    assert not agree("任务 · 主赛题", "任务看板 · 主赛题")
    assert internal("https://github.com/PaddlePaddle") is None
    assert (
        internal("/hackathon/8/tasks/?state=1&amp;track=2") == "/hackathon/8/tasks/?state=1&track=2"
    )


ALLAUTH_PAGES = {
    None: ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
           "/accounts/password/reset/done/", "/accounts/confirm-email/", "/accounts/inactive/",
           "/accounts/password/reset/key/1-set-password/", "/accounts/confirm-email/nokey/",
           "/accounts/3rdparty/login/cancelled/", "/accounts/3rdparty/login/error/"],
    "user": ["/accounts/email/", "/accounts/password/change/", "/accounts/logout/",
             "/accounts/2fa/", "/accounts/3rdparty/", "/accounts/2fa/totp/activate/"],
    "staff": ["/accounts/2fa/", "/accounts/2fa/recovery-codes/", "/accounts/reauthenticate/"],
}  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_sign_in_page_is_titled_as_it_is_headed(db, language):
    """allauth's pages (and ours over them): "Signup" in the tab and "Sign Up" on the page was
    one of them."""
    from django.test import Client

    from tests.factories import StaffFactory, UserFactory

    users = {None: None, "user": UserFactory(), "staff": StaffFactory()}
    problems, seen = [], 0
    for who, urls in ALLAUTH_PAGES.items():
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if users[who] is not None:
            client.force_login(users[who])
        for url in urls:
            response = client.get(url, follow=True)
            html = response.content.decode()
            if response.status_code != 200 or "<h1" not in html:
                continue
            seen += 1
            title, heading = title_and_heading(html)
            if heading is None or not agree(title, heading):
                problems.append(f"{url} ({who}): <title> {title!r}, <h1> {heading!r}")
    assert seen >= 12, seen
    assert not problems, "\n".join(problems)
