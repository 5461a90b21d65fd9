"""core.filters.FilterSet: the form class is built once per class and language."""
from django.http import QueryDict
from django.utils import translation

from applications.api import LetterFilter


def _form(query):
    return LetterFilter(QueryDict(query)).form


def test_the_form_class_is_kept_per_language():
    # Per language: the labels of its fields are translated as the class is built.
    with translation.override("en"):
        first, second = _form("status=draft"), _form("status=queued")
    with translation.override("ko"):
        korean, again = _form("status=draft"), _form("status=draft")
    assert type(first) is type(second)
    assert type(korean) is type(again)
    assert type(korean) is not type(first)


def test_each_request_is_validated_on_its_own():
    bad, good = _form("status=nonsense"), _form("status=queued")
    assert not bad.is_valid()
    assert "status" in bad.errors
    assert good.is_valid()
    assert good.cleaned_data["status"] == "queued"
