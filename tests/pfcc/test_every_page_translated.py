"""No page shows an untranslated interface string, in either language.

The demo data (`seed_demo`) is loaded; every page reachable by links is visited, once per URL
pattern, by a visitor and by each role (contributor, mentee, mentor, TA, staff in the admin), in
Chinese and in English. A Chinese page fails when one of its texts (a text node, a button's
label, a title, an aria-label, a placeholder) is the source string of a catalog that has no
Chinese for it, ours or Django's or allauth's: that is what a reader sees in English. An English
page fails when it shows one of our catalogs' Chinese translations (a template that hard-codes
the Chinese).
"""

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import allauth
import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from pfcc.models import User
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
OUR_CATALOGS = [
    ROOT / "locale",
    *(ROOT / app / "locale" for app in ("blog", "hackathon", "camp", "events", "membership")),
]
LIBRARY_CATALOGS = [
    Path(django.__file__).parent / "conf" / "locale",
    Path(django.__file__).parent / "contrib" / "admin" / "locale",
    Path(django.__file__).parent / "contrib" / "auth" / "locale",
    Path(allauth.__file__).parent / "locale",
]
SKIPPED_PATH = re.compile(
    r"(\.(csv|json|md|ics|png|pdf|rss|atom|xml)$)|^/(media|static|i18n|accounts/logout|"
    r"webhooks|healthz)|/(delete|withdraw|cancel|check-in/\d+|submit|lock|decline)/"
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# Source strings that read the same in Chinese (names, formats, abbreviations).
SAME_IN_CHINESE = re.compile(r"^[A-Z0-9 .+#/()&:-]+$|^(GitHub|Markdown|PFCC|WeChat|OK)$")


def _entries(folder: Path):
    for po_path in folder.glob("zh_Hans/LC_MESSAGES/*.po"):
        if po_path.name.startswith("djangojs"):
            continue
        yield from (entry for entry in polib.pofile(str(po_path)) if not entry.obsolete)


def _pattern(source: str) -> str | None:
    source = " ".join(source.split())
    if len(source) < 3 or not re.search(r"[A-Za-z]{2}", source) or SAME_IN_CHINESE.match(source):
        return None
    parts = PLACEHOLDER.split(source)
    if not any(re.search(r"[A-Za-z]{3}", part) for part in parts):
        return None  # nothing but placeholders and punctuation
    return ".+?".join(re.escape(part) for part in parts)


class Untranslated:
    """Matches a text against every untranslated source string at once."""

    def __init__(self, sources: list[str]):
        self.exact = {source for source in sources if not PLACEHOLDER.search(source)}
        patterns = [_pattern(source) for source in sources if PLACEHOLDER.search(source)]
        self.combined = re.compile("^(?:" + "|".join(p for p in patterns if p) + ")$")

    def __contains__(self, text: str) -> bool:
        return text in self.exact or bool(self.combined.match(text))


def untranslated_sources() -> Untranslated:
    """Source strings that come out in English on a Chinese page: gettext gives them back
    unchanged (and no catalog says they stay as they are)."""
    identical, sources = set(), set()
    for folder in OUR_CATALOGS + LIBRARY_CATALOGS:
        for entry in _entries(folder):
            if entry.msgstr == entry.msgid:
                identical.add(entry.msgid)
            if not entry.msgid_plural:
                sources.add((entry.msgctxt, entry.msgid))
    found = []
    with translation.override("zh-hans"):
        for context, source in sorted(sources, key=lambda item: (item[0] or "", item[1])):
            if source in identical:
                continue
            shown = (
                translation.pgettext(context, source) if context else translation.gettext(source)
            )
            if shown == source and _pattern(source):
                found.append(" ".join(source.split()))
    return Untranslated(found)


def stored_texts() -> set[str]:
    """Every short text stored in the database (names of tracks, cohorts, persons, …): data,
    shown as it was entered, in whatever language."""
    texts = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField) and not field.choices:
                values = model._default_manager.values_list(field.attname, flat=True)
                texts.update(" ".join(str(v).split()) for v in values.distinct()[:2000] if v)
    return texts


