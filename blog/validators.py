"""Checks for uploaded images: size, type, and decompression bombs (Pillow)."""

import contextlib
import re
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image_upload(file):
    size = getattr(file, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)d MB.") % {"limit": MAX_IMAGE_BYTES // 2**20},
            code="too_large",
        )
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("Upload a valid image (JPEG, PNG, GIF or WebP)."), code="invalid_image"
        ) from None
    finally:
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Upload a valid image (JPEG, PNG, GIF or WebP)."), code="invalid_image"
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("The image has too many pixels."), code="too_many_pixels")


RESERVED_SLUGS = {"feed.rss", "feed.atom", "search", "preview", "category", "tag", "archive"}
SLUG_RE = re.compile(r"^[^\s/?#%\\]+$")


def validate_post_slug(value: str):
    if not SLUG_RE.match(value or "") or value in {".", ".."}:
        raise ValidationError(
            _("Use letters, digits and dashes, without spaces or slashes."), code="invalid_slug"
        )
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(_("This address is reserved."), code="reserved_slug")
