"""Every place people's text is shown, with every payload of the Markdown renderer's XSS list:
HTML pages carry no executable markup, feeds neither, Markdown exports carry no raw script,
event handler or javascript: link, and JSON/Markdown exports are never sniffed as HTML."""

import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from blog.models import PostAuthor, Tag
from camp.models import Report, Review
from common.mdsafe import safe_markdown
from hackathon.models import Direction, Task, Track
from pfcc.models import Person
from tests.pfcc.test_markdown import XSS_PAYLOADS

from .world import build_world

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"}
# MathML (<math>) is allowed since formulas render on the server (issue 13); its attributes are
# checked like every other element's.
FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "base", "frame", "frameset", "applet", "svg",
}  # fmt: skip
BAD_SCHEME_RE = re.compile(r"^(?:javascript|vbscript|data:text|livescript):", re.I)
INVISIBLE_RE = re.compile(r"[\s\x00-\x1f]+")


class _Executable(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and any(
            k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs
        ):
            self.problems.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=>")
            if name in URL_ATTRIBUTES and BAD_SCHEME_RE.match(INVISIBLE_RE.sub("", value or "")):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def executable_markup(text: str) -> list[str]:
    parser = _Executable()
    parser.feed(text)
    parser.close()
    return parser.problems


HTML_FEED_ELEMENTS = {"description", "content", "summary", "encoded"}
RAW_TAG_RE = re.compile(r"<\s*(script|iframe|svg|object|embed|style|form|base|meta|body)\b", re.I)
RAW_EVENT_RE = re.compile(r"<[A-Za-z][^<>]*\son[a-z]+\s*=", re.I)
MD_LINK_RE = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data):", re.I)


