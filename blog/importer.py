"""Import the old static blog (a checkout of PFCCLab/blog) into the database.

Posts are `src/posts/<slug>.md` with YAML front matter; images live under `src/images/…` and
are referenced as `../images/<folder>/<file>` (the folder need not be the post's slug). The
import is idempotent: a post is found again by its slug, and an unchanged post is left alone.
Nothing is dropped silently: the report lists what was created, updated, converted, dropped,
skipped and what is missing.
"""

import datetime as dt
import hashlib
import json
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import yaml
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.text import without_nul
from common.uploads import sanitize_image
from common.validators import GITHUB_LOGIN_RE
from pfcc.models import Person

from .models import Category, Page, Post, PostImage, Tag
from .rendering import (
    AUDIO_EXTENSIONS,
    COMPONENT_RE,
    MESSAGE_RE,
    TOC_MARKER,
    VIDEO_EXTENSIONS,
    linked_post_slugs,
    media_kind,
)
from .transitions import record_import, set_authors
from .validators import RESERVED_SLUGS, validate_image_upload, validate_post_slug

KNOWN_KEYS = {"title", "date", "author", "co_authors", "category", "pinned", "tags"}
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script\s*>[ \t]*\n?", re.S | re.I)
# `<script setup>` imports of files (`import PodcastAudio from '../images/x/y.mp3'`), and the
# component attributes bound to them (`:src="PodcastAudio"`).
SCRIPT_IMPORT_RE = re.compile(
    r"""^\s*import\s+(?P<name>[A-Za-z_$][\w$]*)\s+from\s+(?P<quote>["'])(?P<path>[^"']+)(?P=quote)""",
    re.M,
)
BOUND_ATTRIBUTE_RE = re.compile(
    r"""\s:(?P<attr>[\w-]+)\s*=\s*(?P<quote>["'])(?P<name>[A-Za-z_$][\w$]*)(?P=quote)"""
)
STYLE_ATTRIBUTE_RE = re.compile(r"""<[a-z][a-z0-9]*\b[^<>]*\sstyle\s*=""", re.I)
STYLE_RE = re.compile(r"<style\b[^>]*>.*?</style\s*>[ \t]*\n?", re.S | re.I)
MARKDOWN_IMAGE_RE = re.compile(r"(!\[(?P<alt>[^\]]*)\]\()(?P<src>[^)\s]+)(?P<rest>[^)]*\))")
HTML_SRC_RE = re.compile(
    r"(?P<tag><img\b[^>]*?\ssrc\s*=\s*)"
    r"(?P<quote>[\"'])(?P<src>[^\"']+)(?P=quote)",
    re.I,
)
REFERENCE_RE = re.compile(r"^(?P<lead>[ ]{0,3}\[(?P<label>[^\]]+)\]:[ \t]*)(?P<src>\S+)", re.M)
HTML_ALT_RE = re.compile(r"\balt\s*=\s*([\"'])(.*?)\1", re.I | re.S)
MEDIA_TAG_RE = re.compile(r"<(audio|video)\b", re.I)
# Sound and video files next to the images (`<audio src>`, `<video src poster>`, `<source src>`).
MEDIA_SRC_RE = re.compile(
    r"(?P<tag><(?:audio|video|source|[A-Z][A-Za-z0-9]*)\b[^>]*?\s(?:src|poster)\s*=\s*)"
    r"(?P<quote>[\"'])(?P<src>[^\"']+)(?P=quote)",
    re.I,
)
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS
MEDIA_MAX_BYTES = 200 * 1024 * 1024
IMAGES_PART_RE = re.compile(r"(?:^|/)images/+(?P<rel>.+)$")
DATE_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
LOGIN_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,38}$")
MORE_KNOWN_COMPONENTS = {"Message", "MessageBox"}
FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.S | re.M)


