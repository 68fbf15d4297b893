from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from certportal.files import validate_upload
from certportal.forms import NAME_MAX_LENGTH, capped_formfield, search_field_kwargs

from . import hooks
from .models import RETURN_FIELDS, ApplicantProfile, Application, SelfAssessment, Status, VerificationCheck
from .nik import nik_problems, normalise_nik
from .nip import nip_problems, service_years_problems


class DateInput(forms.DateInput):
    input_type = "date"


class ProfileForm(forms.ModelForm):
    # Longer than the 16 digits it keeps: people copy it from their KTP with spaces or dots.
    nik = forms.CharField(label=_("NIK"), max_length=24, required=False,
                          help_text=_("16 digits, as on your identity card (KTP). The LSP sends it to BNSP to "
                                      "register your certificate."))

    class Meta:
        formfield_callback = capped_formfield
        model = ApplicantProfile
        fields = ["nip", "nik", "full_name", "birth_place", "birth_date", "gender", "employment_status", "org_unit",
                  "position", "rank", "education", "years_of_service", "employer_government", "years_in_government",
                  "phone", "email"]
        widgets = {"birth_date": DateInput(format="%Y-%m-%d"), "gender": forms.RadioSelect}
        help_texts = {
            "nip": _("18 digits: birth date (yyyymmdd), appointment (yyyymm), gender (1/2), serial number."),
            "full_name": _("As on your decrees, with academic titles (e.g. Dra. Siti Aminah, M.Si.)."),
            "employer_government": _("The government that employs you (e.g. Pemerintah Provinsi DKI Jakarta)."),
            "years_in_government": _("Full years worked within that government (schemes may ask for a minimum, "
                                     "e.g. 4 years within the Province of DKI Jakarta)."),
            "phone": _("Optional, as at registration: the LSP may call you about your test."),
        }

    def __init__(self, *args, roster_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._agency_choice()
        if roster_confirm:  # a new profile pre-filled from the province's roster: the person confirms it
            self.fields["roster_confirmed"] = forms.BooleanField(
                label=_("I have checked this data, taken from the province's roster of civil servants (SIASN), and "
                        "confirm it is mine; where I changed it, the verifier sees how it differs from the roster."))
        self.fields["nip"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["nik"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel")

    def _agency_choice(self) -> None:
        """With a master list kept by the LSP admin, the agency is chosen from it (the stored name is the
        list's, so the recap groups one agency once); a profile saved earlier keeps its text until changed."""
        from .models import Agency

        names = list(Agency.objects.filter(is_active=True).values_list("name", flat=True))
        if not names:
            return
        current = self.initial.get("org_unit") or getattr(self.instance, "org_unit", "")
        choices = [("", "---------")] + [(n, n) for n in names]
        if current and current not in names:
            choices.append((current, current))
        field = self.fields["org_unit"]
        self.fields["org_unit"] = forms.ChoiceField(label=field.label, choices=choices, required=True,
                                                    help_text=_("Your agency is missing? Ask the LSP administrator "
                                                                "to add it to the list."))

    def clean_nip(self):
        nip = self.cleaned_data["nip"].replace(" ", "")
        problems = nip_problems(nip)
        if problems:
            raise ValidationError(problems)
        return nip

    def clean_nik(self):
        nik = normalise_nik(self.cleaned_data.get("nik"))
        if not nik:
            return None
        problems = nik_problems(nik)
        if problems:
            raise ValidationError(problems)
        return nik

    def clean(self):
        data = super().clean()
        nik = data.get("nik")
        if nik and not self.errors.get("nik"):
            problems = nik_problems(nik, birth_date=data.get("birth_date"), gender=data.get("gender"))
            if problems:
                self.add_error("nik", problems)
        nip = data.get("nip")
        if nip and not self.errors.get("nip"):
            problems = nip_problems(nip, birth_date=data.get("birth_date"), gender=data.get("gender"))
            if problems:
                self.add_error("nip", problems)
            elif data.get("years_of_service") is not None:
                for problem in service_years_problems(nip, data["years_of_service"]):
                    self.add_error("years_of_service", problem)
        within = data.get("years_in_government")
        if within is not None and data.get("years_of_service") is not None and within > data["years_of_service"]:
            self.add_error("years_in_government", _("The years within one government (%(within)s) cannot exceed "
                                                    "your years of service (%(total)s).")
                           % {"within": within, "total": data["years_of_service"]})
        if within is not None and not data.get("employer_government"):
            self.add_error("employer_government", _("Say which government these years were worked in."))
        return data


def _words(text: str) -> set[str]:
    return {w.strip(".,").casefold() for w in (text or "").split() if w.strip(".,")}


def roster_prefill(nip: str, account_name: str) -> dict | None:
    """The profile's fields from the province's roster for ``nip`` (``applicants.hooks.roster_of``), when the
    roster lists it under the account's name (every word of the roster's name, titles aside, is in the account's
    name): a NIP typed by someone else pre-fills nothing and says nothing about its holder. None otherwise."""
    nip = "".join(ch for ch in (nip or "") if ch.isdigit())[:18]
    roster = hooks.roster_of(nip) if len(nip) == 18 else None
    if roster is None or not _words(roster["name"]) or not _words(roster["name"]) <= _words(account_name):
        return None
    return {"nip": nip, **{name: roster[name] for name in ("full_name", "org_unit", "position", "rank", "education",
                                                           "employment_status")}}


class ApplicationDataForm(forms.ModelForm):
    experienced = forms.TypedChoiceField(
        label=_("Are you experienced in this field?"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Yes — I have worked in this field and can show a portfolio")),
                 ("no", _("Not yet — I will demonstrate my competence"))],
    )

    class Meta:
        formfield_callback = capped_formfield
        model = Application
        fields = ["purpose", "purpose_other", "experienced"]
        widgets = {"purpose": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.experienced is not None:
            self.initial["experienced"] = "yes" if self.instance.experienced else "no"

    def clean(self):
        data = super().clean()
        if data.get("purpose") == Application.Purpose.OTHER and not data.get("purpose_other", "").strip():
            self.add_error("purpose_other", _("Please say what the other purpose is."))
        return data


KIND_NAMES = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}


def accepted_help(kinds) -> str:
    """What one slot takes, named from its own accepted kinds (a CV slot that takes only PDF says so)."""
    names = [KIND_NAMES.get(k, k.upper()) for k in kinds]
    mb = f"{settings.MAX_UPLOAD_MB:g}"
    if len(names) == 1:
        return _("%(kind)s only, at most %(mb)s MB.") % {"kind": names[0], "mb": mb}
    listed = _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    return _("%(kinds)s, at most %(mb)s MB.") % {"kinds": listed, "mb": mb}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is cleaned as a FileField cleans one."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data] if data else [single(None, initial)]
        return [single(data, initial)]


class UploadForm(forms.Form):
    """The files for one requirement: several at once where it takes several (three photos in one go). Each file is
    checked on its own (:func:`certportal.files.validate_upload`): ``accepted`` holds (file, kind) of those that
    pass, ``refused`` the message for each that does not (it names the file and says why); the form is invalid only
    when nothing passed, so a refused file never costs the others."""

    file = MultipleFileField(label=_("File"))

    def __init__(self, *args, kinds=None, document=None, **kwargs):
        """``document`` (an ApplicationDocument) gives the form ids of its own (``id_doc<pk>_file``) and a label that
        names the document: the upload step shows one form per document, and a screen reader must tell them apart."""
        self.kinds = tuple(kinds or ("pdf", "jpeg", "png"))
        self.limit = max(document.requirement.max_files, 1) if document is not None else 1
        if document is not None:
            kwargs.setdefault("auto_id", f"id_doc{document.pk}_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.widget = MultipleFileInput(attrs={"multiple": self.limit > 1})
        if document is not None:
            field.label = (_("Files for “%(doc)s”") if self.limit > 1 else _("File for “%(doc)s”")) % {
                "doc": document.requirement.name}
        field.help_text = accepted_help(self.kinds)
        if self.limit > 1:
            field.help_text = _("%(accepted)s You may choose up to %(n)s files at once.") % {
                "accepted": field.help_text, "n": self.limit}
        field.widget.attrs["accept"] = ",".join(
            {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}[k]
            for k in self.kinds)
        self.accepted, self.refused = [], []

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        for n, upload in enumerate(uploads):
            if n >= self.limit:
                self.refused.append(_("“%(name)s” was not saved: this requirement takes at most %(n)s files.")
                                    % {"name": upload.name, "n": self.limit})
                continue
            try:
                self.accepted.append((upload, validate_upload(upload, self.kinds)))
            except ValidationError as error:
                self.refused.extend(error.messages)
        if not self.accepted:
            raise ValidationError(self.refused)
        self.kind = self.accepted[0][1]  # the kind of the first file, for callers that send one
        return [upload for upload, _kind in self.accepted]


def self_assessment_form(application, data=None):
    """A dynamic form: per unit, or per element where the unit has elements, an answer and the evidence."""
    fields, rows = {}, []
    existing = {(a.unit_id, a.element_id): a for a in application.self_assessments.all()}
    for link in application.scheme.scheme_units.select_related("unit").prefetch_related("unit__elements"):
        unit = link.unit
        items = list(unit.elements.all()) or [None]
        for element in items:
            key = f"{unit.pk}_{element.pk if element else 0}"
            prior = existing.get((unit.pk, element.pk if element else None))
            fields[f"a_{key}"] = forms.ChoiceField(
                label=element.title if element else unit.title, choices=SelfAssessment.Answer.choices,
                widget=forms.RadioSelect, required=False, initial=prior.answer if prior else None)
            fields[f"e_{key}"] = forms.CharField(
                label=_("Evidence that shows it"), max_length=500, required=False,
                initial=prior.evidence if prior else "")
            rows.append((unit, element, key))
    form_class = type("SelfAssessmentForm", (forms.Form,), fields)
    form = form_class(data)
    form.rows = rows
    return form


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("I declare that the data and documents I submit are true, and I accept the assessment "
                "procedure of the scheme."),
        error_messages={"required": _("Please tick the declaration before submitting.")},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class DocumentReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accepted", _("Accept")), ("returned", _("Return"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "returned" and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the document is returned, so the applicant can fix it."))
        return data


class CheckForm(forms.ModelForm):
    class Meta:
        formfield_callback = capped_formfield
        model = VerificationCheck
        fields = ["kind", "result", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "result": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The completeness check is recorded by "declare complete and correct" itself.
        self.fields["kind"].choices = [c for c in VerificationCheck.Kind.choices
                                       if c[0] != VerificationCheck.Kind.COMPLETENESS]

    def clean(self):
        data = super().clean()
        if data.get("result") == VerificationCheck.Result.FAILED and not data.get("note", "").strip():
            self.add_error("note", _("Say what did not pass."))
        return data


class ReturnForm(forms.Form):
    """The summary plus an optional note per field of the applicant's data (documents carry their own reasons)."""

    reason = forms.CharField(label=_("Summary for the applicant"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in RETURN_FIELDS:
            self.fields[f"note_{name}"] = forms.CharField(
                label=_("Note on: %(field)s") % {"field": label}, required=False, max_length=1000)

    def field_notes(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"note_{name}"].strip() for name, _label in RETURN_FIELDS
                if self.cleaned_data.get(f"note_{name}", "").strip()}


class AgencyForm(forms.Form):
    """An agency's name on the master list (added, or sent again by a row's button to take it off or offer it);
    blank is the service's refusal, shown on the form."""

    name = forms.CharField(max_length=NAME_MAX_LENGTH, required=False, strip=False)
    address = forms.CharField(max_length=300, required=False)


class NamingForm(forms.Form):
    reference = forms.CharField(label=_("Naming decision (penetapan) number"), max_length=100)


# The queue opens on the dossiers waiting for a verifier: new and resubmitted first, then the complete ones
# whose checks and verification are due (seed 001 steps 2 and 3).
NEEDS_ACTION = "action"
NEEDS_ACTION_STATES = (Status.SUBMITTED, Status.RESUBMITTED, Status.COMPLETE)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NIP"), required=False, **search_field_kwargs())
    # A name is found from the start of any of its words (an index range); this box finds a part of a word too
    inside = forms.BooleanField(label=_("Also find a name by a part of a word (slower)"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[(NEEDS_ACTION, _("Needs my action")), ("", _("All"))] + Status.choices)
    scheme = forms.ModelChoiceField(label=_("Scheme"), required=False, queryset=None, empty_label=_("All"))
    unit = forms.CharField(label=pgettext_lazy("regional government agency", "Agency"), required=False, **search_field_kwargs())
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("All")), ("on_track", _("On track")), ("due_soon", _("Due soon")), ("overdue", _("Overdue"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from schemes.models import Scheme

        self.fields["scheme"].queryset = Scheme.objects.order_by("code", "-version")
        for name in ("status", "scheme", "deadline"):
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm",
                                                   "aria-label": str(self.fields[name].label)})

