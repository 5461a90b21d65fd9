from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from rest_framework import pagination
from rest_framework.exceptions import NotFound

from .fields import parse_id


class PageNumberPagination(pagination.PageNumberPagination):
    """The default list pagination: `?page=` and `?page_size=` up to 200."""

    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For lists that grow without bound: no COUNT(*) over the table.

    A cursor is the client's to send back, so a well-formed one may still carry any position:
    it must read as a value of the ordering's first field (an id as `core.fields` reads ids),
    else it is an invalid cursor (404), never a query that fails."""

    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not self._readable(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def _readable(self, position: str) -> bool:
        name = self.ordering[0].lstrip("-")
        try:
            field = self._model._meta.pk if name == "pk" else self._model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation: the query reads it as it is
            return True
        if isinstance(field, (models.AutoField, models.IntegerField, models.ForeignKey)):
            return parse_id(position) is not None
        try:
            field.to_python(position)
        except ValidationError:
            return False
        return True
