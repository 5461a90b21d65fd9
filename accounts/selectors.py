from .models import User


def users_visible_to(user):
    """Admins see every account (roles prefetched for the list); others none."""
    if not user.has_role("admin"):
        return User.objects.none()
    return User.objects.prefetch_related("roles").order_by("id")
