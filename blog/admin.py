import re
from urllib.parse import unquote

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.ratelimit import rate_limited
from common.transitions import TransitionError
from common.uploads import CheckedImageField

from . import admin_import, transitions
from .models import Category, Page, Post, PostAuthor, PostEvent, PostImage, Tag
from .validators import RESERVED_SLUGS

# `![alt](upload:photo.png)`: an image chosen in the images below but not saved yet; replaced
# by its address when the post is saved (blog/static/blog/admin.js inserts it).
UPLOAD_REF_RE = re.compile(r"\]\(upload:(?P<name>[^)\s]+)\)")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "name_en", "order")
    list_editable = ("order",)
    search_fields = ("slug", "name", "name_en")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class PostAuthorInline(admin.TabularInline):
    model = PostAuthor
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("order", "person", "credited_name")
    ordering = ("order", "id")
    verbose_name = _("author")
    verbose_name_plural = _("authors (order 0 is the lead author, then the co-authors)")


class PostImageInline(admin.TabularInline):
    model = PostImage
    extra = 1
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageField}}
    fields = ("image", "alt", "insert")
    readonly_fields = ("insert",)

    @admin.display(description=_("Markdown"))
    def insert(self, image):
        if not image.pk or not image.image:
            return _("Choose a file, then “Insert into the body”: it shows once the post is saved.")
        return format_html(
            '<code>{}</code> <button type="button" class="button blog-insert-image" '
            'data-markdown="{}">{}</button>',
            image.markdown,
            image.markdown,
            _("Insert into the body"),
        )


class PostEventInline(admin.TabularInline):
    model = PostEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_state", "to_state", "actor", "actor_label", "note")
    readonly_fields = fields
    verbose_name_plural = _("publication history")

    def has_add_permission(self, request, obj=None):
        return False


