from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """The default list pagination: `?page=` and `?page_size=` up to 200."""

    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """For lists that grow without bound: no COUNT(*) over the table."""

    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
