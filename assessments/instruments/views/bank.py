"""The question bank per scheme, unit and instrument (``assessments.instruments.services.bank``): confidential pages for LSP
admins, the assessors whose scope includes the scheme and the bank's keepers, never for one being assessed on the
scheme (``selectors.bank_schemes_visible_to``); the keys, expected answers and every change only for the keepers
and the assessors of an event of the scheme (``selectors.bank_key_schemes``). A refusal is explained and audited
(``assessments.bankitem.refused``). Every page that shows bank content is audited (``assessments.bankitem.*``) and
is sent ``no-store``.

    bank-soal/                                       the schemes whose banks the user may open
    bank-soal/<scheme>/                              units × instruments with counts, the XLSX import
    bank-soal/<scheme>/unit/<unit>/<instrument>/     the items of one unit and instrument, and the form to add one
    bank-soal/<scheme>/butir/<pk>/                   edit one item
    bank-soal/<scheme>/butir/<pk>/nonaktif/ · aktif/ take it out of use / back in use (POST)
    bank-soal/<scheme>/impor/                        upload (POST) → preview with per-row problems (GET)
    bank-soal/<scheme>/impor/terapkan/               add the rows without problems (POST)
    bank-soal/templat.xlsx                           the import template
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.events.selectors import get_or_403
from assessments.instruments.models.plans import BANK_INSTRUMENTS, BankItem, Instrument
from assessments.instruments.selectors import (
    bank_items_visible_to,
    bank_key_schemes,
    bank_schemes_visible_to,
    scheme_codes_assessed_on,
    with_keys_held,
)
from assessments.instruments.services import bank, bank_keepers
from assessments.instruments.views import rows
from assessments.instruments.views.bank_keepers import keepers_context
from certportal.accounts.models import Role
from certportal.errors import AccessRefused
from certportal.exports import xlsx_response
from certportal.permissions import role_required
from certportal.workflow.views import run_action, run_form
from schemes.models import PerformanceCriterion, Scheme, Unit

SESSION_KEY = "bank-import"
SCHEMES_PER_PAGE = 30  # the bank's home, as the plans' list
ITEMS_PER_PAGE = 50  # a unit's items of one instrument
bank_staff = role_required(Role.LSP_ADMIN, Role.ASSESSOR)


def confidential(view):
    """Bank content is never kept by a browser or a proxy, nor indexed."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _refusal(user, scheme) -> str:
    if scheme.code in scheme_codes_assessed_on(user):
        return _("You are being assessed on this scheme: its question bank is closed to you until your assessment "
                 "is decided.")
    return _("This scheme's question bank is not in your scope.")


def _scheme(request, scheme_pk: int, *, keys: bool = False):
    """The scheme if this user may open its bank (``keys``: and read its keys and write its items); otherwise a
    403 with the reason, the refusal audited."""
    visible = bank_key_schemes(request.user) if keys else bank_schemes_visible_to(request.user)
    # the columns the bank's pages use (a scheme's long texts are not read here)
    scheme = with_keys_held(visible, request.user).filter(pk=scheme_pk).only("code", "version", "name").first()
    if scheme is not None:
        return scheme
    scheme = Scheme.objects.filter(pk=scheme_pk).first()
    if scheme is None:
        raise PermissionDenied
    reason = _refusal(request.user, scheme)
    if keys and bank_schemes_visible_to(request.user).filter(pk=scheme_pk).exists():
        reason = _("Only the bank's keepers and the assessors of an event of this scheme read its keys and change "
                   "its items. The LSP admin assigns the keepers.")
    bank_keepers.bank_refused(actor=request.user, scheme=scheme, reason=reason)
    raise AccessRefused(reason)


def may_read_keys(user, scheme) -> bool:
    """Whether ``user`` reads the keys of ``scheme``: as :func:`_scheme` found it (``keys_held``), or asked."""
    held = getattr(scheme, "keys_held", None)
    return held if held is not None else bank_key_schemes(user).filter(pk=scheme.pk).exists()


def _unit(scheme, unit_pk: int):
    unit = Unit.objects.filter(pk=unit_pk, scheme_links__scheme=scheme).only("code", "title").first()
    if unit is None:
        raise Http404
    return unit


def _instrument(code: str) -> str:
    if code not in BANK_INSTRUMENTS:
        raise Http404
    return code


