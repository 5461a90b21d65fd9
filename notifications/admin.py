from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification, OutgoingEmail
from .services import emails_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["subject", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = ["status", "created_at", "claimed_at", "sent_at", "attempts", "last_error"]
    actions = ["retry"]

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry(self, request, queryset):
        count = emails_retry(emails=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d e-mail is back in the outbox.", "%(n)d e-mails are back in the outbox.", count)
            % {"n": count},
            messages.SUCCESS,
        )