class PostError(Exception):
    """This post cannot be imported (reported, the others go on)."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    converted: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    dropped_by_post: dict[str, Counter] = field(default_factory=dict)
    kept: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    missing_images: list[tuple[str, str]] = field(default_factory=list)
    refused_images: list[tuple[str, str, str]] = field(default_factory=list)
    persons_created: list[str] = field(default_factory=list)
    categories_created: list[str] = field(default_factory=list)
    tags_created: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Posts: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped."
        ]
        for label, names in (
            ("Created", self.created),
            ("Updated", self.updated),
            ("Persons created", self.persons_created),
            ("Categories created", self.categories_created),
            ("Tags created", self.tags_created),
            ("Pages", self.pages),
        ):
            if names:
                lines.append(f"{label}: {', '.join(names)}")
        for name, reason in self.skipped:
            lines.append(f"Skipped {name}: {reason}")
        if self.converted:
            lines.append("Converted: " + _counts(self.converted))
        if self.kept:
            lines.append("Kept: " + _counts(self.kept))
        lines.append("Dropped: " + (_counts(self.dropped) if self.dropped else "nothing"))
        for slug, counts in sorted(self.dropped_by_post.items()):
            lines.append(f"  dropped from {slug}: {_counts(counts)}")
        for post, path in self.missing_images:
            lines.append(f"Missing image in {post}: {path} (link left unchanged)")
        for post, path, reason in self.refused_images:
            lines.append(f"Image refused in {post}: {path}: {reason} (link left unchanged)")
        lines.extend(f"Warning: {warning}" for warning in self.warnings)
        return lines


def _counts(counter: Counter) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in sorted(counter.items()))


@dataclass
class ParsedPost:
    slug: str
    path: Path
    meta: dict
    body: str
    authors: list[tuple[str, str]]  # (github login, name), lead author first
    converted: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    images: list[tuple[str, str]] = field(default_factory=list)  # (relative path, alt)
    media: list[str] = field(default_factory=list)  # sound and video files, relative paths


def parse_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER_RE.match(text)
    if not match:
        raise PostError("no front matter (a YAML block between --- lines at the top)")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        message = " ".join(str(error).split())
        raise PostError(f"front matter is not valid YAML: {message}") from None
    if not isinstance(meta, dict):
        raise PostError("front matter is not a mapping of keys to values")
    return meta, text[match.end() :]


def parse_date(value, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_RE.match(str(value or ""))
    if not match:
        raise PostError(f"date {value!r} is not YYYY-MM-DD")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise PostError(f"date {value!r} is not a real day") from None


def parse_person(value, where: str, warnings: list[str]) -> tuple[str, str] | None:
    if isinstance(value, str):
        value = {"github": value}
    if not isinstance(value, dict):
        warnings.append(f"{where}: author entry {value!r} is not {{name, github}}; ignored")
        return None
    login = str(value.get("github") or "").strip().lstrip("@")
    name = str(value.get("name") or "").strip()
    if not login or not LOGIN_RE.match(login):
        warnings.append(f"{where}: author {name or value!r} has no valid GitHub login; ignored")
        return None
    if not GITHUB_LOGIN_RE.fullmatch(login):
        warnings.append(f"{where}: GitHub login {login!r} breaks today's rules; kept as is")
    return login, name


def parse_component_src(attributes: str) -> str:
    match = re.search(r"""\ssrc\s*=\s*(["'])([^"']*)\1""", " " + attributes)
    return match.group(2) if match else ""


def image_relative_path(src: str) -> str | None:
    """`../images//tao-story/a.jpg` → `tao-story/a.jpg`; None for other links."""
    if "://" in src or src.startswith(("data:", "mailto:", "#")):
        return None
    path = src.split("#", 1)[0].split("?", 1)[0]
    match = IMAGES_PART_RE.search(path)
    if not match:
        return None
    rel = posixpath.normpath(match.group("rel").replace("//", "/")).lstrip("/")
    if rel.startswith("..") or rel in {"", "."}:
        return None
    return rel


class BlogImporter:
    def __init__(self, checkout, report: ImportReport | None = None):
        self.root = Path(checkout)
        self.posts_dir = self.root / "src" / "posts"
        self.images_dirs = [self.root / "src" / "images", self.root / "src" / "public" / "images"]
        self.report = report or ImportReport()
        Category.objects.ensure_defaults()
        self.categories = {category.slug: category for category in Category.objects.all()}

    def run(self) -> ImportReport:
        if not self.posts_dir.is_dir():
            raise FileNotFoundError(f"{self.posts_dir} is not a folder")
        for path in sorted(self.posts_dir.glob("*.md")):
            try:
                parsed = self.parse(path)
                with transaction.atomic():
                    self.save(parsed)
            except PostError as error:
                self.report.skipped.append((path.name, str(error)))
            except (OSError, UnicodeDecodeError, ValueError, ValidationError) as error:
                self.report.skipped.append((path.name, f"{type(error).__name__}: {error}"))
        self.import_about()
        self.link_posts()
        return self.report

    def import_about(self) -> None:
        """The old blog's `src/about.md` becomes the blog's about page (/blog/about/)."""
        path = self.root / "src" / "about.md"
        if not path.is_file():
            return
        try:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
            meta, body = parse_front_matter(text.replace("\x00", ""))
        except (PostError, UnicodeDecodeError) as error:
            self.report.skipped.append((path.name, str(error)))
            return
        parsed = ParsedPost(slug="about", path=path, meta=meta, body=body, authors=[])
        body = self.convert_body(parsed)
        for rel, _alt in parsed.images:
            found = self.find_image(rel)
            url = None
            if found is None:
                self.report.missing_images.append(("about", rel))
            else:
                try:
                    url = self.store_page_image(rel, found)
                except PostError as error:
                    self.report.refused_images.append(("about", rel, str(error)))
            body = body.replace(f"{{{{IMAGE:{rel}}}}}", url or f"../images/{rel}")
        for rel in parsed.media:
            found = self.find_image(rel)
            url = self.store_media(rel, found) if found else f"../images/{rel}"
            body = body.replace(f"{{{{MEDIA:{rel}}}}}", url)
        title = str(meta.get("title") or "").strip() or "关于我们"
        page = Page.objects.filter(slug="about").first()
        if page is not None and (page.title, page.body) == (title, body):
            return
        page = page or Page(slug="about")
        page.title, page.body = title, body
        page.source_path = str(path.relative_to(self.root))
        page.save()
        self.report.pages.append("about")

    def store_page_image(self, rel: str, path: Path) -> str:
        """A page's image, re-encoded and stored once under a name made from its content."""
        with path.open("rb") as handle:
            try:
                clean = sanitize_image(handle, posixpath.basename(rel))
            except ValidationError as error:
                raise PostError(f"image {rel}: {' '.join(error.messages)}") from None
        data = clean.read()
        suffix = PurePosixPath(clean.name).suffix.lower()
        name = f"blog/pages/{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(data))
        return default_storage.url(name)

    def link_posts(self) -> None:
        """Posts imported before the post they link to are rendered once more, now that it
        exists, so the link points at the portal's post."""
        changed = set(self.report.created) | set(self.report.updated)
        for post in Post.objects.filter(slug__in=changed):
            if linked_post_slugs(post.body):
                before = post.body_html
                post.save()
                if post.body_html != before:
                    self.report.converted["posts linking to other posts"] += 1

    # Reading -------------------------------------------------------------------------------

    def parse(self, path: Path) -> ParsedPost:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        # NUL, raw or escaped in YAML ("\0"): never meant, and PostgreSQL cannot store it.
        meta, body = parse_front_matter(text.replace("\x00", ""))
        meta = without_nul(meta)
        slug = path.stem
        try:
            validate_post_slug(slug)
        except ValidationError:
            new_slug = slugify(slug, allow_unicode=True)
            if new_slug.lower() in RESERVED_SLUGS:
                new_slug = f"{new_slug}-post"
            if not new_slug:
                raise PostError(f"{slug!r} cannot be used as an address") from None
            self.report.warnings.append(f"{path.name}: address {slug!r} became {new_slug!r}")
            slug = new_slug
        unknown_keys = sorted(set(meta) - KNOWN_KEYS, key=str)
        for key in unknown_keys:
            self.report.warnings.append(f"{path.name}: unknown front matter key {key!r} ignored")
        title = str(meta.get("title") or "").strip()
        if not title:
            raise PostError("front matter has no title")
        meta["title"] = title
        meta["date"] = parse_date(meta.get("date"), path.name)
        authors = []
        lead = meta.get("author")
        if isinstance(lead, list):  # a list of authors: the first leads
            lead, extra = (lead[0] if lead else None), lead[1:]
        else:
            extra = []
        co_authors = meta.get("co_authors") or []
        if not isinstance(co_authors, list):
            co_authors = [co_authors]
        if lead is None:
            self.report.warnings.append(f"{path.name}: no author")
        for value in ([lead] if lead is not None else []) + extra + co_authors:
            person = parse_person(value, path.name, self.report.warnings)
            if person and person[0].lower() not in {login.lower() for login, _ in authors}:
                authors.append(person)
        parsed = ParsedPost(slug=slug, path=path, meta=meta, body=body, authors=authors)
        parsed.dropped["unknown front matter keys"] += len(unknown_keys)
        parsed.body = self.convert_body(parsed)
        return parsed

    def convert_body(self, parsed: ParsedPost) -> str:
        body = parsed.body
        body = self.follow_script_imports(parsed, body)
        body, count = SCRIPT_RE.subn("", body)
        parsed.dropped["script blocks"] += count
        body, count = STYLE_RE.subn("", body)
        parsed.dropped["style blocks"] += count
        # Inline styles stay in the source: the renderer turns sizes and layouts into classes
        # (blog.rendering.styles_to_classes); code samples are not touched.
        parsed.converted["inline styles → classes"] += len(
            STYLE_ATTRIBUTE_RE.findall(FENCE_RE.sub("", body))
        )

        def markdown_image(match):
            rel = image_relative_path(match.group("src"))
            if rel is None:
                return match.group(0)
            parsed.images.append((rel, match.group("alt")))
            return f"{match.group(1)}{{{{IMAGE:{rel}}}}}{match.group('rest')}"

        def html_image(match):
            rel = image_relative_path(match.group("src"))
            if rel is None:
                return match.group(0)
            alt = HTML_ALT_RE.search(match.group(0))
            parsed.images.append((rel, alt.group(2) if alt else ""))
            quote = match.group("quote")
            return f"{match.group('tag')}{quote}{{{{IMAGE:{rel}}}}}{quote}"

        def reference(match):
            rel = image_relative_path(match.group("src"))
            if rel is None:
                return match.group(0)
            parsed.images.append((rel, match.group("label")))
            return f"{match.group('lead')}{{{{IMAGE:{rel}}}}}"

        def media_file(match):
            rel = image_relative_path(match.group("src"))
            if rel is None:
                return match.group(0)
            if PurePosixPath(rel).suffix.lower() not in MEDIA_EXTENSIONS:
                # A poster is an image: it goes with the post's images.
                parsed.images.append((rel, ""))
                quote = match.group("quote")
                return f"{match.group('tag')}{quote}{{{{IMAGE:{rel}}}}}{quote}"
            parsed.media.append(rel)
            quote = match.group("quote")
            return f"{match.group('tag')}{quote}{{{{MEDIA:{rel}}}}}{quote}"

        body = MARKDOWN_IMAGE_RE.sub(markdown_image, body)
        body = REFERENCE_RE.sub(reference, body)
        body = HTML_SRC_RE.sub(html_image, body)
        body = MEDIA_SRC_RE.sub(media_file, body)
        # Whole `<img>` tags and their alt: count separately for the figures with captions.
        parsed.converted["figures"] += len(re.findall(r"<figure\b", body, re.I))
        parsed.converted["chat messages"] += len(MESSAGE_RE.findall(body))
        parsed.converted["tables of contents"] += body.count(TOC_MARKER)
        parsed.kept["audio/video elements"] += len(MEDIA_TAG_RE.findall(body))
        unknown = set()
        for match in COMPONENT_RE.finditer(FENCE_RE.sub("", body)):
            name = match.group("name")
            if name in MORE_KNOWN_COMPONENTS:
                continue
            src = parse_component_src(match.group("attrs"))
            if src and media_kind(name, src):
                parsed.converted["audio/video players"] += 1
            else:
                unknown.add(name)
        for name in sorted(unknown):
            self.report.warnings.append(
                f"{parsed.path.name}: component <{name}> is not supported; its text is kept"
            )
        return body.strip("\n") + "\n"

    def follow_script_imports(self, parsed: ParsedPost, body: str) -> str:
        """`import PodcastAudio from '../images/x/a.mp3'` in `<script setup>` and
        `:src="PodcastAudio"` on a component: the attribute gets the file's path (moved into
        media below like any other), before the script block is dropped."""
        files = {}
        for script in SCRIPT_RE.findall(body):
            for match in SCRIPT_IMPORT_RE.finditer(script):
                path = match.group("path")
                if not path.endswith(".vue") and image_relative_path(path):
                    files[match.group("name")] = path

        def bind(match: re.Match) -> str:
            path = files.get(match.group("name"))
            if path is None:
                return match.group(0)
            parsed.converted["script imports followed"] += 1
            return f' {match.group("attr")}="{path}"'

        return BOUND_ATTRIBUTE_RE.sub(bind, body) if files else body

    # Writing -------------------------------------------------------------------------------

    def find_image(self, rel: str) -> Path | None:
        for name in dict.fromkeys([rel, unquote(rel)]):
            for folder in self.images_dirs:
                candidate = folder / name
                if candidate.is_file() and candidate.resolve().is_relative_to(folder.resolve()):
                    return candidate
        return None

    def fingerprint(self, parsed: ParsedPost, files: dict[str, Path]) -> str:
        digest = hashlib.sha256()
        meta = {key: parsed.meta.get(key) for key in sorted(KNOWN_KEYS)}
        digest.update(json.dumps(meta, default=str, sort_keys=True).encode())
        digest.update(json.dumps(parsed.authors).encode())
        digest.update(parsed.body.encode())
        for rel in sorted(files):
            digest.update(rel.encode())
            digest.update(hashlib.sha256(files[rel].read_bytes()).digest())
        return digest.hexdigest()

    def category_for(self, parsed: ParsedPost):
        value = parsed.meta.get("category")
        if not value:
            return None
        slug = slugify(str(value), allow_unicode=True)
        if slug not in self.categories:
            category = Category.objects.create(slug=slug, name=str(value))
            self.categories[slug] = category
            self.report.categories_created.append(slug)
        return self.categories[slug]

    def save(self, parsed: ParsedPost) -> None:
        files = {}
        for rel, _alt in parsed.images:
            found = self.find_image(rel)
            if found is None:
                self.report.missing_images.append((parsed.slug, rel))
            else:
                files[rel] = found
        for rel in parsed.media:
            found = self.find_image(rel)
            if found is None:
                self.report.missing_images.append((parsed.slug, rel))
            else:
                files[rel] = found
        source_hash = self.fingerprint(parsed, files)
        post = Post.objects.filter(slug=parsed.slug).first()
        self.report.converted.update(parsed.converted)
        self.report.dropped.update(parsed.dropped)
        if +parsed.dropped:
            self.report.dropped_by_post[parsed.slug] = +parsed.dropped
        self.report.kept.update(parsed.kept)
        self.report.converted["images"] += len({rel for rel, _alt in parsed.images} & set(files))
        self.report.converted["audio and video files"] += len(set(parsed.media) & set(files))
        if post is not None and post.source_hash == source_hash:
            self.report.unchanged.append(parsed.slug)
            return
        created = post is None
        post = post or Post(slug=parsed.slug)
        meta = parsed.meta
        date = meta["date"]
        post.title = meta["title"]
        post.date = date
        post.category = self.category_for(parsed)
        post.pinned = bool(meta.get("pinned"))
        from_state = "" if created else post.state
        post.state = Post.State.PUBLISHED
        post.publish_at = timezone.make_aware(dt.datetime.combine(date, dt.time(0, 0)))
        post.source_path = str(parsed.path.relative_to(self.root))
        post.source_hash = source_hash
        post.body = "(importing)"
        post.save()
        urls = {}
        for rel, alt in parsed.images:
            if rel in files and rel not in urls:
                try:
                    urls[rel] = self.store_image(post, rel, alt, files[rel])
                except PostError as error:
                    # One image that cannot be taken never costs the post: reported, its
                    # link left as it was.
                    self.report.refused_images.append((parsed.slug, rel, str(error)))
        # Imported images the post no longer shows (uploads from the admin are kept).
        for stale in post.images.exclude(original_path="").exclude(original_path__in=urls):
            stale.image.delete(save=False)
            stale.delete()
        body = parsed.body
        for rel, _alt in parsed.images:
            body = body.replace(f"{{{{IMAGE:{rel}}}}}", urls.get(rel, f"../images/{rel}"))
        for rel in parsed.media:
            url = self.store_media(rel, files[rel]) if rel in files else f"../images/{rel}"
            body = body.replace(f"{{{{MEDIA:{rel}}}}}", url)
        post.body = body
        post.save()
        if from_state != Post.State.PUBLISHED:
            record_import(post, from_state, post.source_path)
        set_authors(
            post,
            [self.person_for(login, name) for login, name in parsed.authors],
            [name for _login, name in parsed.authors],
        )
        post.tags.set(self.tags_for(parsed))
        (self.report.created if created else self.report.updated).append(parsed.slug)

    def store_image(self, post: Post, rel: str, alt: str, path: Path) -> str:
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        image = PostImage.objects.filter(post=post, original_path=rel).first()
        if image is not None and image.checksum == checksum and image.image:
            return image.image.url
        with path.open("rb") as handle:
            try:
                validate_image_upload(File(handle, name=path.name))
            except ValidationError as error:
                raise PostError(f"image {rel}: {' '.join(error.messages)}") from None
            if image is None:
                image = PostImage(post=post, original_path=rel)
            elif image.image:
                image.image.delete(save=False)
            image.folder = posixpath.dirname(rel) or post.slug
            image.alt = (alt or "").strip() or Path(rel).stem
            image.checksum = checksum
            # Stored re-encoded (common.uploads): no EXIF, GPS or appended data.
            clean = sanitize_image(handle, posixpath.basename(rel))
            image.image.save(clean.name, clean, save=False)
        image.save()
        return image.image.url

    def store_media(self, rel: str, path: Path) -> str:
        """Copy a sound or video file into media under a name made from its content, so a
        re-import finds it there and never stores it twice."""
        if path.stat().st_size > MEDIA_MAX_BYTES:
            raise PostError(f"{rel}: larger than {MEDIA_MAX_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
        name = f"blog/media/{hashlib.sha256(data).hexdigest()[:16]}{path.suffix.lower()}"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(data))
        return default_storage.url(name)

    def person_for(self, login: str, name: str) -> Person:
        person, created = Person.objects.get_or_create_by_login(login, name=name)
        if created:
            self.report.persons_created.append(login)
        elif name and not person.name:
            person.name = name
            person.save(update_fields=["name", "updated_at"])
        return person

    def tags_for(self, parsed: ParsedPost) -> list[Tag]:
        values = parsed.meta.get("tags") or []
        if isinstance(values, str):
            values = [value.strip() for value in values.split(",")]
        tags = []
        for value in values:
            name = str(value).strip()
            slug = slugify(name, allow_unicode=True)
            if not slug:
                continue
            tag, created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
            if created:
                self.report.tags_created.append(slug)
            tags.append(tag)
        return tags


def import_blog(checkout) -> ImportReport:
    return BlogImporter(checkout).run()
