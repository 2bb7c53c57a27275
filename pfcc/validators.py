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
