"""The filters of letter lists, one set for the API and the pages.

`LetterFilter` is the API's (`?status=&queue=&assignee=me...`); `LetterPageFilter` adds what
the pages' filter bar offers (a text search that also finds `#id`, "overdue only" counting
letters whose due date has just passed) and narrows the status choices to the page's. Invalid
values on a page are ignored: the list shows, unfiltered by them.
"""
import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.fields import MAX_ID, parse_id
from core.filters import FilterSet

from .enums import Category, Status
from .models import Letter


class LetterFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    queue = django_filters.NumberFilter(field_name="queue_id", min_value=0, max_value=MAX_ID)
    startup = django_filters.NumberFilter(field_name="startup_id", min_value=0, max_value=MAX_ID)
    assignee = django_filters.CharFilter(method="filter_assignee", help_text=_("`me`, `none`, or a user id."))
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_overdue"
    )

    class Meta:
        model = Letter
        fields = ["status", "category", "queue", "startup", "assignee", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=value == "true")

    def filter_assignee(self, queryset, name, value):
        value = value.strip().lower()
        if value == "me":
            return queryset.filter(assignee_id=self.request.user.pk)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if parse_id(value) is not None:
            return queryset.filter(assignee_id=parse_id(value))
        raise serializers.ValidationError({"assignee": [_("Use `me`, `none` or a user id.")]})


class LetterPageFilter(LetterFilter):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=200)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any status"))
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=Category.choices, empty_label=_("Any category")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta(LetterFilter.Meta):
        fields = ["q", "status", "category", "overdue"]

    def __init__(self, *args, statuses=None, with_overdue=True, **kwargs):
        """`statuses`: the statuses the page lists (None: all; empty: no status filter)."""
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        if statuses is not None and not statuses:
            del fields["status"]
        elif statuses is not None:
            fields["status"].choices = [("", _("Any status")), *((s, Status(s).label) for s in statuses)]
        if not with_overdue:
            del fields["overdue"]
        for name, field in fields.items():
            css = {"overdue": "form-check-input", "status": "form-select", "category": "form-select"}
            field.widget.attrs["class"] = css.get(name, "form-control")
        fields["q"].widget.attrs["placeholder"] = _("Subject or text")

    @property
    def active(self) -> bool:
        """Whether a valid filter is set (the page offers to clear them)."""
        self.form.is_valid()
        return any(self.form.cleaned_data.get(name) for name in self.form.fields)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        # Past its due date even before the beat task has flagged it.
        return queryset.filter(Q(is_overdue=True) | Q(due_at__lte=timezone.now(), sla_paused_at__isnull=True))

    def filter_text(self, queryset, name, value):
        query = value.strip()
        if not query:
            return queryset
        match = Q(subject__icontains=query) | Q(body__icontains=query)
        number = query.lstrip("#")
        if parse_id(number) is not None:
            match |= Q(pk=parse_id(number))
        return queryset.filter(match)
