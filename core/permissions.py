"""The bridge between DRF and django-rules: one set of predicates for the API and the pages."""
from rest_framework import permissions


class RulesPermission(permissions.BasePermission):
    """Asks django-rules for `<app>.<action>_<model>`, per object where there is one.

    A viewset names its permissions in `rules_permissions = {"create": "startups.add_startup"}`
    (action name to permission); actions without an entry need only an authenticated user.
    """

    def _permission(self, view):
        return getattr(view, "rules_permissions", {}).get(view.action)

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        perm = self._permission(view)
        if perm is None or getattr(view, "detail", False) or view.action in getattr(
            view, "object_actions", ()
        ):
            return True
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._permission(view)
        return perm is None or request.user.has_perm(perm, obj)
