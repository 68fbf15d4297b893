"""Catalogue search and filters (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certportal.forms import search_field_kwargs

from .models import Qualification, Scheme


class SchemeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", **search_field_kwargs())
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Scheme.Kind.choices, empty_label=_("All"))
    test_site = django_filters.NumberFilter(label=_("Test site"), field_name="test_sites")

    class Meta:
        model = Scheme
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(description__icontains=value)
                               | Q(scheme_units__unit__code__icontains=value)
                               | Q(scheme_units__unit__title__icontains=value)).distinct()


LEVELS = [(n, str(n)) for n in range(1, 10)]


class QualificationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", **search_field_kwargs())
    group = django_filters.ChoiceFilter(label=_("Group"), choices=[], empty_label=_("All"))
    level = django_filters.ChoiceFilter(label=_("KKNI level"), choices=LEVELS, empty_label=_("All"))

    class Meta:
        model = Qualification
        fields = ["q", "group", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Qualification.objects.order_by("group").values_list("group", flat=True).distinct()
        self.filters["group"].extra["choices"] = [(g, g) for g in groups if g]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(listings__code_as_printed__icontains=value)
                               | Q(listings__title_as_printed__icontains=value)).distinct()
