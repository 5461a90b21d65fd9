"""What the project's HTML views and API views share."""
from django.core.exceptions import PermissionDenied


def require_perm(user, perm: str, obj=None) -> None:
    """Refuse (403) unless the rules grant `user` the permission `perm`, on `obj` if given.

    Django turns `PermissionDenied` into the 403 page, DRF into a `403` response; ask the
    selectors first, so an object the user may not see is a 404 instead.
    """
    if not user.has_perm(perm, obj):
        raise PermissionDenied
