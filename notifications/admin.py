from django.contrib import admin

from .models import Notification, OutgoingEmail


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["subject", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    search_fields = ["to", "subject"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error"]
