import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GitHub's rules: 1–39 characters, letters, digits and single hyphens, not at either end.
GITHUB_LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


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
PULL_REQUEST_URL_RE = re.compile(
    r"^https://github\.com/"
    r"(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})/"
    r"(?P<repo>[A-Za-z0-9._-]{1,100})/pull/(?P<number>[1-9][0-9]{0,9})/?$"
)


def canonical_pull_request_url(value: str) -> str:
    """The canonical form of a GitHub pull-request URL (no trailing slash), or a
    ValidationError. The one rule for PR links everywhere on the site."""
    text = value.strip() if isinstance(value, str) else ""
    match = PULL_REQUEST_URL_RE.fullmatch(text)
    if not match or match["repo"] in {".", ".."}:
        raise ValidationError(
            _(
                "“%(value)s” is not a GitHub pull request URL; use "
                "https://github.com/<owner>/<repo>/pull/<number>."
            ),
            code="invalid_pull_request_url",
            params={"value": text},
        )
    return f"https://github.com/{match['owner']}/{match['repo']}/pull/{match['number']}"


def validate_pull_request_url(value: str) -> None:
    canonical_pull_request_url(value)
