from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.transitions import TransitionError
from common.uploads import CheckedImageField

from . import transitions
from .models import Category, Page, Post, PostAuthor, PostEvent, PostImage, Tag


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    @admin.display(description=_("visible"))
    def visibility(self, post):
        if post.is_scheduled:
            return _("scheduled")
        return _("live") if post.is_live else _("draft")

    @admin.display(description=_("lead author"))
    def lead_author_name(self, post):
        lead = post.lead_author
        return lead.display_name if lead else "—"

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
