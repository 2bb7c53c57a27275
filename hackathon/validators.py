import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PULL_REQUEST_RE = re.compile(
    r"^https://github\.com/[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}/pull/[1-9][0-9]{0,9}/?$"
)


def validate_pull_request_url(value: str) -> None:
    if not isinstance(value, str) or not PULL_REQUEST_RE.fullmatch(value.strip()):
        raise ValidationError(
            _(
                "“%(value)s” is not a GitHub pull request address: use "
                "https://github.com/<owner>/<repository>/pull/<number>."
            ),
            code="invalid_pull_request",
            params={"value": value},
        )


def normalize_pull_request_url(value: str) -> str:
    return value.strip().rstrip("/")
