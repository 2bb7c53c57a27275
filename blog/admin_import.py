"""Importing one post from the admin: a Markdown file in the old blog's format plus its images
(or a zip of both), converted by the same importer as `manage.py import_blog`, shown as a
preview, and saved only when staff confirm.

The upload is staged as a one-post checkout (`src/posts/<slug>.md`, `src/images/…`) in a
temporary folder named in the session between the preview and the confirmation."""

import base64
import mimetypes
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.uploads import MAX_IMAGE_BYTES

from .importer import BlogImporter, ParsedPost, PostError
from .models import Post
from .rendering import AUDIO_EXTENSIONS, VIDEO_EXTENSIONS, render_post_markdown
from .validators import validate_image_upload

SESSION_KEY = "blog_markdown_import"
STAGING_PREFIX = "pfcc-blog-import-"
MARKDOWN_SUFFIXES = {".md", ".markdown"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"}
MEDIA_SUFFIXES = {f".{ext}" for ext in (*AUDIO_EXTENSIONS, *VIDEO_EXTENSIONS)}
MAX_MARKDOWN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 300
MAX_ZIP_BYTES = 200 * 1024 * 1024  # unpacked, all members together (zip bombs stop here)
PREVIEW_IMAGE_BYTES = 2 * 1024 * 1024  # larger images are named, not shown, in the preview
STAGING_MAX_AGE = 24 * 3600  # seconds an unconfirmed upload is kept

# The importer counts in English for the command line; the preview names them in the
# reader's language (a kind without a name here is shown as the importer says it).
KINDS = {
    "audio and video files": _("audio and video files"),
    "audio/video elements": _("audio and video elements"),
    "audio/video players": _("audio and video players"),
    "chat messages": _("chat messages"),
    "figures": _("figures"),
    "images": _("images"),
    "inline styles → classes": _("inline styles turned into classes"),
    "posts linking to other posts": _("links to other posts"),
    "script blocks": _("script blocks"),
    "script imports followed": _("script imports followed"),
    "style blocks": _("style blocks"),
    "tables of contents": _("tables of contents"),
    "unknown front matter keys": _("unknown front matter keys"),
}


def _named(counts) -> list[tuple[str, int]]:
    return [(KINDS.get(kind, kind), count) for kind, count in sorted((+counts).items())]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class MarkdownImportForm(forms.Form):
    source = forms.FileField(
        label=_("Markdown file or zip"),
        help_text=_(
            "A post in the old blog's format (YAML front matter: title, date, author, …), as "
            "src/posts/<slug>.md: the file name becomes the address. Or a zip with the .md file "
            "and its images."
        ),
    )
    images = MultipleFileField(
        label=_("Images"),
        required=False,
        help_text=_(
            "The images the post links to as ../images/<slug>/<file>; select several at once."
        ),
    )

    def clean_source(self):
        source = self.cleaned_data["source"]
        suffix = PurePosixPath(source.name).suffix.lower()
        if suffix not in MARKDOWN_SUFFIXES | {".zip"}:
            raise ValidationError(_("Upload a .md file or a .zip file."))
        if suffix != ".zip" and source.size > MAX_MARKDOWN_BYTES:
            raise ValidationError(_("This Markdown file is larger than 1 MB."))
        return source


@dataclass
class StagedPost:
    root: Path
    markdown: Path  # src/posts/<slug>.md inside root


def _safe_parts(name: str) -> list[str]:
    """A zip member's path as plain folder and file names: no absolute paths, no `..`."""
    parts = [part for part in PurePosixPath(name.replace("\\", "/")).parts if part not in {"/"}]
    if any(part in {"..", "."} or ":" in part for part in parts):
        return []
    return parts


def _image_destination(parts: list[str], slug: str) -> PurePosixPath:
    """`images/<slug>/a.png` (or `src/images/…`) keeps its place; a loose `a.png` goes into the
    post's own folder, where `../images/<slug>/a.png` looks for it."""
    if "images" in parts[:-1]:
        index = len(parts) - 1 - parts[::-1].index("images")
        return PurePosixPath("src", "images", *parts[index + 1 :])
    return PurePosixPath("src", "images", slug, parts[-1])


def staging_root() -> Path:
    """Where previewed uploads wait for their confirmation: under the private media folder,
    which every application server shares (a machine's /tmp is not: the confirming request may
    reach another server) and which no URL serves."""
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "blog-import"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _remove_abandoned() -> None:
    """Uploads previewed but never saved nor cancelled are removed after a day."""
    cutoff = time.time() - STAGING_MAX_AGE
    for folder in staging_root().glob(f"{STAGING_PREFIX}*"):
        try:
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def stage_upload(source, images) -> StagedPost:
    """Writes the upload as a one-post checkout; ValidationError says what is wrong with it."""
    _remove_abandoned()
    root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=staging_root()))
    try:
        posts = root / "src" / "posts"
        posts.mkdir(parents=True)
        if PurePosixPath(source.name).suffix.lower() == ".zip":
            markdown = _stage_zip(source, root)
        else:
            markdown = posts / PurePosixPath(source.name).name
            _write(markdown, source.chunks())
        slug = markdown.stem
        for image in images:
            name = PurePosixPath(image.name).name
            if PurePosixPath(name).suffix.lower() not in IMAGE_SUFFIXES | MEDIA_SUFFIXES:
                raise ValidationError(_("“%(name)s” is not an image.") % {"name": name})
            _write(root / "src" / "images" / slug / name, image.chunks())
        return StagedPost(root=root, markdown=markdown)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise


