"""Letter pages under /letters/ (namespace `letters`)."""

from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    # Founders
    path("", views.my_letters, name="mine"),
    path("new/", views.compose, name="compose"),
    path("new/category-fields/", views.category_fields, name="category-fields"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/messages/", views.post_message, name="message"),
    # Reviewers and approvers
    path("work/", views.my_work, name="my-work"),
    path("queues/", views.queue_list, name="queues"),
    path("queues/<int:pk>/", views.queue_detail, name="queue"),
    path("awaiting/", views.awaiting, name="awaiting"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/request-info/", views.request_info, name="request-info"),
    path("<int:pk>/recommend/", views.recommend, name="recommend"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    # Routing, read-only (edits in the Django admin and the API)
    path("routing/departments/", views.admin_departments, name="admin-departments"),
    path("routing/queues/", views.admin_queues, name="admin-queues"),
    path("routing/rules/", views.admin_rules, name="admin-rules"),
    path("routing/dry-run/", views.admin_dry_run, name="admin-dry-run"),
    path("routing/preview/", views.admin_preview, name="admin-preview"),
]
