from django.contrib import admin, messages
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.uploads import CheckedImageField

from . import services
from .models import Category, Post, PostAuthor, PostImage, Tag


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
            return _("Save the post to get the Markdown of this image.")
        return format_html(
            '<code>{}</code> <button type="button" class="button blog-insert-image" '
            'data-markdown="{}">{}</button>',
            image.markdown,
            image.markdown,
            _("Insert into the body"),
        )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "date",
        "status",
        "publish_at",
        "state",
        "category",
        "pinned",
        "lead_author_name",
    )
    list_filter = ("status", "category", "pinned", "tags")
    search_fields = ("title", "slug", "body", "authorships__person__github")
    date_hierarchy = "date"
    list_select_related = ("category",)
    filter_horizontal = ("tags",)
    readonly_fields = ("excerpt", "source_path", "created_at", "updated_at")
    inlines = (PostAuthorInline, PostImageInline)
    actions = ("publish_now", "withdraw", "pin", "unpin")
    fieldsets = (
        (None, {"fields": ("title", "slug", "date", "category", "tags", "body")}),
        (_("Publishing"), {"fields": ("status", "publish_at", "pinned")}),
        (_("Details"), {"fields": ("excerpt", "source_path", "created_at", "updated_at")}),
    )

    class Media:
        css = {"all": ("blog/admin.css", "blog/blog.css")}
        js = ("blog/admin.js",)

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
            field.widget.attrs.update(
                {
                    "data-preview-url": reverse("blog:preview"),
                    "data-preview-label": _("Preview"),
                    "rows": 30,
                    "class": "blog-body",
                }
            )
        return field

    @admin.display(description=_("state"))
    def state(self, post):
        if post.is_scheduled:
            return _("scheduled")
        return _("live") if post.is_live else _("draft")

    @admin.display(description=_("lead author"))
    def lead_author_name(self, post):
        lead = post.lead_author
        return lead.display_name if lead else "—"

    def _report(self, request, message):
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Publish the selected posts now"))
    def publish_now(self, request, queryset):
        posts = list(queryset)
        for post in posts:
            services.publish(post, request.user)
        count = len(posts)
        self._report(
            request,
            ngettext("%(count)d post published.", "%(count)d posts published.", count)
            % {"count": count},
        )

    @admin.action(description=_("Withdraw the selected posts to draft"))
    def withdraw(self, request, queryset):
        posts = list(queryset)
        for post in posts:
            services.unpublish(post, request.user)
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
