"""The blog: posts with ordered authors, categories, tags and images.

A post's Markdown is rendered once, on save, into stored HTML (`body_html`, `excerpt_html`,
`toc_html`); pages only show the stored HTML.
"""

import os

from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common import limits
from common.transitions import AuditEntry
from common.uploads import sanitize_image

from .rendering import TOC_MARKER, linked_post_slugs, render_post_markdown, split_excerpt
from .validators import validate_image_upload, validate_post_slug

# The old blog's categories (the data migration creates them too).
DEFAULT_CATEGORIES = [
    ("community-activity", "社区动态", "Community activity", 1),
    ("developer-story", "开发者访谈", "Developer stories", 2),
    ("insights", "前沿洞察", "Insights", 3),
]


class CategoryQuerySet(models.QuerySet):
    def ensure_defaults(self) -> None:
        """Create the three categories of the blog when they are missing."""
        for slug, name, name_en, order in DEFAULT_CATEGORIES:
            self.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "order": order}
            )


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=80, help_text=_("Shown in Chinese."))
    name_en = models.CharField(
        _("English name"), max_length=80, blank=True, help_text=_("Shown in English.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("blog:category", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        language = get_language() or ""
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Tag(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self):
        """Published and due: the publish time has passed."""
        return self.filter(state=Post.State.PUBLISHED, publish_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff see drafts and scheduled posts (to preview them); everyone else the published."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()

    def with_relations(self):
        """Everything a post list or page shows, in a fixed number of queries."""
        return self.select_related("category").prefetch_related(
            Prefetch(
                "authorships",
                queryset=PostAuthor.objects.select_related("person").order_by("order", "id"),
            ),
            "tags",
        )

    def for_listing(self):
        """Lists show titles and excerpts: leave the long texts in the database."""
        return self.defer("body", "body_html", "toc_html", "source_hash")

    def newest_first(self):
        return self.order_by("-date", "-publish_at", "-id")

    def listing(self):
        """The blog list order: pinned posts first, then the newest."""
        return self.order_by("-pinned", "-date", "-publish_at", "-id")

    def before(self, post):
        """Posts older than `post` in list order (date, then id), newest first."""
        older = Q(date__lt=post.date) | Q(date=post.date, id__lt=post.id)
        return self.filter(older).order_by("-date", "-id")

    def after(self, post):
        newer = Q(date__gt=post.date) | Q(date=post.date, id__gt=post.id)
        return self.filter(newer).order_by("date", "id")

    def urls_of(self, slugs) -> dict[str, str]:
        """slug → address of the posts among `slugs` that exist (links between posts)."""
        if not slugs:
            return {}
        found = self.filter(slug__in=slugs).values_list("slug", flat=True)
        return {slug: reverse("blog:detail", kwargs={"slug": slug}) for slug in found}

    def by_person(self, person):
        return self.filter(authorships__person=person)


class Post(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    # The stored HTML and its Markdown source (manage.py rerender_markdown); the excerpt and the
    # table of contents are rendered with the body (`render`).
    markdown_fields = {"body": "body_html"}
    audit_model = "PostEvent"

    # The old blog's file names are the addresses (/posts/<slug>), and some are not slugs
    # ("Newcomer's-Manual", "ERNIE4.5与…"): any text without "/" or spaces is accepted.
    slug = models.CharField(_("slug"), max_length=150, unique=True, validators=[validate_post_slug])
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    # The text before `<!-- more -->` in the body (none without the marker), split off before
    # rendering: the sanitiser drops HTML comments.
    excerpt = models.TextField(_("excerpt"), max_length=limits.DOCUMENT, blank=True, editable=False)
    body = models.TextField(
        _("body"),
        max_length=limits.DOCUMENT,
        help_text=_(
            "Markdown. The text before <!-- more --> is the excerpt shown on the list; "
            "[[toc]] inserts a table of contents; "
            '<Message name="…" github="…">…</Message> inside <MessageBox>…</MessageBox> '
            "shows a dialogue."
        ),
    )
    excerpt_html = models.TextField(_("excerpt (HTML)"), blank=True, editable=False)
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    toc_html = models.TextField(_("table of contents (HTML)"), blank=True, editable=False)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="posts")
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Listed first."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    publish_at = models.DateTimeField(
        _("publish time"),
        default=timezone.now,
        db_index=True,
        help_text=_("A published post with a future time is scheduled: it appears then."),
    )
    # The file this post was imported from, and a fingerprint of what was imported, so that a
    # second import recognises it and changes only what changed.
    source_path = models.CharField(_("imported from"), max_length=300, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-publish_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["state", "publish_at"], name="blog_post_state_publish_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {
                *update_fields,
                "excerpt",
                "body_html",
                "excerpt_html",
                "toc_html",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:detail", kwargs={"slug": self.slug})

    @classmethod
    def render_markdown_values(cls, values: dict) -> dict:
        """What `render` stores, for common.rerender."""
        post = cls(body=values["body"])
        post.render()
        return {
            "excerpt": post.excerpt,
            "body_html": post.body_html,
            "excerpt_html": post.excerpt_html,
            "toc_html": post.toc_html,
        }

    def render(self):
        self.excerpt = split_excerpt(self.body)
        urls = Post.objects.urls_of(linked_post_slugs(self.body))
        body = render_post_markdown(self.body, urls)
        self.body_html = body.html
        self.toc_html = body.toc
        self.excerpt_html = render_post_markdown(self.excerpt, urls).html if self.excerpt else ""

    @property
    def is_live(self) -> bool:
        return self.state == self.State.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.state == self.State.PUBLISHED and self.publish_at > timezone.now()

    @property
    def authors(self) -> list:
        """Persons in order, lead author first (uses the prefetched authorships)."""
        return [authorship.person for authorship in self.authorships.all()]

    @property
    def credits(self) -> list:
        """Authorships in order (person and the name credited on this post)."""
        return list(self.authorships.all())

    @property
    def lead_author(self):
        authors = self.authors
        return authors[0] if authors else None

    @property
    def summary_text(self) -> str:
        """Plain text for meta descriptions and OpenGraph."""
        source = self.excerpt_html or self.body_html
        return Truncator(strip_tags(source).strip()).chars(200)

    @property
    def show_toc(self) -> bool:
        """A table of contents beside the post, unless the body places its own ([[toc]])."""
        return bool(self.toc_html) and TOC_MARKER not in self.body


class PostEvent(AuditEntry):
    """One change of a post's publication: published, scheduled, withdrawn, imported."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("from"), max_length=20, choices=Post.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=Post.State.choices)

    subject_field = "post"

    class Meta(AuditEntry.Meta):
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")


class Page(models.Model):
    """A page of the blog that is not a post (the old blog's about.md: /blog/about/)."""

    markdown_fields = {"body": "body_html"}

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=limits.DOCUMENT, help_text=_("Markdown."))
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    source_path = models.CharField(_("imported from"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = self.render_markdown_values({"body": self.body})["body_html"]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:about") if self.slug == "about" else reverse("blog:index")

    @classmethod
    def render_markdown_values(cls, values: dict) -> dict:
        urls = Post.objects.urls_of(linked_post_slugs(values["body"]))
        return {"body_html": render_post_markdown(values["body"], urls).html}


class PostAuthor(models.Model):
    """Ordered authorship: order 0 is the lead author, then the co-authors."""

    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="authorships"
    )
    person = models.ForeignKey(
        "pfcc.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="blog_authorships",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The name this post credits ("骆涛（涛姐）"), when it differs from the person's name.
    credited_name = models.CharField(
        _("credited as"),
        max_length=150,
        blank=True,
        help_text=_("The name shown on this post; empty for the person's display name."),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="blog_author_once_per_post")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.credited_name or self.person.display_name


def post_image_path(instance, filename):
    folder = instance.folder or (instance.post.slug if instance.post_id else "uploads")
    return f"blog/{folder}/{os.path.basename(filename)}"


class PostImage(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(
        _("image"), upload_to=post_image_path, validators=[validate_image_upload]
    )
    alt = models.CharField(
        _("alternative text"), max_length=300, help_text=_("Describes the image for readers.")
    )
    # Imported images keep the folder and name they had in the old blog (e.g.
    # "hackathon-5th/track-1.jpg"), so that a second import finds them again.
    folder = models.CharField(_("folder"), max_length=120, blank=True)
    original_path = models.CharField(_("original path"), max_length=300, blank=True)
    checksum = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt or self.image.name

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # A new upload is stored re-encoded: no EXIF (GPS), nothing appended to the image.
            self.image = sanitize_image(self.image.file, self.image.name)
        super().save(*args, **kwargs)

    @property
    def markdown(self) -> str:
        """The Markdown that shows this image in a post."""
        return f"![{self.alt}]({self.image.url})" if self.image else ""
