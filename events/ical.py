"""iCalendar (RFC 5545) files: one event, or the feed of upcoming events.

Written by hand, it is short: CRLF line ends, lines folded at 75 octets (never inside a UTF-8
character), TEXT values escaped, times in UTC. The tests read the output back with the
`icalendar` package, an independent parser.
"""

import re
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.site import absolute_url

PRODUCT_ID = "-//PFCC//PFCC Portal events//EN"
LINE_OCTETS = 75
LINE_BREAKS_RE = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def escape_text(value) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and new lines escaped."""
    text = str(value or "")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Unicode's line breaks too: readers that split lines as Python's str.splitlines() does
    # would otherwise start a property of the text's choosing after one.
    text = LINE_BREAKS_RE.sub("\n", text).replace("\n", "\\n")
    # Other control characters are not allowed in TEXT.
    return "".join(ch for ch in text if ch == "\t" or ord(ch) >= 0x20 and ord(ch) != 0x7F)


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets (RFC 5545, 3.1); continuation lines
    start with a space. Characters are never split."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(ch)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "pfcc.invalid"


def uid(event) -> str:
    """Stable for the event's life (its address may change, its primary key does not)."""
    return f"event-{event.pk}@{_host()}"


def _description(event, url: str) -> str:
    lines = [event.summary] if event.summary else []
    if event.recording_url:
        lines.append(_("Recording: %(url)s") % {"url": event.recording_url})
    if event.slides_url:
        lines.append(_("Slides: %(url)s") % {"url": event.slides_url})
    lines.append(url)
    return "\n\n".join(lines)


def event_lines(event, stamp) -> list[str]:
    url = absolute_url(event)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(event)}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"CREATED:{utc(event.created_at)}",
        f"LAST-MODIFIED:{utc(event.updated_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(_description(event, url))}",
        f"URL:{url}",
        "STATUS:CANCELLED" if event.is_cancelled else "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
    ]
    if event.location_text:
        lines.append(f"LOCATION:{escape_text(event.location_text)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, name: str = "") -> str:
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def response(text: str, filename: str, *, attachment: bool) -> HttpResponse:
    result = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    result["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return result