def _item(request, scheme, pk: int) -> BankItem:
    item = get_or_403(bank_items_visible_to(request.user), pk=pk)
    _unit(scheme, item.unit_id)  # the item belongs to this scheme's units
    return item


# --- pages -----------------------------------------------------------------------------------------------------


@confidential
@bank_staff
def bank_home(request):
    schemes = bank_schemes_visible_to(request.user).order_by("code", "-version").values(
        "pk", "code", "version", "is_current", "name")
    page = Paginator(schemes, SCHEMES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assessments/bank_home.html", {"page": page, "rows": rows.bank_scheme_links(page),
                                                          "params": ""})


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Question bank workbook (.xlsx, in the template's layout)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


@confidential
@bank_staff
def bank_scheme(request, scheme_pk):
    scheme = _scheme(request, scheme_pk)
    units = Unit.objects.filter(scheme_links__scheme=scheme).order_by("scheme_links__position").only("code", "title")
    bank.bank_accessed(actor=request.user, obj=scheme, action="listed", note=scheme.code)
    return render(request, "assessments/bank_scheme.html", {
        "scheme": scheme, "grid": rows.bank_grid(scheme, units, BANK_INSTRUMENTS, bank.bank_counts(scheme)),
        "instruments": [(c, Instrument(c).label) for c in BANK_INSTRUMENTS],
        "upload_form": UploadForm(), "max_rows": bank.MAX_ROWS, "keys": may_read_keys(request.user, scheme),
        **keepers_context(request, scheme)})


class BankItemForm(forms.Form):
    """One item; the fields shown depend on the instrument (``unit`` gives the KUK to choose from)."""

    text = forms.CharField(label=gettext_lazy("Question or task"), max_length=bank.TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))
    option_a = forms.CharField(label=gettext_lazy("Option A"), max_length=bank.OPTION_MAX, required=False)
    option_b = forms.CharField(label=gettext_lazy("Option B"), max_length=bank.OPTION_MAX, required=False)
    option_c = forms.CharField(label=gettext_lazy("Option C"), max_length=bank.OPTION_MAX, required=False)
    option_d = forms.CharField(label=gettext_lazy("Option D"), max_length=bank.OPTION_MAX, required=False)
    option_e = forms.CharField(label=gettext_lazy("Option E"), max_length=bank.OPTION_MAX, required=False)
    option_f = forms.CharField(label=gettext_lazy("Option F"), max_length=bank.OPTION_MAX, required=False)
    key = forms.ChoiceField(label=gettext_lazy("Correct option (key)"), required=False,
                            choices=[("", "—"), *[(letter, letter) for letter in bank.LETTERS]])
    expected = forms.CharField(label=gettext_lazy("Expected answer or criteria"), max_length=bank.EXPECTED_MAX,
                               required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tools = forms.CharField(label=gettext_lazy("Tools and materials"), max_length=bank.TOOLS_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.IntegerField(label=gettext_lazy("Time (minutes)"), min_value=1, max_value=bank.MAX_MINUTES,
                                 required=False)
    criterion = forms.ModelChoiceField(label=gettext_lazy("Performance criterion (KUK), optional"), required=False,
                                       queryset=PerformanceCriterion.objects.none())

    OPTION_FIELDS = ("option_a", "option_b", "option_c", "option_d", "option_e", "option_f")

    def __init__(self, *args, unit=None, instrument: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        if unit is not None:
            self.fields["criterion"].queryset = bank.unit_criteria(unit)
        self.fields["criterion"].label_from_instance = lambda c: f"{c.position} {c.text[:90]}"
        if instrument == Instrument.IA02:
            self.fields["text"].label = _("Task: scenario and instructions")
            self.fields["expected"].label = _("Expected result (optional)")
        elif instrument == Instrument.IA11:
            self.fields["text"].label = _("Product to review")
            self.fields["expected"].label = _("Criteria of the product")
        elif instrument != Instrument.IA05:
            self.fields["expected"].label = _("Expected answer")
        drop = []
        if instrument != Instrument.IA05:
            drop += [*self.OPTION_FIELDS, "key"]
        else:
            drop += ["expected", "tools"]
        if instrument != Instrument.IA02:
            drop += ["tools", "minutes"]
        for name in set(drop):
            self.fields.pop(name, None)

    @classmethod
    def initial_for(cls, item: BankItem) -> dict:
        data = {"text": item.text, "expected": item.expected, "tools": item.tools, "minutes": item.minutes,
                "criterion": item.criterion_id,
                "key": bank.LETTERS[item.key] if item.key is not None and item.key < len(bank.LETTERS) else ""}
        data.update(dict(zip(cls.OPTION_FIELDS, item.options, strict=False)))
        return data

    def item_data(self) -> bank.ItemData:
        d = self.cleaned_data
        key = d.get("key") or ""
        criterion = d.get("criterion")
        return bank.ItemData(text=d.get("text", ""), options=[d.get(n, "") for n in self.OPTION_FIELDS],
                             key=bank.LETTERS.index(key) if key else None, expected=d.get("expected", ""),
                             tools=d.get("tools", ""), minutes=d.get("minutes"),
                             criterion_id=criterion.pk if criterion else None)

    def option_fields(self):
        return [self[name] for name in self.OPTION_FIELDS if name in self.fields]


def _items_context(request, scheme, unit, instrument: str, *, keys: bool, show_inactive: bool) -> dict:
    """A page of the items of one unit and instrument, in their order (``ITEMS_PER_PAGE``: hundreds are kept per
    unit and instrument); counted from the scheme's kept counts (``bank.bank_counts``)."""
    bank.bank_accessed(actor=request.user, obj=unit, action="viewed", note=f"FR.{instrument} · {scheme.code}")
    counts = bank.bank_counts(scheme).get((unit.pk, instrument), {"active": 0, "inactive": 0})
    items = BankItem.objects.filter(unit=unit, instrument=instrument).order_by("position", "id").values(
        "id", "text", "options", "key", "expected", "tools", "minutes", "is_active",
        kuk_position=F("criterion__position"), kuk_text=F("criterion__text"))
    if not show_inactive:
        items = items.filter(is_active=True)
    paginator = Paginator(items, ITEMS_PER_PAGE)
    paginator.count = counts["active"] + (counts["inactive"] if show_inactive else 0)
    page = paginator.get_page(request.GET.get("page"))
    return {"scheme": scheme, "unit": unit, "instrument": instrument, "instrument_label": Instrument(instrument).label,
            "page": page, "rows": rows.bank_item_rows(request, scheme, page, keys=keys), "keys": keys,
            "show_inactive": show_inactive, "inactive_count": counts["inactive"],
            "params": "semua=1" if show_inactive else ""}


@confidential
@bank_staff
def bank_items(request, scheme_pk, unit_pk, instrument):
    """Everyone who opens the bank reads the questions; the keys, the expected answers and the form to add an item
    only the keepers and the assessors of an event of the scheme (a POST by anyone else is refused)."""
    scheme = _scheme(request, scheme_pk, keys=request.method == "POST")
    unit, instrument = _unit(scheme, unit_pk), _instrument(instrument)
    keys = may_read_keys(request.user, scheme)
    # the form is drawn for whoever holds the keys (and read on their POST); nobody else is shown one
    form = BankItemForm(request.POST or None, unit=unit, instrument=instrument) if keys else None
    here = reverse("assessments:bank-items", args=[scheme.pk, unit.pk, instrument])
    return run_form(request, form,
                    lambda data: bank.bank_item_save(unit, actor=request.user, instrument=instrument,
                                                     data=form.item_data()),
                    success=_("The item is added to the bank."), redirect_to=here,
                    template="assessments/bank_items.html",
                    context=lambda: _items_context(request, scheme, unit, instrument, keys=keys,
                                                   show_inactive=request.GET.get("semua") == "1"))


@confidential
@bank_staff
def bank_item_edit(request, scheme_pk, pk):
    scheme = _scheme(request, scheme_pk, keys=True)
    item = _item(request, scheme, pk)
    form = BankItemForm(request.POST or None, initial=BankItemForm.initial_for(item), unit=item.unit,
                        instrument=item.instrument)
    back = reverse("assessments:bank-items", args=[scheme.pk, item.unit_id, item.instrument])

    def context():
        bank.bank_accessed(actor=request.user, obj=item.unit, action="viewed",
                           note=f"FR.{item.instrument} #{item.pk} · {scheme.code}")
        return {"scheme": scheme, "item": item, "unit": item.unit, "instrument_label": Instrument(item.instrument).label,
                "back": back}

    return run_form(request, form,
                    lambda data: bank.bank_item_save(item.unit, actor=request.user, instrument=item.instrument,
                                                     data=form.item_data(), item=item),
                    success=_("The item is saved."), redirect_to=back, template="assessments/bank_item.html",
                    context=context)


@require_POST
@bank_staff
def bank_item_active(request, scheme_pk, pk, active):
    scheme = _scheme(request, scheme_pk, keys=True)
    item = _item(request, scheme, pk)
    back = reverse("assessments:bank-items", args=[scheme.pk, item.unit_id, item.instrument])
    return run_action(request, lambda data: bank.bank_item_set_active(item, actor=request.user, active=active),
                      success=_("The item is back in use.") if active else _("The item is out of use: it is no "
                                                                            "longer drawn or offered."),
                      redirect_to=back)


# --- the XLSX import -------------------------------------------------------------------------------------------


@confidential
@bank_staff
def bank_template(request):
    """The empty layout (no bank content): for whoever may import."""
    return xlsx_response("templat-bank-soal.xlsx", bank.template_sheets())


def _read_upload(request, scheme, upload) -> int:
    rows = bank.check_rows(scheme, bank.read_bank_xlsx(upload))
    name = str(upload.name)[:100]
    request.session[SESSION_KEY] = {"scheme": scheme.pk, "file": name, "rows": bank.rows_to_session(rows)}
    bank.bank_accessed(actor=request.user, obj=scheme, action="import_read", note=_(
        "%(file)s: %(rows)d rows, %(ok)d without problems") % {"file": name, "rows": len(rows),
                                                                 "ok": sum(r.ok for r in rows)})
    return len(rows)


@confidential
@bank_staff
def bank_import(request, scheme_pk):
    """POST: read the upload (problems of the file as a message on the scheme's page); GET: the preview."""
    scheme = _scheme(request, scheme_pk, keys=True)
    back = reverse("assessments:bank-scheme", args=[scheme.pk])
    here = reverse("assessments:bank-import", args=[scheme.pk])
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        return run_action(request, lambda data: _read_upload(request, scheme, data["file"]), form=form,
                          success=None, redirect_to=here, error_redirect=back)
    saved = request.session.get(SESSION_KEY)
    if not saved or saved.get("scheme") != scheme.pk:
        messages.info(request, _("Upload a workbook first."))
        return redirect(back)
    rows = bank.check_rows(scheme, bank.rows_from_session(saved["rows"]))
    return render(request, "assessments/bank_import.html", {
        "scheme": scheme, "file": saved["file"], "rows": rows, "ok": sum(r.ok for r in rows),
        "problems": sum(not r.ok for r in rows), "letters": bank.LETTERS})


@require_POST
@bank_staff
def bank_import_apply(request, scheme_pk):
    scheme = _scheme(request, scheme_pk, keys=True)
    saved = request.session.get(SESSION_KEY)
    back = reverse("assessments:bank-scheme", args=[scheme.pk])
    if not saved or saved.get("scheme") != scheme.pk:
        messages.info(request, _("Upload a workbook first."))
        return redirect(back)

    def apply(data):
        count = bank.bank_import_apply(scheme, bank.rows_from_session(saved["rows"]), actor=request.user,
                                       source=saved["file"])
        request.session.pop(SESSION_KEY, None)
        return count

    return run_action(request, apply, success=lambda n: _("%(count)d items are added to the bank.") % {"count": n},
                      redirect_to=back, error_redirect=reverse("assessments:bank-import", args=[scheme.pk]))


urls = [
    path("bank-soal/", bank_home, name="bank"),
    path("bank-soal/templat.xlsx", bank_template, name="bank-template"),
    path("bank-soal/<int:scheme_pk>/", bank_scheme, name="bank-scheme"),
    path("bank-soal/<int:scheme_pk>/unit/<int:unit_pk>/<str:instrument>/", bank_items, name="bank-items"),
    path("bank-soal/<int:scheme_pk>/butir/<int:pk>/", bank_item_edit, name="bank-item"),
    path("bank-soal/<int:scheme_pk>/butir/<int:pk>/nonaktif/", bank_item_active, {"active": False},
         name="bank-item-deactivate"),
    path("bank-soal/<int:scheme_pk>/butir/<int:pk>/aktif/", bank_item_active, {"active": True},
         name="bank-item-reactivate"),
    path("bank-soal/<int:scheme_pk>/impor/", bank_import, name="bank-import"),
    path("bank-soal/<int:scheme_pk>/impor/terapkan/", bank_import_apply, name="bank-import-apply"),
]


def event_context(user, event) -> dict:
    return {}


def participant_context(user, participant) -> dict:
    return {}


def my_context(user, participant) -> dict:
    return {}
