"""Checks for uploaded files, by content and never by name, shared by every app.

Images (post images): a real JPEG, PNG, GIF or WebP that Pillow decodes completely, of at most
MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS; SVG, truncated files and decompression bombs are refused.
`sanitize_image` re-encodes an accepted image: EXIF (GPS, camera) and anything appended to the
file (a polyglot's script or HTML) are gone, the EXIF orientation is applied to the pixels.

PDFs (résumés): the `%PDF-` header and the `%%EOF` trailer, no HTML, and none of the actions that
make a reader run something (/JavaScript, /JS, /Launch, /EmbeddedFile, /RichMedia, /XFA).
A cheap check, not a PDF parser: a compressed object stream could still hide an action; the
files are only ever downloaded by staff as attachments, never shown inline.
"""

import contextlib
import io
import re
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 20_000
# MPO: a phone's multi-picture JPEG (a photo plus depth or preview frames); its first frame is
# the photo, and it is stored as a plain JPEG of that frame.
ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_SUFFIXES = {
    "JPEG": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "MPO": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "PNG": {".png"},
    "GIF": {".gif"},
    "WEBP": {".webp"},
}

MAX_PDF_BYTES = 5 * 1024 * 1024
# A PDF name may spell any character as #xx (/J#61vaScript): decoded before the search.
PDF_NAME_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_FORBIDDEN_RE = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)(?![A-Za-z])"
)
PDF_STREAM_RE = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.S)
HTML_MARKERS_RE = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype)\b", re.I)

INVALID_IMAGE = _("Upload a valid image (JPEG, PNG, GIF or WebP).")


def _size(file) -> int | None:
    size = getattr(file, "size", None)
    if size is None:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            position = file.tell()
            file.seek(0, io.SEEK_END)
            size = file.tell()
            file.seek(position)
    return size


def _release(image):
    """Let go of the image without closing the caller's file (Image.close() would)."""
    with image:
        pass


def _open_checked(file):
    """Pillow's image after a full decode, or a ValidationError; the caller closes it."""
    size = _size(file)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
        )
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            if image.format not in ALLOWED_IMAGE_FORMATS:
                _release(image)
                raise ValidationError(INVALID_IMAGE, code="invalid_image")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                _release(image)
                raise ValidationError(
                    _("The image is %(width)d × %(height)d pixels; the limit is %(limit)s pixels."),
                    code="too_many_pixels",
                    params={"width": width, "height": height, "limit": "40,000,000"},
                )
            image.load()  # decodes every byte: a truncated file fails here, not later
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image declares too many pixels (a decompression bomb?)."),
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(INVALID_IMAGE, code="invalid_image") from None
    finally:
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    return image


def validate_image_upload(file):
    """A ValidationError unless the file is a whole JPEG, PNG, GIF or WebP within the limits."""
    _release(_open_checked(file))


class CheckedImageField(forms.ImageField):
    """A form's image field whose refusals say why (size, pixels, type), not only "invalid"."""

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is not None:
            validate_image_upload(file)
        return file


def sanitize_image(file, name: str | None = None) -> ContentFile:
    """The image re-encoded in its own format: no EXIF or other metadata, nothing appended,
    orientation applied. The name's extension follows the real format. Validates first."""
    image = _open_checked(file)
    try:
        image_format = "JPEG" if image.format == "MPO" else image.format
        frames = getattr(image, "n_frames", 1)
        output = io.BytesIO()
        if frames > 1 and image_format in {"GIF", "WEBP"}:
            # Animations keep their frames; their metadata (comments, XMP) is not carried over.
            image.info.pop("exif", None)
            image.info.pop("xmp", None)
            image.info.pop("comment", None)
            image.save(output, image_format, save_all=True)
        else:
            clean = ImageOps.exif_transpose(image)
            # The colour profile is kept: it is not personal, and colours would shift without.
            icc = (
                {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
            )
            if image_format == "JPEG":
                if clean.mode not in ("RGB", "L", "CMYK"):
                    clean = clean.convert("RGB")
                clean.save(output, "JPEG", quality=90, optimize=True, **icc)
            elif image_format == "GIF":
                clean.save(output, "GIF")
            else:
                clean.save(output, image_format, **icc)
    finally:
        _release(image)
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    original = PurePath(name or getattr(file, "name", None) or "image")
    stem = original.stem or "image"
    suffix = original.suffix.lower()
    if suffix not in IMAGE_SUFFIXES[image_format]:
        suffix = "." + ALLOWED_IMAGE_FORMATS[image_format]
    return ContentFile(
        output.getvalue(),
        name=f"{stem}{original.suffix if suffix == original.suffix.lower() else suffix}",
    )


def validate_pdf_upload(file, max_bytes: int = MAX_PDF_BYTES):
    """A ValidationError unless the file looks like a plain PDF (see the module's notes)."""
    size = _size(file)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    file.seek(0)
    data = file.read(max_bytes + 1)
    file.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(max_bytes)},
        )
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(
            _("This is not a complete PDF file."),
            code="not_pdf",
        )
    # Compressed stream data is binary: searching it would refuse good files by chance.
    structure = PDF_STREAM_RE.sub(b"stream endstream", data)
    names = PDF_NAME_ESCAPE_RE.sub(lambda match: bytes([int(match[1], 16)]), structure)
    if PDF_FORBIDDEN_RE.search(names):
        raise ValidationError(
            _(
                "The PDF contains scripts, embedded files or actions; export it again as a "
                "plain PDF."
            ),
            code="pdf_active_content",
        )
    if HTML_MARKERS_RE.search(structure):
        raise ValidationError(
            _("The PDF contains HTML; export it again as a plain PDF."), code="pdf_html"
        )
