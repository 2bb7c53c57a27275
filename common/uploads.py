"""Checks for uploaded files, by content and never by name, shared by every app.

Images (post images): a real JPEG, PNG, GIF or WebP that Pillow decodes completely, of at most
MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS; SVG, truncated files and decompression bombs are refused.
`sanitize_image` re-encodes an accepted image: EXIF (GPS, camera) and anything appended to the
file (a polyglot's script or HTML) are gone, the EXIF orientation is applied to the pixels.

Animated images: every frame is decoded, so the limit on pixels counts all frames together
(issue 19: 20 frames of 4000 × 4000 in a 253 KB GIF took 33 s in one admin request).

PDFs (résumés): the `%PDF-` header and the `%%EOF` trailer, no HTML, not encrypted, and none of
the actions that make a reader run something (/JavaScript, /JS, /Launch, /EmbeddedFile,
/RichMedia, /XFA, …) in any object. Every object is parsed with pypdf's object parser (which
knows comments, strings and `#xx` name escapes), found wherever it is: each `N G obj` in the
file, referenced or not (a reader repairing a damaged file finds those too), and each object
inside a compressed object stream. Searching the bytes was not enough (issue 19: an action
between `%stream` / `%endstream` comment lines, and one in a FlateDecode object stream, passed).
The files are only ever downloaded by staff as attachments, never shown inline.
"""

import contextlib
import io
import logging
import re
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    read_object,
)

# pypdf reports every damaged spot of a hostile upload as a warning: the refusal says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 20_000
# MPO: a phone's multi-picture JPEG (a photo plus depth or preview frames); its first frame is
# the photo, and it is stored as a plain JPEG of that frame.
# Formats whose every frame is kept (and so decoded) when an image is re-encoded.
ANIMATED_FORMATS = {"GIF", "WEBP"}
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
PDF_OBJECT_RE = re.compile(
    rb"(?<![0-9])[0-9]{1,10}[\x00\t\n\x0c\r ]+[0-9]{1,5}[\x00\t\n\x0c\r ]+obj"
)
PDF_TRAILER_RE = re.compile(rb"trailer[\x00\t\n\x0c\r ]*(?=<<)")
PDF_ACTIVE_NAMES = {
    "/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA",
    "/SubmitForm", "/ImportData", "/GoToE", "/Sound", "/Movie",
}  # fmt: skip
MAX_PDF_OBJECTS = 200_000
MAX_OBJECT_STREAM_BYTES = 20 * 1024 * 1024

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
            # An animation is decoded frame by frame when re-encoded: all frames count. Other
            # multi-frame files (a phone's MPO with its preview and depth frames, an APNG)
            # keep only their first frame, and only that one is decoded.
            frames = getattr(image, "n_frames", 1) if image.format in ANIMATED_FORMATS else 1
            if frames > 1 and width * height * frames > MAX_IMAGE_PIXELS:
                _release(image)
                raise ValidationError(
                    _(
                        "The animation has %(frames)d frames of %(width)d × %(height)d pixels; "
                        "the limit is %(limit)s pixels for all frames together."
                    ),
                    code="too_many_pixels",
                    params={
                        "frames": frames,
                        "width": width,
                        "height": height,
                        "limit": "40,000,000",
                    },
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
        if frames > 1 and image_format in ANIMATED_FORMATS:
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


class _LooseReader:
    """What pypdf's object parser asks of a reader: no strictness, and no object behind an
    indirect reference (a stream's indirect /Length: the data then runs to `endstream`)."""

    strict = False

    def get_object(self, reference):
        return None


class _PdfRefused(Exception):
    def __init__(self, code):
        self.code = code


def _check_pdf_value(value, depth=0) -> None:
    """Walk one parsed object: an active-content name as a key or a value refuses the file."""
    if depth > 100:
        raise _PdfRefused("pdf_invalid")
    if isinstance(value, NameObject):
        if value in PDF_ACTIVE_NAMES:
            raise _PdfRefused("pdf_active_content")
    elif isinstance(value, DictionaryObject):  # streams too: their dictionary
        for key, item in value.items():
            if key == "/Encrypt":
                raise _PdfRefused("pdf_encrypted")
            if key in PDF_ACTIVE_NAMES:
                raise _PdfRefused("pdf_active_content")
            _check_pdf_value(item, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            _check_pdf_value(item, depth + 1)


def _object_stream_members(stream: StreamObject, reader) -> list:
    """The objects packed in a compressed object stream (/Type /ObjStm)."""
    try:
        data = stream.get_data()
        count, first = int(stream.get("/N", 0)), int(stream.get("/First", 0))
    except Exception:  # noqa: BLE001 - undecodable: a reader cannot read it either
        raise _PdfRefused("pdf_invalid") from None
    if len(data) > MAX_OBJECT_STREAM_BYTES or not 0 <= count <= MAX_PDF_OBJECTS:
        raise _PdfRefused("pdf_invalid")
    numbers = data[:first].split()
    members = []
    buffer = io.BytesIO(data)
    for offset in numbers[1 : 2 * count : 2]:
        try:
            buffer.seek(first + int(offset))
            members.append(read_object(buffer, reader))
        except Exception:  # noqa: BLE001, S112 - a damaged member holds nothing a reader runs
            continue
    return members


def _check_pdf_objects(data: bytes) -> None:
    """Parse every object of the file (see the module's notes); _PdfRefused on active content."""
    reader = _LooseReader()
    buffer = io.BytesIO(data)
    starts = [m.end() for m in PDF_OBJECT_RE.finditer(data)]
    starts += [m.end() for m in PDF_TRAILER_RE.finditer(data)]
    if len(starts) > MAX_PDF_OBJECTS:
        raise _PdfRefused("pdf_invalid")
    for start in starts:
        buffer.seek(start)
        try:
            value = read_object(buffer, reader)
        except Exception:  # noqa: BLE001, S112 - not an object (e.g. inside binary data)
            continue
        _check_pdf_value(value)
        if isinstance(value, StreamObject) and value.get("/Type") == "/ObjStm":
            for member in _object_stream_members(value, reader):
                _check_pdf_value(member)
                if isinstance(member, StreamObject):
                    raise _PdfRefused("pdf_invalid")  # streams may not nest in object streams


PDF_REFUSALS = {
    "pdf_active_content": _(
        "The PDF contains scripts, embedded files or actions; export it again as a plain PDF."
    ),
    "pdf_encrypted": _("The PDF is encrypted; export it again without a password."),
    "pdf_invalid": _("The PDF cannot be read; export it again as a plain PDF."),
}


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
    try:
        _check_pdf_objects(data)
    except _PdfRefused as refused:
        raise ValidationError(PDF_REFUSALS[refused.code], code=refused.code) from None
