import datetime

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.forms import search_field_kwargs

from .models import AuditEntry


class AuditFilter(django_filters.FilterSet):
    # A person picked by id (the link on a name in the results): a range of the (actor, time) index, whatever the
    # trail's size; the text search below also finds names kept at the time (renamed accounts, the system).
    actor = django_filters.NumberFilter(field_name="actor_id", widget=forms.HiddenInput)
    person = django_filters.CharFilter(label=_("Person (name or e-mail)"), method="filter_person",
                                        **search_field_kwargs())
    # EXISTS per type (an index probe each) rather than a DISTINCT over the whole trail's join
    content_type = django_filters.ModelChoiceFilter(
        label=_("Object type"), queryset=ContentType.objects.filter(
            Exists(AuditEntry.objects.filter(content_type=OuterRef("pk")))).order_by("app_label", "model"),
    )
    obj = django_filters.CharFilter(label=_("Object (id or name)"), method="filter_object",
                                     **search_field_kwargs())
    # Days are turned into a range of times (local midnight to midnight), which the index on the time serves;
    # ``created_at__date`` would convert every row's time first.
    date_from = django_filters.DateFilter(label=_("From date"), method="filter_from",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=_("To date"), method="filter_to",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEntry
        fields = ["actor", "person", "content_type", "obj", "date_from", "date_to"]

    def filter_person(self, qs, name, value):
        # The e-mail is matched among the users first (a small table): no join of the whole trail with them.
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.filter(email__icontains=value).values("pk")
        return qs.filter(Q(actor_name__icontains=value) | Q(actor_id__in=people))

    def filter_from(self, qs, name, value):
        return qs.filter(created_at__gte=_midnight(value))

    def filter_to(self, qs, name, value):
        return qs.filter(created_at__lt=_midnight(value + datetime.timedelta(days=1)))

    def filter_object(self, qs, name, value):
        return qs.filter(Q(object_id=value) | Q(object_repr__icontains=value))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