def rendered_markdown_problems(text: str) -> list[str]:
    """What a Markdown renderer that passes raw HTML through (CommonMark with tables, as
    GitHub's before its sanitiser, or any other site the export is pasted into) would run."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    problems = executable_markup(rendered)
    # Also inside raw text elements (<style>, <textarea>), where mXSS tricks hide them.
    problems += [f"raw <{m}>" for m in RAW_TAG_RE.findall(rendered)]
    problems += [f"event handler {m!r}" for m in RAW_EVENT_RE.findall(rendered)]
    return [f"rendered: {problem}" for problem in problems]


def markdown_problems(text: str) -> list[str]:
    """What the Markdown runs once rendered (code shows as text), and links to scripts, which
    some renderers would follow."""
    problems = rendered_markdown_problems(text)
    problems += [f"link {m!r}" for m in MD_LINK_RE.findall(html.unescape(text))]
    return problems


def test_the_checkers_catch_the_payloads():
    """The checkers themselves: every payload, unescaped, is caught; escaped, it is not."""
    for payload in XSS_PAYLOADS:
        if "`" in payload or payload.startswith(("[", "!")):
            continue  # Markdown, not HTML
        if "data:text/html" in payload or "<form" in payload or "<link" in payload:
            continue  # caught by the renderer's own tests; no script runs by itself here
        if "style=" in payload:
            continue
        assert executable_markup(payload) or markdown_problems(payload), payload
        assert not executable_markup(html.escape(payload)), payload
    for payload in XSS_PAYLOADS:
        assert not markdown_problems(safe_markdown(payload)), payload


def _poison(world, payload):
    """Every field people write, set to the payload (as an import or an old row could)."""
    short = payload[:100]
    persons = [world.persons[role] for role in ("contributor", "mentee", "mentor", "applicant")]
    Person.objects.filter(pk__in=[p.pk for p in persons]).update(name=payload[:150])
    post = world.post
    post.title, post.body = payload[:300], f"{payload}\n\n<!-- more -->\n\n{payload}"
    post.save()
    Tag.objects.filter(pk=world.tag.pk).update(name=payload[:60])
    PostAuthor.objects.filter(post=post).update(credited_name=payload[:150])
    world.about.title, world.about.body = payload[:200], payload
    world.about.save()
    for task in Task.objects.filter(edition=world.edition):
        task.title, task.description = payload[:300], payload
        task.save()
    Track.objects.filter(edition=world.edition).update(name=short)
    Direction.objects.filter(track__edition=world.edition).update(name=short)
    world.claim.team_name = short
    world.claim.save()
    world.objection.text, world.objection.answer = payload, payload
    world.objection.save()
    for report in Report.objects.all():
        report.work = report.questions = report.next_work = payload
        report.save()
    review = Review(report=world.report, mentor=world.persons["mentor"], text=payload)
    review.save()
    Report.objects.filter(pk=world.report.pk).update(state=Report.State.REVIEWED)
    application = world.camp_application
    application.statement = payload
    application.save()
    membership = world.membership_application
    membership.statement, membership.other_contact, membership.name = payload, short, short
    membership.save()


def _pages(world, payload):
    """(role, url) for every page and export that shows people's text."""
    q = {"q": payload[:100]}
    ed, pub = world.edition.number, world.published.number
    return [
        ("anonymous", reverse("pfcc:home")),
        ("anonymous", reverse("pfcc:person", args=[world.persons["mentor"].github])),
        ("anonymous", reverse("pfcc:person", args=[world.persons["contributor"].github])),
        ("anonymous", reverse("blog:index")),
        ("anonymous", reverse("blog:detail", args=[world.post.slug])),
        ("anonymous", reverse("blog:about")),
        ("anonymous", reverse("blog:tag", args=[world.tag.slug])),
        ("anonymous", reverse("search:results") + "?" + _encode(q)),
        ("staff", reverse("search:results") + "?" + _encode(q)),
        ("anonymous", reverse("blog:feed_rss")),
        ("anonymous", reverse("blog:feed_atom")),
        ("anonymous", reverse("membership:directory") + "?" + _encode(q)),
        ("anonymous", reverse("hackathon:edition", args=[ed])),
        ("anonymous", reverse("hackathon:board", args=[ed]) + "?" + _encode({"track": payload})),
        ("anonymous", reverse("hackathon:board_md", args=[ed])),
        ("anonymous", reverse("hackathon:board_json", args=[ed])),
        ("anonymous", reverse("hackathon:task", args=[ed, 1])),
        ("anonymous", reverse("hackathon:progress", args=[ed])),
        ("anonymous", reverse("hackathon:progress_md", args=[ed])),
        ("anonymous", reverse("hackathon:progress_json", args=[ed])),
        ("anonymous", reverse("hackathon:results", args=[pub])),
        ("anonymous", reverse("hackathon:results_json", args=[pub])),
        ("anonymous", reverse("hackathon:certificate", args=[world.certificate.code])),
        ("anonymous", reverse("camp:cohort", args=[world.cohort.slug])),
        ("anonymous", reverse("camp:project", args=[world.cohort.slug, 1])),
        ("contributor", reverse("hackathon:results", args=[pub])),
        ("contributor", reverse("hackathon:task", args=[ed, 1])),
        ("mentee", reverse("camp:my_camp")),
        ("mentee", reverse("camp:report", args=[world.report.pk])),
        ("mentee", reverse("camp:report_export", args=[world.report.pk])),
        ("mentee", reverse("camp:write", args=[world.second_period.pk])),
        ("mentor", reverse("camp:reviews")),
        ("mentor", reverse("camp:report", args=[world.draft_report.pk])),
        ("ta", reverse("camp:checklist", args=[world.cohort.slug])),
        ("ta", reverse("camp:period_summary", args=[world.cohort.slug, 1])),
        ("applicant", reverse("membership:status")),
        ("applicant", reverse("camp:application", args=[world.camp_application.pk])),
        ("staff", reverse("camp:applications", args=[world.cohort.slug])),
        ("staff", reverse("hackathon:results", args=[pub])),
        (
            "staff",
            reverse(
                "admin:membership_membershipapplication_change",
                args=[world.membership_application.pk],
            ),
        ),
        ("staff", reverse("admin:hackathon_objection_change", args=[world.objection.pk])),
        ("staff", reverse("admin:blog_post_changelist")),
    ]


def _encode(params):
    from urllib.parse import urlencode

    return urlencode(params)


# Every property the site's calendars write (events/ical.py); a line starting with anything else
# was started by a line break in someone's text.
CALENDAR_PROPERTIES = {
    "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "UID", "DTSTAMP",
    "DTSTART", "DTEND", "CREATED", "LAST-MODIFIED", "SEQUENCE", "SUMMARY", "DESCRIPTION", "URL",
    "STATUS", "TRANSP", "LOCATION",
}  # fmt: skip


