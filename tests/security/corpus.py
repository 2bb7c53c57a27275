"""The hostile-input corpus: every payload of a security finding, kept and grown with each one.
tests/security/test_corpus.py runs each against every form, export and feed.

Issue 19's findings: Markdown that is quadratic for Python-Markdown's link parser, a tag whose
quoted `>` fooled the export sanitiser, a phishing "name" mailed to someone else's address, a
GitHub login typed by someone who does not own it, a 256-character name, plus the XSS payloads
of the renderer's tests."""

from tests.pfcc.test_markdown import XSS_PAYLOADS

ISSUE_19 = [
    "[" * 8_000,  # unmatched brackets: 12.4 s with Python-Markdown
    "[a](b " * 2_000,  # unclosed links: quadratic
    '<img alt=">" src=x onerror=alert(1)>',  # the quoted ">" of the export sanitiser
    "PFCC security: your account is locked, verify at https://evil.example/reset",
    "torvalds",  # a login typed by someone else
    "x" * 256,  # a name longer than the file system's
    "`a | <img src=x onerror=alert(1)>` |",  # a code span that a table splits
    "```\n<img src=x onerror=alert(1)>",  # an unclosed fence
]
# The attack on judged contests, meetups and progress reports (this file's second round): line
# breaks that would start a header or an iCalendar property of the text's choosing, Unicode's
# own line breaks (str.splitlines() splits on them), a right-to-left override.
NEWER_AREAS = [
    "Meetup\r\nATTENDEE:mailto:victim@example.org\r\nX-INJECTED:1",
    "Meetup\u2028ATTENDEE:mailto:victim@example.org\u2029X-INJECTED:1",
    "Meetup\x85ATTENDEE:mailto:victim@example.org",
    "Entry\r\nBcc: victim@example.org",
    "\u202eexe.elif",
]
CORPUS = ISSUE_19 + NEWER_AREAS + XSS_PAYLOADS
