"""What the project's HTML views and API views share."""
from django.core.exceptions import PermissionDenied


def require_perm(user, perm: str, obj=None) -> None:
    """Refuse (403) unless the rules grant `user` the permission `perm`, on `obj` if given.

    Django turns `PermissionDenied` into the 403 page, DRF into a `403` response; ask the
    selectors first, so an object the user may not see is a 404 instead.
    """
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def query_without_page(request) -> str:
    """The request's query string less its `page`: what a list page's pagination links carry,
    so that turning a page keeps the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
