"""What each position (*jabatan*) of an agency needs: the schemes its officer or head records for the competence
map (:class:`agencies.models.PositionNeed`). Each change is audited; a scheme already needed is refused, and a
need already removed (a second tab, a replayed request) says so."""

from __future__ import annotations

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from certportal.audit.services import audit_record
from certportal.forms import NAME_MAX_LENGTH
from schemes.models import Scheme

from .competence import key_of as _key
from .models import PositionNeed
from .workflow import AgencyError

ADDED, REMOVED = "agencies.positionneed.added", "agencies.positionneed.removed"
LABELS = {ADDED: gettext_lazy("scheme a position needs recorded"),
          REMOVED: gettext_lazy("scheme a position needs removed")}


class NeedForm(forms.Form):
    position = forms.CharField(label=pgettext_lazy("job", "Position (jabatan)"), max_length=NAME_MAX_LENGTH)
    scheme = forms.ModelChoiceField(label=gettext_lazy("Scheme it needs"), queryset=Scheme.objects.none())

    def __init__(self, *args, positions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(is_current=True).order_by("code")
        self.fields["position"].widget.attrs.update({"list": "positions-known", "autocomplete": "off",
                                                     "class": "form-control form-control-sm"})
        self.fields["scheme"].widget.attrs.update({"class": "form-select form-select-sm"})
        self.positions = positions


def need_add(*, actor, agency, position: str, scheme: Scheme) -> PositionNeed:
    position = " ".join(position.split())
    if not position:
        raise AgencyError(_("Name the position."))
    clash = PositionNeed.objects.filter(agency=agency, scheme__code=scheme.code).select_related("scheme")
    if any(_key(n.position) == _key(position) for n in clash):
        raise AgencyError(_("The position %(position)s already needs %(scheme)s.") % {
            "position": position, "scheme": scheme.code})
    try:
        with transaction.atomic():
            need = PositionNeed.objects.create(agency=agency, position=position, scheme=scheme, created_by=actor)
            audit_record(actor=actor, obj=need, action=ADDED, note=f"{position}: {scheme.code}")
    except IntegrityError:  # the same need recorded at the same moment in another tab
        raise AgencyError(_("The position %(position)s already needs %(scheme)s.") % {
            "position": position, "scheme": scheme.code}) from None
    return need


def need_remove(*, actor, agency, pk: int) -> str:
    with transaction.atomic():
        need = PositionNeed.objects.select_for_update().select_related("scheme").filter(agency=agency, pk=pk).first()
        if need is None:
            raise AgencyError(_("This need was already removed."))
        text = f"{need.position}: {need.scheme.code}"
        audit_record(actor=actor, obj=need, action=REMOVED, note=text)
        need.delete()
    return text
