import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certportal.forms import search_field_kwargs

from .models import AuditEntry


class AuditFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(label=_("Person (name or e-mail)"), method="filter_person",
                                        **search_field_kwargs())
    content_type = django_filters.ModelChoiceFilter(
        label=_("Object type"), queryset=ContentType.objects.filter(auditentry__isnull=False).distinct()
        .order_by("app_label", "model"),
    )
    obj = django_filters.CharFilter(label=_("Object (id or name)"), method="filter_object",
                                     **search_field_kwargs())
    date_from = django_filters.DateFilter(label=_("From date"), field_name="created_at", lookup_expr="date__gte",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=_("To date"), field_name="created_at", lookup_expr="date__lte",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEntry
        fields = ["person", "content_type", "obj", "date_from", "date_to"]

    def filter_person(self, qs, name, value):
        return qs.filter(Q(actor_name__icontains=value) | Q(actor__email__icontains=value))

    def filter_object(self, qs, name, value):
        return qs.filter(Q(object_id=value) | Q(object_repr__icontains=value))
