from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.activity import record_activity

from . import services
from .forms import AdminPasswordChangeForm
from .models import Department, Role, User

# The fields of a user whose change the activity log keeps (the roles are read apart).
LOGGED_USER_FIELDS = ("department", "approval_limit", "is_staff", "is_superuser", "is_active")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "email"]
    search_fields = ["name", "code", "email"]

    def save_model(self, request, obj, form, change):
        """Through the services, so the edit is in the activity log."""
        values = {field: form.cleaned_data[field] for field in services.DEPARTMENT_FIELDS}
        if change:
            saved = services.department_update(department=obj, by=request.user, **values)
        else:
            saved = services.department_create(**values, by=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()


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

    def save_model(self, request, obj, form, change):
        """Saves as Django does, and logs who changed which of LOGGED_USER_FIELDS."""
        old = User.objects.filter(pk=obj.pk).values(*LOGGED_USER_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        if old is None:
            record_activity(obj, "created", by=request.user, changes={"username": [None, obj.username]})
            return
        changes = {
            field: [old[field], getattr(obj, f"{field}_id" if field == "department" else field)]
            for field in LOGGED_USER_FIELDS
            if old[field] != getattr(obj, f"{field}_id" if field == "department" else field)
        }
        if changes:
            record_activity(obj, "updated", by=request.user, changes=changes)

    def save_related(self, request, form, formsets, change):
        """Saves the roles as Django does, and logs a change of them."""
        user = form.instance
        old = set(user.roles.values_list("code", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        new = set(user.roles.values_list("code", flat=True))
        if old != new:
            record_activity(user, "updated", by=request.user, changes={"roles": [old, new]})
