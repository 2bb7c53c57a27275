import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GitHub's rules: 1–39 characters, letters, digits and single hyphens, not at either end.
GITHUB_LOGIN = r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}"
GITHUB_LOGIN_RE = re.compile(rf"^{GITHUB_LOGIN}$")
# A login as people write it: `login`, `@login` or `https://github.com/login`.
GITHUB_PROFILE_RE = re.compile(rf"(?:https?://)?(?:www\.)?github\.com/({GITHUB_LOGIN})/?", re.I)


def validate_github_login(value: str) -> None:
    if not isinstance(value, str) or not GITHUB_LOGIN_RE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid GitHub login: use 1–39 letters, digits or single "
                "hyphens, not starting or ending with a hyphen."
            ),
            code="invalid_github_login",
            params={"value": value},
        )


# https://github.com/<owner>/<repo>/pull/<number>, nothing else (an optional trailing slash).
PULL_REQUEST = (
    rf"github\.com/(?P<owner>{GITHUB_LOGIN})/"
    r"(?P<repo>[A-Za-z0-9._-]{1,100})/pull/(?P<number>[0-9]{1,10})"
)
PULL_REQUEST_URL_RE = re.compile(rf"^https://{PULL_REQUEST}/?$")
# The same, found inside text (http or https, any case), as mentees paste links in reports.
PULL_REQUEST_LINK_RE = re.compile(rf"https?://{PULL_REQUEST}(?![\w/])", re.IGNORECASE)


def canonical_pull_request_url(value: str) -> str:
    """The canonical form of a GitHub pull-request URL (no trailing slash), or a
    ValidationError. The one rule for PR links everywhere on the site."""
    text = value.strip() if isinstance(value, str) else ""
    match = PULL_REQUEST_URL_RE.fullmatch(text)
    if not match or match["repo"] in {".", ".."} or int(match["number"]) == 0:
        raise ValidationError(
            _(
                "“%(value)s” is not a GitHub pull request URL; use "
                "https://github.com/<owner>/<repo>/pull/<number>."
            ),
            code="invalid_pull_request_url",
            params={"value": text},
        )
    return f"https://github.com/{match['owner']}/{match['repo']}/pull/{int(match['number'])}"


def validate_pull_request_url(value: str) -> None:
    canonical_pull_request_url(value)


def pull_request_links(*texts: str) -> list[str]:
    """Every GitHub pull request linked in the texts, once each, in order of appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in PULL_REQUEST_LINK_RE.finditer(text or ""):
            owner, repo, number = match["owner"], match["repo"], match["number"]
            seen.setdefault(f"https://github.com/{owner}/{repo}/pull/{int(number)}", None)
    return list(seen)


def pull_request_key(url: str) -> str | None:
    """`https://github.com/PaddlePaddle/Paddle/pull/42` → `paddlepaddle/paddle/42` (any case,
    http or https, a trailing slash), or None for anything else."""
    match = re.fullmatch(rf"https?://{PULL_REQUEST}/?", (url or "").strip(), re.IGNORECASE)
    if match is None:
        return None
    return f"{match['owner']}/{match['repo']}/{int(match['number'])}".lower()
