from core import serializers

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read_at"]


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