class PostAdminForm(forms.ModelForm):
    """The state and the publish time are not saved by the form: `save_model` hands them to
    blog.transitions (which checks, saves and records the change)."""

    state = forms.ChoiceField(label=_("state"), choices=Post.State.choices)
    publish_at = forms.SplitDateTimeField(
        label=_("publish time"),
        widget=AdminSplitDateTime,
        help_text=_("A published post with a future time is scheduled: it appears then."),
    )

    class Meta:
        model = Post
        # Excluded (not left out of `fields`): the admin passes its fieldsets as `fields`, and only
        # an exclusion keeps construct_instance from writing these two onto the post.
        exclude = ("state", "publish_at")  # noqa: DJ006

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "").strip()
        if slug:
            return slug
        title = self.data.get("title", "")
        slug = slugify(title, allow_unicode=True)[:140].strip("-")
        if not slug:
            raise ValidationError(_("Give the post an address (the title makes none)."))
        if slug.lower() in RESERVED_SLUGS:
            slug = f"{slug}-post"
        taken = Post.objects.exclude(pk=self.instance.pk)
        base, number = slug, 2
        while taken.filter(slug=slug).exists():
            slug, number = f"{base}-{number}", number + 1
        return slug

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the address is made from the title (Chinese characters are kept).
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "The post's address: /blog/<address>/. Left empty, it is made from the title."
        )
        self.fields["state"].initial = self.instance.state
        self.fields["publish_at"].initial = (
            self.instance.publish_at if self.instance.pk else timezone.now()
        )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = (
        "title",
        "date",
        "state",
        "publish_at",
        "visibility",
        "category",
        "pinned",
        "lead_author_name",
    )
    list_filter = ("state", "category", "pinned", "tags")
    search_fields = ("title", "slug", "body", "authorships__person__github")
    date_hierarchy = "date"
    list_select_related = ("category",)
    filter_horizontal = ("tags",)
    readonly_fields = ("excerpt", "source_path", "created_at", "updated_at")
    inlines = (PostAuthorInline, PostImageInline, PostEventInline)
    actions = ("publish_now", "withdraw", "pin", "unpin")
    fieldsets = (
        (None, {"fields": ("title", "slug", "date", "category", "tags", "body")}),
        (_("Publishing"), {"fields": ("state", "publish_at", "pinned")}),
        (_("Details"), {"fields": ("excerpt", "source_path", "created_at", "updated_at")}),
    )

    change_list_template = "admin/blog/post/change_list.html"

    class Media:
        css = {"all": ("blog/admin.css", "blog/blog.css")}
        js = ("blog/admin.js",)

    def get_urls(self):
        view = self.admin_site.admin_view(rate_limited("blog.import")(self.import_markdown))
        return [path("import/", view, name="blog_post_import"), *super().get_urls()]

    def import_markdown(self, request):
        """Upload → preview → confirm: one post from a Markdown file and its images."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        context["title"] = _("Import a post from Markdown")
        form = admin_import.MarkdownImportForm()
        if request.method == "POST" and request.POST.get("action") in {"save", "cancel"}:
            staged = admin_import.staged_from_session(request.session)
            if request.POST["action"] == "cancel" or staged is None:
                admin_import.discard(request.session)
                if staged is None and request.POST["action"] == "save":
                    self.message_user(
                        request, _("That upload has expired; upload it again."), messages.ERROR
                    )
                return redirect("admin:blog_post_import")
            try:
                post, report = admin_import.save(
                    staged, request.user, publish=bool(request.POST.get("publish"))
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect("admin:blog_post_import")
            admin_import.discard(request.session)
            for line in report.lines():
                self.message_user(request, line, messages.INFO)
            self.message_user(
                request,
                _("“%(title)s” was imported.") % {"title": post.title},
                messages.SUCCESS,
            )
            return redirect("admin:blog_post_change", post.pk)
        if request.method == "POST":
            form = admin_import.MarkdownImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    staged = admin_import.stage_upload(
                        form.cleaned_data["source"], form.cleaned_data["images"]
                    )
                    context["preview"] = admin_import.preview(staged)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    admin_import.remember(request.session, staged)
        context["form"] = form
        return TemplateResponse(request, "admin/blog/post/import.html", context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("authorships", queryset=PostAuthor.objects.select_related("person"))
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            # The admin shows help text as HTML: `<!-- more -->` and `<Message …>` would vanish.
            field.help_text = escape(field.help_text)
            field.widget.attrs.update(
                {
                    "data-preview-url": reverse("blog:preview"),
                    "data-preview-label": _("Preview"),
                    "data-insert-label": _("Insert into the body"),
                    "rows": 30,
                    "class": "blog-body",
                }
            )
        return field

    @admin.display(description=_("visible"))
    def visibility(self, post):
        if post.is_scheduled:
            return _("scheduled")
        return _("live") if post.is_live else _("draft")

    @admin.display(description=_("lead author"))
    def lead_author_name(self, post):
        lead = post.lead_author
        return lead.display_name if lead else "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Images chosen before the post had an address: their placeholders become their URLs.
        uploaded = {}
        for formset in formsets:
            if formset.model is not PostImage:
                continue
            for image_form in formset.forms:
                file = image_form.cleaned_data.get("image") if image_form.is_valid() else None
                if image_form.instance.pk and file is not None and hasattr(file, "content_type"):
                    uploaded[file.name] = image_form.instance.image.url
        post = form.instance
        body = UPLOAD_REF_RE.sub(
            lambda match: f"]({uploaded.get(unquote(match.group('name')), match.group(0)[2:-1])})",
            post.body,
        )
        if body != post.body:
            post.body = body
            post.save()

    def save_model(self, request, obj, form, change):
        """Content is saved here; the publication goes through blog.transitions."""
        super().save_model(request, obj, form, change)
        state, when = form.cleaned_data["state"], form.cleaned_data["publish_at"]
        try:
            if state == Post.State.PUBLISHED and (
                obj.state != Post.State.PUBLISHED or obj.publish_at != when
            ):
                transitions.publish(obj, request.user, when=when)
            elif state == Post.State.DRAFT and obj.state == Post.State.PUBLISHED:
                transitions.unpublish(obj, request.user)
        except TransitionError as error:
            self.message_user(request, str(error), messages.ERROR)

    def _report(self, request, message):
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Publish the selected posts now"))
    def publish_now(self, request, queryset):
        # Live posts keep their time; drafts and scheduled posts go live now.
        posts = list(queryset.exclude(state=Post.State.PUBLISHED, publish_at__lte=timezone.now()))
        for post in posts:
            transitions.publish(post, request.user)
        count = len(posts)
        self._report(
            request,
            ngettext("%(count)d post published.", "%(count)d posts published.", count)
            % {"count": count},
        )

    @admin.action(description=_("Withdraw the selected posts to draft"))
    def withdraw(self, request, queryset):
        posts = list(queryset.filter(state=Post.State.PUBLISHED))
        for post in posts:
            transitions.unpublish(post, request.user)
        count = len(posts)
        self._report(
            request,
            ngettext("%(count)d post withdrawn.", "%(count)d posts withdrawn.", count)
            % {"count": count},
        )

    @admin.action(description=_("Pin the selected posts"))
    def pin(self, request, queryset):
        count = queryset.update(pinned=True)
        self._report(
            request,
            ngettext("%(count)d post pinned.", "%(count)d posts pinned.", count) % {"count": count},
        )

    @admin.action(description=_("Unpin the selected posts"))
    def unpin(self, request, queryset):
        count = queryset.update(pinned=False)
        self._report(
            request,
            ngettext("%(count)d post unpinned.", "%(count)d posts unpinned.", count)
            % {"count": count},
        )


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    fields = ("title", "slug", "body", "source_path")
    readonly_fields = ("source_path",)