def calendar_problems(body: str) -> list[str]:
    """Lines as any reader splits them (str.splitlines(): CRLF, but also U+2028, NEL, …): each
    is a property the site writes or a folded continuation."""
    problems = []
    for line in body.splitlines():
        name = re.split(r"[:;]", line, maxsplit=1)[0]
        if line and not line.startswith(" ") and name not in CALENDAR_PROPERTIES:
            problems.append(f"iCalendar line {line[:60]!r}")
    return problems


def _problems(response) -> list[str]:
    content_type = response["Content-Type"].split(";")[0]
    body = response.content.decode()
    if content_type == "text/html":
        return executable_markup(body)
    if content_type in ("application/rss+xml", "application/atom+xml"):
        if "<script" in body.lower():
            return ["raw <script> in the feed"]
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed
        problems = []
        for element in root.iter():
            # The elements that carry HTML (escaped in the XML); titles are plain text.
            if element.tag.rsplit("}", 1)[-1] in HTML_FEED_ELEMENTS and element.text:
                problems += executable_markup(element.text)
        return problems
    if content_type == "text/markdown":
        return markdown_problems(body)
    if content_type == "application/json":
        json.loads(body)
        return []  # data, never rendered: application/json with nosniff
    if content_type == "text/calendar":
        return calendar_problems(body)
    return [f"unexpected content type {content_type}"]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return build_world()


def test_the_export_sanitiser_is_not_fooled_by_quoted_brackets():
    """Issue 19: `<img alt=">" src=x onerror=…>` came out of the regex sanitiser unchanged in
    the public tasks.md, a report export and the TA summary."""
    payload = '<img alt=">" src=x onerror=alert(1)>'
    assert rendered_markdown_problems(payload)  # the checker sees the attack
    assert not rendered_markdown_problems(safe_markdown(payload))
    for wrapped in (
        f"| team | {payload} |\n|---|---|\n| a | {payload} |",
        f"- {payload}\n  ```\n{payload}\n```\n{payload}",
        f"> ```\n{payload}\n",
        f"`a | {payload}` |",
        f"<br>\n\n```\n{payload}",
        f"``{payload}`\n{payload}",
        f"\\`{payload}`",
    ):
        assert not rendered_markdown_problems(safe_markdown(wrapped)), wrapped


def test_exports_keep_code_line_breaks_and_autolinks():
    text = "a `vector<int>` b<br>c <https://github.com/PaddlePaddle/Paddle/pull/1>\n```\n<x>\n```"
    assert safe_markdown(text) == text
    assert safe_markdown("a < b <i>") == "a &lt; b &lt;i>"


def test_no_payload_runs_anywhere(world):
    clients = {}
    for role, user in world.users.items():
        clients[role] = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            clients[role].force_login(user)
    # The site's own scripts (the admin's) and SVG (charts, icons) are there without any
    # payload: only what a payload adds counts.
    baseline = [
        Counter(_problems(clients[role].get(url))) for role, url in _pages(world, "plain text")
    ]
    failures = []
    for payload in XSS_PAYLOADS:
        with transaction.atomic():
            _poison(world, payload)
            for index, (role, url) in enumerate(_pages(world, payload)):
                response = clients[role].get(url)
                if response.status_code != 200:
                    failures.append(f"{url} as {role}: {response.status_code}")
                    continue
                assert response["X-Content-Type-Options"] == "nosniff"
                added = Counter(_problems(response)) - baseline[index]
                failures += [f"{url} as {role}: {p} for {payload!r}" for p in added]
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures[:40])


def test_payloads_are_shown_as_text_not_dropped(world, client):
    """Escaping, not deleting: the objector reads their own text back, escaped."""
    payload = '<img src=x onerror="alert(1)">'
    world.objection.text = payload
    world.objection.save()
    client.force_login(world.users["contributor"])
    body = client.get(reverse("hackathon:results", args=[world.published.number])).content
    assert html.escape(payload, quote=True).encode() in body or b"&lt;img src=x onerror=" in body
