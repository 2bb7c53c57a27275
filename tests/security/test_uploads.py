"""Uploads are checked by content, not by name: post images (blog admin, import) and résumés
(camp applications). Refusals come with a clear message; accepted images are stored re-encoded,
without EXIF (GPS); résumés live outside MEDIA_ROOT and only staff download them."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from blog.models import PostImage
from camp.models import CampApplication
from common import uploads
from tests.blog.factories import PostFactory
from tests.blog.test_admin import post_form

from .world import PDF, build_world, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are read in English (each has its zh-hans translation)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


# --- hostile files --------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes that claim width × height pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def jpeg_bytes(size=(64, 48), **save) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", **save)
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (4, 4), 1).save(buffer, "GIF")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° when shown
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 10.0)}
    return jpeg_bytes(size=(40, 20), exif=exif)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
PAYLOAD = b"<html><script>alert(1)</script></html>"

BAD_IMAGES = {
    "pdf renamed .png": ("cv.png", PDF),
    "svg": ("logo.svg", SVG),
    "svg renamed .png": ("logo.png", SVG),
    "html renamed .png": ("page.png", PAYLOAD),
    "truncated png": ("cut.png", png_bytes((64, 64))[:60]),
    "truncated jpeg": ("cut.jpg", jpeg_bytes()[:400]),
    "bomb 50000²": ("bomb.png", png_declaring(50_000, 50_000)),
    "bomb 10000²": ("bomb.png", png_declaring(10_000, 10_000)),
    "too many pixels": ("big.png", png_declaring(8_000, 6_000)),
    "too wide": ("wide.png", png_declaring(30_000, 10)),
    "too many bytes": ("huge.png", png_bytes() + b"\0" * (5 * 1024 * 1024)),
    "gif/js polyglot header": ("x.gif", b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1);//"),
    "empty": ("empty.png", b""),
    "bmp": ("x.bmp", b"BM" + b"\0" * 60),
}
MESSAGES = {
    "too_large": "the limit is",
    "too_many_pixels": "pixels",
    "invalid_image": "Upload a valid image (JPEG, PNG, GIF or WebP).",
}


@pytest.mark.parametrize("kind", list(BAD_IMAGES))
def test_bad_images_are_refused_with_a_reason(kind):
    name, content = BAD_IMAGES[kind]
    with pytest.raises(ValidationError) as refused:
        uploads.validate_image_upload(SimpleUploadedFile(name, content))
    error = refused.value.error_list[0]
    assert error.code in MESSAGES
    message = str(error.message) % (error.params or {})
    assert MESSAGES[error.code] in message, message


@pytest.mark.parametrize("make", [png_bytes, jpeg_bytes, gif_bytes])
def test_good_images_pass(make):
    uploads.validate_image_upload(SimpleUploadedFile("ok.img", make()))


@pytest.mark.parametrize(
    ("name", "content", "stored_suffix"),
    [
        ("photo.png", png_bytes() + PAYLOAD, ".png"),  # PNG/HTML polyglot
        ("anim.gif", gif_bytes() + b"/*" + PAYLOAD + b"*/", ".gif"),  # GIF/JS polyglot
        ("photo.jpeg", jpeg_bytes() + PAYLOAD, ".jpeg"),
        ("really-a-png.jpg", png_bytes(), ".png"),  # the name follows the content
    ],
)
def test_sanitized_images_lose_what_follows_the_image(name, content, stored_suffix):
    clean = uploads.sanitize_image(SimpleUploadedFile(name, content))
    data = clean.read()
    assert b"<script" not in data and b"alert(" not in data
    assert Path(clean.name).suffix == stored_suffix
    Image.open(io.BytesIO(data)).load()


def test_exif_and_gps_are_stripped_and_orientation_applied():
    clean = uploads.sanitize_image(SimpleUploadedFile("gps.jpg", jpeg_with_gps()))
    image = Image.open(io.BytesIO(clean.read()))
    assert image.size == (20, 40)  # turned as the camera said
    exif = image.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert ExifTags.Base.Make not in exif and ExifTags.Base.Orientation not in exif
    assert b"SpyCam" not in clean.read()


# --- through the blog admin -----------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


def _admin_upload(client, post, name, content):
    from blog.models import Category

    Category.objects.ensure_defaults()
    data = post_form(
        title=post.title,
        slug=post.slug,
        **{"authorships-TOTAL_FORMS": "0", "images-TOTAL_FORMS": "1", "images-0-alt": "图"},
    )
    data["images-0-image"] = SimpleUploadedFile(name, content)
    return client.post(reverse("admin:blog_post_change", args=[post.pk]), data)


@pytest.mark.parametrize("kind", ["pdf renamed .png", "svg", "truncated jpeg", "bomb 10000²"])
def test_the_admin_refuses_bad_images_with_a_message(media, staff_client, kind):
    post = PostFactory()
    response = _admin_upload(staff_client, post, *BAD_IMAGES[kind])
    assert response.status_code == 200
    assert not PostImage.objects.exists()
    images = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "images"
    )
    errors = images.errors[0]["image"]
    assert errors and any("image" in error.lower() or "pixels" in error for error in errors), errors


def test_the_admin_stores_images_without_gps(media, staff_client):
    post = PostFactory()
    response = _admin_upload(staff_client, post, "holiday.jpg", jpeg_with_gps())
    assert response.status_code == 302
    stored = PostImage.objects.get()
    data = Path(stored.image.path).read_bytes()
    assert b"SpyCam" not in data
    image = Image.open(io.BytesIO(data))
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert image.size == (20, 40)


def test_the_admin_strips_a_polyglot(media, staff_client):
    post = PostFactory()
    response = _admin_upload(staff_client, post, "poly.png", png_bytes() + PAYLOAD)
    assert response.status_code == 302
    assert b"<script" not in Path(PostImage.objects.get().image.path).read_bytes()


# --- résumés --------------------------------------------------------------------------------

BAD_PDFS = {
    "png renamed .pdf": ("cv.pdf", png_bytes()),
    "pdf renamed .png": ("cv.png", PDF),
    "no trailer (truncated)": ("cv.pdf", PDF[:20]),
    "html behind a pdf header": ("cv.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF"),
    "javascript action": (
        "cv.pdf",
        b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n",
    ),
    "obfuscated javascript": (
        "cv.pdf",
        b"%PDF-1.4\n1 0 obj<</OpenAction<</S/J#61vaScript/J#53(x)>>>>endobj\n%%EOF\n",
    ),
    "launch action": ("cv.pdf", b"%PDF-1.4\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n%%EOF\n"),
    "embedded file": ("cv.pdf", b"%PDF-1.4\n1 0 obj<</EmbeddedFiles 2 0 R>>endobj\n%%EOF\n"),
    "too many bytes": ("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"),
    "empty": ("cv.pdf", b""),
}


@pytest.fixture
def open_world(media):
    world = build_world()
    world.cohort.state = "open"
    world.cohort.save()
    return world


def _apply(client, world, name, content):
    return client.post(
        reverse("camp:apply", args=[world.cohort.slug]),
        {
            "first_choice": world.project.pk,
            "statement": "我想参加",
            "resume": SimpleUploadedFile(name, content, "application/pdf"),
        },
    )


@pytest.mark.parametrize("kind", list(BAD_PDFS))
def test_bad_resumes_are_refused_with_a_message(open_world, client, kind):
    client.force_login(open_world.users["contributor"])
    response = _apply(client, open_world, *BAD_PDFS[kind])
    assert response.status_code == 200
    errors = response.context["form"].errors["resume"]
    assert any(word in error for error in errors for word in ("PDF", "limit", "empty")), errors
    assert not CampApplication.objects.filter(applicant=open_world.persons["contributor"]).exists()


def test_a_pdf_with_compressed_streams_is_accepted(open_world, client):
    """Binary stream data may contain anything, even "/JS": only the structure is searched."""
    body = zlib.compress(b"BT /F1 12 Tf (Hello) Tj ET") + b"/JS<html>"
    pdf = (
        b"%PDF-1.7\n1 0 obj<</Length "
        + str(len(body)).encode()
        + b"/Filter/FlateDecode>>stream\n"
        + body
        + b"\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    client.force_login(open_world.users["contributor"])
    assert _apply(client, open_world, "cv.pdf", pdf).status_code == 302


def test_resumes_are_private(open_world, client, settings):
    client.force_login(open_world.users["contributor"])
    assert _apply(client, open_world, "cv.pdf", PDF).status_code == 302
    application = CampApplication.objects.get(applicant=open_world.persons["contributor"])
    stored = Path(application.resume.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        application.resume.url  # noqa: B018 - no public address exists
    name = application.resume.name
    for path in (f"/media/{name}", f"/media/../private/{name}", f"/media/%2e%2e/private/{name}"):
        for role in ("contributor", "staff"):
            client.force_login(open_world.users[role])
            response = client.get(path)
            assert response.status_code in (400, 404), (path, role)
    url = reverse("camp:resume", args=[application.pk])
    assert client.get(url).status_code == 200  # staff, through the view
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    client.force_login(open_world.users["contributor"])  # the applicant too: staff only
    assert client.get(url).status_code == 403


# --- issue 19: what the byte search missed ---------------------------------------------------


def _pdf(*objects: bytes, trailer=b"<</Root 1 0 R>>") -> bytes:
    return b"%PDF-1.7\n" + b"\n".join(objects) + b"\ntrailer" + trailer + b"\n%%EOF\n"


def _object_stream(number: int, members: dict[int, bytes]) -> bytes:
    """Object `number`: a FlateDecode object stream (/Type /ObjStm) packing `members`."""
    header, body = [], b""
    for member, content in members.items():
        header.append(f"{member} {len(body)}")
        body += content + b"\n"
    head = (" ".join(header) + "\n").encode()
    data = zlib.compress(head + body)
    return (
        f"{number} 0 obj<</Type/ObjStm/N {len(members)}/First {len(head)}"
        f"/Filter/FlateDecode/Length {len(data)}>>stream\n".encode()
        + data
        + b"\nendstream\nendobj"
    )


HIDDEN_ACTIONS = {
    "between %stream / %endstream comments": _pdf(
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj",
        b"%stream",
        b"3 0 obj<</OpenAction<</S /JavaScript /JS (app.alert(1))>>>>endobj",
        b"%endstream",
    ),
    "in a FlateDecode object stream": _pdf(
        b"1 0 obj<</Type/Catalog/OpenAction 3 0 R>>endobj",
        _object_stream(2, {3: b"<</S/JavaScript/JS(app.alert(1))>>"}),
    ),
    "escaped name in an object stream": _pdf(
        _object_stream(2, {3: b"<</S/J#61vaScript/J#53(x)>>", 4: b"<</Type/Page>>"}),
    ),
    "launch in an unreferenced object": _pdf(
        b"1 0 obj<</Type/Catalog>>endobj", b"9 0 obj<</S/Launch/F(cmd.exe)>>endobj"
    ),
    "encrypted": _pdf(
        b"1 0 obj<</Type/Catalog>>endobj",
        trailer=b"<</Root 1 0 R/Encrypt<</Filter/Standard/V 2>>>>",
    ),
}


@pytest.mark.parametrize("kind", list(HIDDEN_ACTIONS))
def test_actions_hidden_from_a_byte_search_are_found(kind):
    with pytest.raises(ValidationError) as refused:
        uploads.validate_pdf_upload(SimpleUploadedFile("cv.pdf", HIDDEN_ACTIONS[kind]))
    assert refused.value.error_list[0].code in ("pdf_active_content", "pdf_encrypted")


def test_a_plain_pdf_with_an_object_stream_passes():
    pdf = _pdf(
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj",
        _object_stream(5, {2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>", 3: b"<</Type/Page>>"}),
        b"6 0 obj<</URI(https://github.com/x)/S/URI>>endobj",
    )
    uploads.validate_pdf_upload(SimpleUploadedFile("cv.pdf", pdf))


def test_a_real_pdf_written_by_pypdf_passes_and_with_javascript_does_not():
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    clean = io.BytesIO()
    writer.write(clean)
    uploads.validate_pdf_upload(SimpleUploadedFile("cv.pdf", clean.getvalue()))
    writer.add_open_action(JavaScript("app.alert('hi');"))
    writer.add_attachment("run.exe", b"MZ")
    writer.compress_identical_objects()
    active = io.BytesIO()
    writer.write(active)
    with pytest.raises(ValidationError):
        uploads.validate_pdf_upload(SimpleUploadedFile("cv.pdf", active.getvalue()))


def animated_gif(frames: int, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("P", size, n % 2) for n in range(frames)]
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def test_an_animation_counts_the_pixels_of_every_frame():
    """Issue 19: 20 frames of 4000 × 4000 (253 KB) took 33 s in one admin request."""
    bomb = animated_gif(20, (4000, 4000))
    assert len(bomb) < uploads.MAX_IMAGE_BYTES
    with pytest.raises(ValidationError) as refused:
        uploads.validate_image_upload(SimpleUploadedFile("anim.gif", bomb))
    error = refused.value.error_list[0]
    assert error.code == "too_many_pixels"
    assert "20 frames" in str(error.message) % error.params
    uploads.sanitize_image(SimpleUploadedFile("ok.gif", animated_gif(5, (100, 100))))


def test_a_phone_photo_with_many_large_frames_is_taken_as_its_first_frame():
    """A real post's MPO photo has 8 frames of 5712 × 4284 (far over the limit added up): only
    its first frame is decoded and kept, so only that one counts (issue 13: an MPO never keeps
    a post out)."""
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (4000, 3000), (n * 30, 0, 0)) for n in range(8)]
    frames[0].save(buffer, "MPO", save_all=True, append_images=frames[1:], quality=30)
    photo = SimpleUploadedFile("photo.jpg", buffer.getvalue())
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 8
    assert uploads.MAX_IMAGE_PIXELS < 4000 * 3000 * 8
    uploads.validate_image_upload(photo)
    kept = Image.open(uploads.sanitize_image(photo))
    assert (kept.format, kept.size, getattr(kept, "n_frames", 1)) == ("JPEG", (4000, 3000), 1)


def test_a_too_long_media_name_is_not_found(client, media):
    """Issue 19: a 256-character name under /media/ answered 500 (File name too long)."""
    (media / "media").mkdir(parents=True, exist_ok=True)
    for path in ("a" * 256, "a" * 256 + "/b.png", "x/" + "b" * 300 + ".png"):
        assert client.get(f"/media/{path}").status_code == 404, path
