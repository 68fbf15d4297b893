"""Who keeps a scheme's question bank: the LSP admin assigns and removes keepers on the scheme's bank page (POST
only, audited by ``assessments.instruments.services.bank_keepers``).

    bank-soal/<scheme>/penjaga/                   assign a keeper (POST)
    bank-soal/<scheme>/penjaga/<pk>/lepas/        take the assignment back (POST)
"""

from __future__ import annotations

from django import forms
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.events.selectors import get_or_403
from assessments.instruments.models.plans import BankKeeper
from assessments.instruments.selectors import bank_schemes_visible_to
from assessments.instruments.services import bank_keepers
from certportal import figures
from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow.views import run_action


class KeeperForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Assign a keeper"), queryset=None, widget=forms.Select(attrs={"class": "form-select"}),
                                    empty_label=gettext_lazy("— choose an assessor or LSP admin —"))

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = bank_keepers.keeper_candidates()
        if scheme is not None:
            field.queryset = field.queryset.exclude(bank_keeps__scheme=scheme)
        field.label_from_instance = lambda u: f"{u.full_name} ({u.email})"


CANDIDATES = "assessments.bank.keeper-candidates"  # certportal.figures: every active assessor and LSP admin


def keepers_context(request, scheme) -> dict:
    """The scheme's keepers for its bank page (their names) and, for an LSP admin, the choice of a person to assign
    (``KeeperForm``'s select as its widget draws it, from one query of values: no form or model object per
    person; the form itself checks the POST)."""
    keepers = list(BankKeeper.objects.filter(scheme=scheme).order_by("user__full_name", "id").values(
        "pk", "user_id", name=F("user__full_name")))
    if not request.user.has_role(Role.LSP_ADMIN):
        return {"keepers": keepers, "keeper_select": None}
    field = KeeperForm.base_fields["person"]
    # Every candidate, kept a minute for all the schemes' pages (a person given the role shows within a minute;
    # one who lost it meanwhile is refused by the service, which asks again), less this scheme's keepers.
    keeping = {k["user_id"] for k in keepers}
    people = [p for p in figures.kept(CANDIDATES, "all", lambda: list(
        bank_keepers.keeper_candidates().values_list("pk", "full_name", "email"))) if p[0] not in keeping]
    options = format_html_join("", '\n  <option value="{}">{} ({})</option>\n', people)
    return {"keepers": keepers, "keeper_label": field.label, "keeper_select": format_html(
        '<select name="person" class="form-select" required id="id_person">\n  <option value="" selected>{}'
        '</option>\n{}\n</select>', field.empty_label, options)}


def _scheme(request, scheme_pk):
    return get_or_403(bank_schemes_visible_to(request.user), pk=scheme_pk)


@require_POST
@role_required(Role.LSP_ADMIN)
def keeper_assign(request, scheme_pk):
    scheme = _scheme(request, scheme_pk)
    back = reverse("assessments:bank-scheme", args=[scheme.pk])
    return run_action(request, lambda data: bank_keepers.bank_keeper_assign(scheme, data["person"], actor=request.user),
                      form=KeeperForm(request.POST, scheme=scheme),
                      success=lambda k: _("%(name)s now keeps this question bank: they read its keys and change "
                                          "its items.") % {"name": k.user.full_name},
                      redirect_to=back)


@require_POST
@role_required(Role.LSP_ADMIN)
def keeper_remove(request, scheme_pk, pk):
    scheme = _scheme(request, scheme_pk)
    keeper = get_object_or_404(BankKeeper.objects.select_related("user", "scheme"), pk=pk, scheme=scheme)
    name = keeper.user.full_name
    return run_action(request, lambda data: bank_keepers.bank_keeper_remove(keeper, actor=request.user),
                      success=_("%(name)s no longer keeps this question bank.") % {"name": name},
                      redirect_to=reverse("assessments:bank-scheme", args=[scheme.pk]))


urls = [
    path("bank-soal/<int:scheme_pk>/penjaga/", keeper_assign, name="bank-keeper-assign"),
    path("bank-soal/<int:scheme_pk>/penjaga/<int:pk>/lepas/", keeper_remove, name="bank-keeper-remove"),
]
