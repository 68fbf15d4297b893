import datetime
import re

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certportal.forms import search_field_kwargs

from .models import AuditEntry

PEOPLE = 100  # accounts a person search looks up by id; a text that fits more is searched in the names kept
ID = re.compile(r"[1-9][0-9]{0,18}")  # a stored primary key (no sign, no leading zero)


# The content types the trail holds entries of, read off the index on ``content_type_id`` by a skip scan: the least
# type, then the least above it, one index probe per type present (a few dozen), whatever the trail's size and its
# mix of types. ``EXISTS`` of an entry per content type was a probe per type too, until the planner, believing a
# trail of 50,000,000 entries held one type, read and grouped the whole index instead (4.6 s a page,
# docs/benchmarks.md); this query has no such other plan.
TYPES_PRESENT_SQL = """
    WITH RECURSIVE t(v) AS (
        SELECT min(content_type_id) FROM audit_auditentry
        UNION ALL
        SELECT (SELECT min(content_type_id) FROM audit_auditentry WHERE content_type_id > t.v) FROM t
        WHERE t.v IS NOT NULL
    ) SELECT v FROM t WHERE v IS NOT NULL"""


class AuditFilter(django_filters.FilterSet):
    # A person picked by id (the link on a name in the results): a range of the (actor, time) index, whatever the
    # trail's size; the text search below finds people by their accounts, and names kept at the time (renamed
    # accounts, the system) when asked or when no account fits.
    actor = django_filters.NumberFilter(field_name="actor_id", widget=forms.HiddenInput)
    person = django_filters.CharFilter(label=_("Person (name or e-mail)"), method="filter_person",
                                        **search_field_kwargs())
    person_kept = django_filters.BooleanFilter(
        label=_("Also names kept at the time (renamed accounts, the system)"), method="read_by_search",
        widget=forms.CheckboxInput)
    # The types present in the trail (offered and accepted: a type never audited is refused), by a skip scan
    content_type = django_filters.ModelChoiceFilter(
        label=_("Object type"), queryset=ContentType.objects.filter(
            pk__in=RawSQL(TYPES_PRESENT_SQL, [])).order_by("app_label", "model"),  # noqa: S611 (a constant)
    )
    obj = django_filters.CharFilter(label=_("Object (id or name)"), method="filter_object",
                                     **search_field_kwargs())
    obj_names = django_filters.BooleanFilter(label=_("Also look for the number in object names"),
                                             method="read_by_search", widget=forms.CheckboxInput)
    # Days are turned into a range of times (local midnight to midnight), which the index on the time serves;
    # ``created_at__date`` would convert every row's time first.
    date_from = django_filters.DateFilter(label=_("From date"), method="filter_from",
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=_("To date"), method="filter_to",
                                        widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEntry
        fields = ["actor", "person", "person_kept", "content_type", "obj", "obj_names", "date_from", "date_to"]

    def read_by_search(self, qs, name, value):
        return qs  # a box that widens the text search beside it, read there

    def filter_person(self, qs, name, value):
        """The accounts whose name or e-mail holds the text, found among the users first (a small table, trigram
        indexes), then their entries through the (actor, time) index: a range of it per person, not a walk of the
        whole trail checking names. Names kept at the time (an account since renamed, the system) are searched
        when the box asks for them or when no account matches; so is a text that fits more than ``PEOPLE`` accounts
        (its entries are then common, and the walk of the time index meets them soon)."""
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
        people = list(users.order_by().values_list("pk", flat=True)[:PEOPLE + 1])
        kept = Q(actor_name__icontains=value)
        if not people:
            return qs.filter(kept)
        if len(people) > PEOPLE:
            return qs.filter(kept | Q(actor_id__in=users.values("pk")))
        if self.form.cleaned_data.get("person_kept"):
            return qs.filter(kept | Q(actor_id__in=people))
        return qs.filter(actor_id__in=people)

    def filter_from(self, qs, name, value):
        return qs.filter(created_at__gte=_midnight(value))

    def filter_to(self, qs, name, value):
        return qs.filter(created_at__lt=_midnight(value + datetime.timedelta(days=1)))

    def filter_object(self, qs, name, value):
        """A whole number is an object's id: the id index alone, the entries of that one object (what an auditor
        who reads out "application 12345" expects). Its digits inside other objects' names (a NIP, "#112345") come
        only when the box asks for them; other text is looked for in both ids and names."""
        if ID.fullmatch(value) and not self.form.cleaned_data.get("obj_names"):
            return qs.filter(object_id=value)
        return qs.filter(Q(object_id=value) | Q(object_repr__icontains=value))

def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