def _write(path: Path, chunks) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _stage_zip(source, root: Path) -> Path:
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise ValidationError(_("This file is not a readable zip.")) from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise ValidationError(
                _("The zip holds more than %(count)d files.") % {"count": MAX_ZIP_MEMBERS}
            )
        if sum(info.file_size for info in members) > MAX_ZIP_BYTES:
            raise ValidationError(_("The zip unpacks to more than 200 MB."))
        markdowns = [
            info
            for info in members
            if PurePosixPath(info.filename).suffix.lower() in MARKDOWN_SUFFIXES
            and PurePosixPath(info.filename).name.lower() not in {"readme.md", "about.md"}
        ]
        if len(markdowns) != 1:
            raise ValidationError(
                _("The zip must hold exactly one post (.md file); it holds %(count)d.")
                % {"count": len(markdowns)}
            )
        markdown_parts = _safe_parts(markdowns[0].filename)
        if not markdown_parts or markdowns[0].file_size > MAX_MARKDOWN_BYTES:
            raise ValidationError(_("The post's file in the zip cannot be used."))
        markdown = root / "src" / "posts" / markdown_parts[-1]
        slug = markdown.stem
        _write(markdown, [archive.read(markdowns[0])])
        for info in members:
            parts = _safe_parts(info.filename)
            suffix = PurePosixPath(info.filename).suffix.lower()
            if not parts or suffix not in IMAGE_SUFFIXES | MEDIA_SUFFIXES:
                continue  # the post itself, notes, __MACOSX and the like
            if suffix in IMAGE_SUFFIXES and info.file_size > MAX_IMAGE_BYTES:
                continue  # reported as refused by the importer: it keeps the link unchanged
            _write(root / _image_destination(parts, slug), [archive.read(info)])
    return markdown


def staged_from_session(session) -> StagedPost | None:
    data = session.get(SESSION_KEY) or {}
    root = Path(data.get("root") or "/nonexistent")
    # Only a folder this view made: the session names it, the prefix and place confirm it.
    if (
        not root.name.startswith(STAGING_PREFIX)
        or root.parent != staging_root()
        or not root.is_dir()
    ):
        return None
    markdown = root / "src" / "posts" / data.get("markdown", "")
    return StagedPost(root=root, markdown=markdown) if markdown.is_file() else None


def remember(session, staged: StagedPost) -> None:
    discard(session)
    session[SESSION_KEY] = {"root": str(staged.root), "markdown": staged.markdown.name}


def discard(session) -> None:
    staged = staged_from_session(session)
    if staged is not None:
        shutil.rmtree(staged.root, ignore_errors=True)
    session.pop(SESSION_KEY, None)


def parse(staged: StagedPost) -> tuple[BlogImporter, ParsedPost]:
    importer = BlogImporter(staged.root)
    try:
        parsed = importer.parse(staged.markdown)
    except PostError as error:
        raise ValidationError(str(error)) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ValidationError(f"{type(error).__name__}: {error}") from None
    return importer, parsed


def _data_url(path: Path) -> str:
    if path.stat().st_size > PREVIEW_IMAGE_BYTES:
        return ""
    with path.open("rb") as handle:
        try:
            validate_image_upload(handle)
        except ValidationError:
            return ""
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


def preview(staged: StagedPost) -> dict:
    """What saving would do, without saving: the post as readers will see it, its authors,
    which images were found, and what the converter changed or dropped."""
    importer, parsed = parse(staged)
    body = parsed.body
    images, shown = [], {}
    for rel, alt in dict.fromkeys(parsed.images):
        found = importer.find_image(rel)
        images.append({"path": rel, "alt": alt, "found": found is not None})
        # The sanitiser keeps no data: URLs; a stand-in address is swapped after it ran.
        stand_in = f"https://import-preview.invalid/{len(shown)}"
        shown[stand_in] = _data_url(found) if found else ""
        body = body.replace(f"{{{{IMAGE:{rel}}}}}", stand_in)
    for rel in parsed.media:
        found = importer.find_image(rel)
        images.append({"path": rel, "alt": "", "found": found is not None})
        body = body.replace(f"{{{{MEDIA:{rel}}}}}", "")
    existing = Post.objects.filter(slug=parsed.slug).first()
    return {
        "parsed": parsed,
        "meta": parsed.meta,
        "authors": parsed.authors,
        "existing": existing,
        "images": images,
        "converted": _named(parsed.converted),
        "dropped": _named(parsed.dropped),
        "warnings": importer.report.warnings,
        "html": _swap(render_post_markdown(body).html, shown),
    }


def _swap(html: str, shown: dict[str, str]) -> str:
    for stand_in, data_url in shown.items():
        html = html.replace(f'"{stand_in}"', f'"{data_url}"')
    return html


def save(staged: StagedPost, actor, publish: bool):
    """Imports the staged post as `import_blog` would; a draft unless `publish`."""
    from . import transitions

    importer, parsed = parse(staged)
    with transaction.atomic():
        before = Post.objects.filter(slug=parsed.slug).values_list("state", flat=True).first()
        importer.save(parsed)  # brings the post in published, as the old blog had it
        post = Post.objects.get(slug=parsed.slug)
        # A new post, or one that was a draft, stays a draft unless staff chose to publish; a
        # live post that is updated stays live.
        if not publish and before != Post.State.PUBLISHED and post.state == Post.State.PUBLISHED:
            transitions.unpublish(post, actor, note="imported as a draft")
    importer.link_posts()
    return post, importer.report
