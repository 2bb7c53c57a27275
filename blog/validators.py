"""Blog field validators. Image checks live in common.uploads (shared with every app); the name
stays importable from here for the migrations that reference it."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.uploads import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, validate_image_upload

__all__ = ["MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "validate_image_upload", "validate_post_slug"]

RESERVED_SLUGS = {
    "feed.rss", "feed.atom", "search", "preview", "category", "tag", "archive", "about",
}  # fmt: skip
SLUG_RE = re.compile(r"^[^\s/?#%\\]+$")


def validate_post_slug(value: str):
    if not SLUG_RE.match(value or "") or value in {".", ".."}:
        raise ValidationError(
            _("Use letters, digits and dashes, without spaces or slashes."), code="invalid_slug"
        )
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved."), code="reserved_slug")
