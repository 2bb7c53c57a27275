"""The iCalendar files, read back with an independent RFC 5545 parser (the `icalendar`
package): one file per event, and the feed of upcoming events."""

from datetime import UTC, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import ical
from events.models import Event

from .factories import EventFactory

pytestmark = pytest.mark.django_db

LONG_TITLE = "飞桨开源社区 Meetup：框架开发、科学计算、大模型应用与黑客松经验分享，欢迎大家来北京 798 一起交流"
ENGLISH = {"accept-language": "en"}
TRICKY = 'Semicolons; commas, back\\slashes and\nnew lines "quoted"'


def parse(content: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(content)
    for component in calendar.walk():
        assert component.errors == [], component.errors
    return calendar


def events_of(calendar):
    return list(calendar.walk("VEVENT"))


def assert_wellformed(content: bytes):
    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert b"\n" not in content.replace(b"\r\n", b"")
    for line in lines:
        line.decode("utf-8")  # folding never cuts a character in two


def test_one_event_as_a_calendar_file(client, settings):
    settings.SITE_URL = "https://pfcc.example.org"
    event = EventFactory(
        slug="bj", title=LONG_TITLE, summary=TRICKY, venue="北京 798", address="酒仙桥路 4 号"
    )
    response = client.get(reverse("events:ics", args=["bj"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bj.ics"'
    assert_wellformed(response.content)
    calendar = parse(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == ical.PRODUCT_ID
    [vevent] = events_of(calendar)
    assert vevent["UID"] == f"event-{event.pk}@pfcc.example.org"
    assert str(vevent["SUMMARY"]) == LONG_TITLE  # folded, and unfolded back whole
    assert vevent.decoded("DTSTART") == event.starts_at.astimezone(UTC).replace(microsecond=0)
    assert vevent.decoded("DTEND") == event.ends_at.astimezone(UTC).replace(microsecond=0)
    assert vevent.decoded("DTSTART").tzinfo is not None
    assert "DTSTAMP" in vevent
    assert str(vevent["LOCATION"]) == "北京 798, 酒仙桥路 4 号"
    assert str(vevent["URL"]) == "https://pfcc.example.org/events/bj/"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    description = str(vevent["DESCRIPTION"])
    assert description.startswith(TRICKY) and "https://pfcc.example.org/events/bj/" in description


def test_a_cancelled_event_says_so_and_a_new_time_raises_the_sequence(client):
    event = EventFactory(slug="moved")
    first = events_of(parse(client.get(reverse("events:ics", args=["moved"])).content))[0]
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.save()
    Event.objects.filter(pk=event.pk).update(state=Event.State.CANCELLED)
    second = events_of(parse(client.get(reverse("events:ics", args=["moved"])).content))[0]
    assert second["UID"] == first["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert str(second["STATUS"]) == "CANCELLED"


def test_online_events_say_online_and_never_give_the_private_link(client):
    EventFactory(
        slug="online",
        format=Event.Format.ONLINE,
        venue="",
        online_url="https://meet.example.org/secret-room",
    )
    content = client.get(reverse("events:ics", args=["online"]), headers=ENGLISH).content
    [vevent] = events_of(parse(content))
    assert str(vevent["LOCATION"]) == "online"
    assert b"secret-room" not in content


def test_the_feed_lists_upcoming_events(client):
    now = timezone.now()
    EventFactory(title="Next week")
    EventFactory(title="Called off", state=Event.State.CANCELLED)
    EventFactory(title="Draft", state=Event.State.DRAFT)
    EventFactory(
        title="Last week",
        starts_at=now - timedelta(days=7, hours=3),
        ends_at=now - timedelta(days=7),
        recording_url="https://www.bilibili.com/video/BV1",
    )
    EventFactory(
        title="Last year", starts_at=now - timedelta(days=365), ends_at=now - timedelta(days=364)
    )
    response = client.get(reverse("events:feed"), headers=ENGLISH)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline")
    assert_wellformed(response.content)
    calendar = parse(response.content)
    titles = {str(vevent["SUMMARY"]): vevent for vevent in events_of(calendar)}
    assert set(titles) == {"Next week", "Called off", "Last week"}
    assert str(titles["Called off"]["STATUS"]) == "CANCELLED"
    assert "BV1" in str(titles["Last week"]["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == "PFCC events"
    assert len({str(vevent["UID"]) for vevent in titles.values()}) == 3


def test_an_empty_feed_is_still_a_valid_calendar(client):
    calendar = parse(client.get(reverse("events:feed")).content)
    assert events_of(calendar) == []


@pytest.mark.parametrize(
    "text",
    ["a" * 200, "é" * 100, "中" * 100, "🎉" * 40, "x" * 74 + "中", "a;b,c\\d\ne"],
)
def test_folding_and_escaping_round_trip(text):
    line = f"SUMMARY:{ical.escape_text(text)}"
    content = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u\r\n"
               "DTSTAMP:20260101T000000Z\r\nDTSTART:20260101T000000Z\r\n"
               f"{ical.fold(line)}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()  # fmt: skip
    assert_wellformed(content)
    [vevent] = events_of(parse(content))
    assert str(vevent["SUMMARY"]) == text


def test_the_feed_speaks_the_visitors_language(client):
    EventFactory(recording_url="https://www.bilibili.com/video/BV2")
    calendar = parse(
        client.get(reverse("events:feed"), headers={"accept-language": "zh-CN"}).content
    )
    assert str(calendar["X-WR-CALNAME"]) == "PFCC 活动"


@pytest.mark.parametrize(
    "line_break", ["\r\n", "\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x1e"]
)
def test_a_line_break_in_a_title_or_place_starts_no_property(client, line_break):
    """iCalendar injection: a title or place with a line break followed by a property of its
    own (an attendee, an alarm). Every reader, also one that splits lines as Python's
    str.splitlines() does (U+2028, NEL, …), sees one SUMMARY and one LOCATION and nothing else."""
    injected = f"{line_break}ATTENDEE:mailto:victim@example.org{line_break}X-INJECTED:1"
    EventFactory(slug="inj", title=f"Meetup{injected}", venue=f"Room 1{injected}")
    content = client.get(reverse("events:ics", args=["inj"])).content
    assert_wellformed(content)
    for line in content.decode().splitlines():
        assert not line.startswith(("ATTENDEE", "X-INJECTED")), repr(line)
    [vevent] = events_of(parse(content))
    assert "ATTENDEE" not in vevent and "X-INJECTED" not in vevent
    assert str(vevent["SUMMARY"]).startswith("Meetup") and "victim@example.org" in str(
        vevent["SUMMARY"]
    )
