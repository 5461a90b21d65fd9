"""The project's FilterSet: django-filter's, with its form class built once."""
from django.utils import translation
from django_filters import rest_framework as filters


class FilterSet(filters.FilterSet):
    """django-filter builds a FilterSet's form class on every request (each filter's form field,
    its label worked out from the model): a tenth of the CPU of a list request. Here it is built
    once per FilterSet class and language and kept, which is right as long as no filter's
    declaration depends on the request (a queryset or choices worked out per request): the
    form's fields are copied into each form as it is made, querysets evaluated afresh."""

    _form_classes: dict = {}

    def get_form_class(self):
        key = (type(self), translation.get_language())
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = self._form_classes[key] = super().get_form_class()
        return form_class
