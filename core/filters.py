"""The project's FilterSet, filter backend and search filter."""
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import filters as drf_filters
from rest_framework.exceptions import ValidationError

from .fields import IdFilter, IdModelChoiceFilter

# More terms than this is no search a person types; on SQLite a thousand of them build an
# expression deeper than it allows.
MAX_SEARCH_TERMS = 10
MAX_SEARCH_LENGTH = 200


class FilterSet(filters.FilterSet):
    """django-filter's, with ids read as `core.fields` reads them (a foreign key's value, an id
    field), and its form class built once.

    django-filter builds a FilterSet's form class on every request (each filter's form field,
    its label worked out from the model): a tenth of the CPU of a list request. Here it is built
    once per FilterSet class and language and kept, which is right as long as no filter's
    declaration depends on the request (a queryset or choices worked out per request): the
    form's fields are copied into each form as it is made, querysets evaluated afresh."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
        models.ForeignKey: {
            **filters.FilterSet.FILTER_DEFAULTS[models.ForeignKey],
            "filter_class": IdModelChoiceFilter,
        },
        models.OneToOneField: {
            **filters.FilterSet.FILTER_DEFAULTS[models.OneToOneField],
            "filter_class": IdModelChoiceFilter,
        },
    }

    _form_classes: dict = {}

    def get_form_class(self):
        key = (type(self), translation.get_language())
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = self._form_classes[key] = super().get_form_class()
        return form_class


class DjangoFilterBackend(filters.DjangoFilterBackend):
    """`filterset_fields` on a view build their FilterSet from the project's."""

    filterset_base = FilterSet


class SearchFilter(drf_filters.SearchFilter):
    """DRF's, refusing (400) a search longer than a person types."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        terms = super().get_search_terms(request)
        if len(value) > MAX_SEARCH_LENGTH or len(terms) > MAX_SEARCH_TERMS:
            raise ValidationError(
                {
                    self.search_param: [
                        _("Search with at most %(terms)d words and %(length)d characters.")
                        % {"terms": MAX_SEARCH_TERMS, "length": MAX_SEARCH_LENGTH}
                    ]
                }
            )
        return terms
