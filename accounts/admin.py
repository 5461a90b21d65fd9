from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminPasswordChangeForm
from .models import Department, Role, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email"]
    search_fields = ["name", "code", "email"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = AdminPasswordChangeForm
    list_display = ["username", "email", "department", "approval_limit", "is_active"]
    list_filter = ["roles", "department", "is_active", "is_superuser"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Incubator"), {"fields": ("roles", "department", "approval_limit")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (_("Incubator"), {"fields": ("email", "roles", "department", "approval_limit")}),
    )
