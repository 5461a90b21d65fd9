"""Bare DRF endpoints: token auth, a serializer, one INSERT or one 50-row SELECT."""
from rest_framework import generics, serializers

from core.pagination import CursorPagination

from .models import ProbeRow


class ProbeRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProbeRow
        fields = ["id", "name", "value", "created_at"]


class ProbePagination(CursorPagination):
    page_size = 50


class ProbeInsertView(generics.CreateAPIView):
    serializer_class = ProbeRowSerializer


class ProbeListView(generics.ListAPIView):
    serializer_class = ProbeRowSerializer
    pagination_class = ProbePagination
    queryset = ProbeRow.objects.all()