def chinese_translations() -> set[str]:
    """Our catalogs' Chinese texts that could only come from a translation (no Latin words)."""
    texts = set()
    for folder in OUR_CATALOGS:
        for entry in _entries(folder):
            text = " ".join(entry.msgstr.split())
            if re.search(r"[\u4e00-\u9fff]", entry.msgid):
                continue  # a Chinese name kept as it is in English too (飞桨开源之星)
            if len(text) >= 4 and "%" not in text and re.search(r"[\u4e00-\u9fff]{4}", text):
                texts.add(text)
    return texts


class VisibleText(HTMLParser):
    """Text nodes and the attributes a person reads or hears, with the links to follow."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt", "value")

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.links, self.hidden, self.stack = [], [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style", "template"}:
            self.hidden += 1
        if tag not in self.VOID:
            # Text marked as another language (the language switcher's 简体中文) is meant so.
            self.stack.append((tag, "lang" in attrs and tag != "html"))
        if any(foreign for _, foreign in self.stack):
            return
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in self.SPOKEN:
            if name == "value" and not (tag == "button" or attrs.get("type") == "submit"):
                continue
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self.hidden:
            self.hidden -= 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip() and not any(foreign for _, foreign in self.stack):
            self.texts.append(data)


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def crawl(client: Client, starts: list[str], language: str, limit: int = 400):
    """Pages reachable from `starts`, one URL per pattern (two of the admin's change forms)."""
    seen_routes, queue, visited = defaultdict(int), list(starts), set()
    while queue and len(visited) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path
        if path in visited or SKIPPED_PATH.search(path) or not path.startswith("/"):
            continue
        route = route_of(path)
        per_route = 2 if route and route.startswith("admin:") else 1
        if route is None or seen_routes[route] >= per_route:
            continue
        seen_routes[route] += 1
        visited.add(path)
        response = client.get(path + (f"?{parts.query}" if parts.query else ""))
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        page = read(response.content.decode())
        yield path, page
        queue.extend(link.split("#")[0] for link in page.links)


ROLE_STARTS = {
    None: ["/", "/blog/", "/hackathon/", "/camp/", "/events/", "/members/", "/join/",
           "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
           "/blog/search/?q=hackathon", "/blog/search/?q=zzzzzz",
           "/hackathon/certificates/0000000000000000/"],
    "contributor": ["/", "/account/", "/account/delete/", "/join/", "/join/status/",
                    "/events/mine/", "/members/profile/", "/accounts/email/"],
    "mentee": ["/camp/me/", "/camp/"],
    "mentor": ["/camp/reviews/"],
    "ta": ["/camp/"],
    "admin": ["/admin/"],
}  # fmt: skip


@pytest.fixture
def demo(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def client_for(role: str | None, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if role == "admin":
        client.force_login(StaffFactory())  # with TOTP, as the admin requires
    elif role is not None:
        client.force_login(User.objects.get(username=role))
    return client


@pytest.mark.parametrize("role", list(ROLE_STARTS))
def test_no_page_shows_an_untranslated_string(demo, role):
    sources = untranslated_sources()
    chinese = chinese_translations() - stored_texts()
    problems, visited = [], 0
    for language in ("zh-hans", "en"):
        client = client_for(role, language)
        for path, page in crawl(client, ROLE_STARTS[role], language):
            visited += 1
            for text in {" ".join(text.split()) for text in page.texts}:
                if language == "zh-hans" and text in sources:
                    problems.append(f"{path} [zh]: {text!r}")
                elif language == "en" and text in chinese:
                    problems.append(f"{path} [en]: {text!r}")
    assert visited >= (20 if role in {None, "admin"} else 3), visited
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_check_finds_an_untranslated_string():
    """The detector itself: a library string without Chinese, and a Chinese text on an English
    page, are both found."""
    sources = untranslated_sources()
    with translation.override("zh-hans"):
        assert translation.gettext("Log in") != "Log in"
    assert "Log in" not in sources  # translated: fine on a Chinese page
    fake = Untranslated(["Reviews waiting", "%(count)s reviews waiting for %(name)s"])
    page = read(
        "<main><p>  Reviews\n waiting </p><a title='3 reviews waiting for 林晓'>x</a></main>"
    )
    assert [" ".join(text.split()) in fake for text in page.texts] == [True, True, False]
    assert "简体中文" not in read("<p lang='zh-hans'>简体中文</p>").texts
    assert "没有找到这个编号的证书" in chinese_translations()
