def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return user.notifications.filter(read_at__isnull=True).count()


def notifications_of(user):
    return user.notifications.order_by("-created_at", "-id")
