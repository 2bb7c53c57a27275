from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .mail import send_stored_email
from .models import OutgoingEmail, Person, User


def _site_admin_title() -> str:
    return gettext("%(site)s administration") % {"site": settings.SITE_NAME}


# The site's own name in the admin's title bar and tab, not "Django administration".
admin.site.site_header = lazy(_site_admin_title, str)()
admin.site.site_title = lazy(_site_admin_title, str)()
admin.site.index_title = _("Site administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Profile"), {"fields": ("name",)}),)
    list_display = ("username", "email", "name", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email", "name", "first_name", "last_name")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("github", "name", "user", "public_profile", "created_at")
    list_filter = ("public_profile",)
    search_fields = ("github", "name", "user__email")
    raw_id_fields = ("user",)
    readonly_fields = ("github_id", "created_at", "updated_at")
    list_select_related = ("user",)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipients", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state",)
    search_fields = ("subject", "to")
    readonly_fields = ("to", "subject", "body", "attempts", "last_error", "created_at", "sent_at")
    actions = ["send_now"]

    @admin.display(description=_("recipients"))
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.action(description=_("Send the selected pending e-mails now"))
    def send_now(self, request, queryset):
        sent = sum(
            send_stored_email(email) for email in queryset.filter(state=OutgoingEmail.State.PENDING)
        )
        self.message_user(
            request,
            ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", sent) % {"count": sent},
            messages.SUCCESS,
        )
