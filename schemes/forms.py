"""Forms of the catalogue, the packaging checker and the LSP admin screens."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certportal.forms import LIST_MAX_LENGTH, TEXT_MAX_LENGTH, capped_formfield

from .codes import LOOSE_CODE_RE, parse_code
from .constants import EDUCATION_CHOICES, EMPLOYMENT_CHOICES, GOVERNMENT_CHOICES, RANK_CHOICES
from .models import Decree, Qualification, RequiredDocument, Scheme, SchemeReview, ServiceStandard, TestSite

FILE_KINDS = [("pdf", "PDF"), ("jpeg", "JPEG"), ("png", "PNG")]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()]


class SchemeForm(forms.ModelForm):
    units = forms.CharField(
        label=_("Competency units"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One unit code per line, in the order of the scheme (e.g. N.78SPS02.028.2)."),
        max_length=LIST_MAX_LENGTH)
    employment = forms.MultipleChoiceField(label=_("Employment status allowed"), choices=EMPLOYMENT_CHOICES,
                                           required=False, widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Leave empty for no rule."))
    min_education = forms.ChoiceField(label=_("Minimum education"), required=False,
                                      choices=[("", _("No rule"))] + EDUCATION_CHOICES)
    min_rank = forms.ChoiceField(label=_("Minimum rank (golongan)"), required=False,
                                 choices=[("", _("No rule"))] + RANK_CHOICES)
    min_years = forms.IntegerField(label=_("Minimum years of service"), required=False, min_value=0, max_value=60)
    government = forms.ChoiceField(
        label=_("Employing government"), required=False, choices=[("", _("Any government"))] + GOVERNMENT_CHOICES,
        help_text=_("If set, applicants must be employed by this government and the minimum years are counted "
                    "within it (e.g. \"PNS Pemprov DKI Jakarta\", \"4 tahun di lingkungan Provinsi DKI Jakarta\")."))

    class Meta:
        formfield_callback = capped_formfield
        model = Scheme
        fields = ["code", "name", "kind", "qualification", "decree", "legal_basis", "description", "test_sites",
                  "methods_experienced", "methods_inexperienced", "validity_years", "surveillance", "payer",
                  "applicant_rights", "holder_obligations", "is_published"]
        widgets = {"test_sites": forms.CheckboxSelectMultiple, "legal_basis": forms.Textarea(attrs={"rows": 2}),
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "methods_experienced": forms.Textarea(attrs={"rows": 2}),
                   "methods_inexperienced": forms.Textarea(attrs={"rows": 2}),
                   "payer": forms.Textarea(attrs={"rows": 2}), "applicant_rights": forms.Textarea(attrs={"rows": 3}),
                   "holder_obligations": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = Qualification.objects.select_related("decree")
        self.fields["decree"].queryset = Decree.objects.filter(kind=Decree.Kind.SKKNI)
        self.fields["test_sites"].queryset = TestSite.objects.filter(is_active=True)
        self.fields["surveillance"].required = False  # not chosen: none (forms and imports that predate it)
        if self.instance.pk:
            self.fields["code"].disabled = True
            s = self.instance
            self.initial["units"] = "\n".join(su.unit.code for su in s.scheme_units.select_related("unit"))
            rules = {r.kind: r.value for r in s.requirements.all()}
            self.initial["employment"] = [v for v in rules.get("employment", "").split(",") if v]
            self.initial["min_education"] = rules.get("min_education", "")
            self.initial["min_rank"] = rules.get("min_rank", "")
            self.initial["min_years"] = rules.get("min_years")
            self.initial["government"] = next((r.government for r in s.requirements.all() if r.government), "")

    def clean_surveillance(self):
        return self.cleaned_data.get("surveillance") or Scheme.Surveillance.NONE

    def clean_units(self):
        codes = _lines(self.cleaned_data["units"])
        bad = [c for c in codes if parse_code(c) is None]
        if bad:
            raise forms.ValidationError(_("Not unit codes: %(codes)s") % {"codes": ", ".join(bad)})
        return codes

    def requirements(self, old: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, str]]:
        """(kind, value, text, government); the printed text is kept when the value did not change."""
        d = self.cleaned_data
        wanted = [("employment", ",".join(d.get("employment") or [])), ("min_education", d.get("min_education")),
                  ("min_rank", d.get("min_rank")),
                  ("min_years", "" if d.get("min_years") is None else str(d["min_years"]))]
        out = []
        for kind, value in wanted:
            if value:
                government = (d.get("government") or "") if kind in ("employment", "min_years") else ""
                same = kind in old and old[kind][0] == value and (len(old[kind]) < 3 or old[kind][2] == government)
                text = old[kind][1] if same else ""
                out.append((kind, value, text, government))
        return out


class DocumentForm(forms.ModelForm):
    accepted_kinds = forms.MultipleChoiceField(label=_("Accepted file types"), choices=FILE_KINDS,
                                               widget=forms.CheckboxSelectMultiple)

    class Meta:
        formfield_callback = capped_formfield
        model = RequiredDocument
        fields = ["category", "name", "description", "mandatory", "accepted_kinds", "min_files", "max_files"]
        widgets = {"description": forms.TextInput}

    def clean(self):
        data = super().clean()
        if data.get("min_files") and data.get("max_files") and data["min_files"] > data["max_files"]:
            self.add_error("max_files", _("At most must not be less than at least."))
        return data


DocumentFormSet = forms.formset_factory(DocumentForm, extra=2, can_delete=True)


class TestSiteForm(forms.ModelForm):
    class Meta:
        formfield_callback = capped_formfield
        model = TestSite
        fields = ["registration_number", "name", "kind", "address", "verified_on", "licence_valid_until", "head",
                  "is_active"]
        widgets = {"licence_valid_until": forms.DateInput(attrs={"type": "date"}),
                   "verified_on": forms.DateInput(attrs={"type": "date"}),
                   "address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from certportal.accounts.models import Role, User

        self.fields["head"].queryset = User.objects.with_role(Role.TUK_HEAD)

    def clean(self):
        data = super().clean()
        if data.get("verified_on") and data.get("licence_valid_until") and \
                data["licence_valid_until"] < data["verified_on"]:
            self.add_error("licence_valid_until", _("The verification holds until a day after it was made."))
        return data


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. N.78SPS02.028.2"))
    title = forms.CharField(label=_("Title"), max_length=400)
    decree = forms.ModelChoiceField(label=_("SKKNI decree"), queryset=Decree.objects.all(), required=False)
    elements = forms.CharField(
        label=_("Elements and performance criteria (KUK)"), required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One block per element, blocks separated by an empty line: the first line is the element, "
                    "each further line one performance criterion."), max_length=LIST_MAX_LENGTH)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if parse_code(code) is None:
            raise forms.ValidationError(_("Not a competency unit code (e.g. N.78SPS02.028.2)."))
        return code

    def clean_elements(self):
        blocks = re.split(r"\n\s*\n", (self.cleaned_data["elements"] or "").strip())
        return [(_lines(b)[0], _lines(b)[1:]) for b in blocks if _lines(b)]

    @staticmethod
    def elements_text(unit) -> str:
        return "\n\n".join("\n".join([e.title] + [c.text for c in e.criteria.all()])
                           for e in unit.elements.prefetch_related("criteria"))


class QualificationForm(forms.ModelForm):
    core = forms.CharField(label=_("Core units"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("One per line: code | title | prerequisite codes (or nothing)."),
                           max_length=LIST_MAX_LENGTH)
    elective = forms.CharField(label=_("Elective units"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                               help_text=_("One per line: code | title | prerequisite codes (or nothing)."),
                               max_length=LIST_MAX_LENGTH)

    class Meta:
        formfield_callback = capped_formfield
        model = Qualification
        fields = ["decree", "letter", "title", "subfield", "group", "level", "code_prefix", "description",
                  "work_role", "total_required", "core_required", "elective_required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "work_role": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decree"].queryset = Decree.objects.filter(kind=Decree.Kind.KKNI)
        if self.instance.pk:
            for kind in ("core", "elective"):
                self.initial[kind] = "\n".join(
                    " | ".join([x.code_as_printed, x.title_as_printed, " ".join(x.prerequisites)])
                    for x in self.instance.listings.filter(kind=kind).order_by("position"))

    def _rows(self, name: str) -> list[dict]:
        rows = []
        for line in _lines(self.cleaned_data.get(name, "")):
            cells = [c.strip() for c in line.split("|")] + ["", ""]
            if parse_code(cells[0]) is None:
                raise forms.ValidationError(_("\"%(code)s\" is not a unit code.") % {"code": cells[0]})
            rows.append({"code": cells[0], "title": cells[1] or cells[0],
                         "prerequisites": LOOSE_CODE_RE.findall(cells[2])})
        return rows

    def clean_core(self):
        return self._rows("core")

    def clean_elective(self):
        return self._rows("elective")

    def clean(self):
        data = super().clean()
        if all(k in data for k in ("total_required", "core_required", "elective_required")) and \
                data["core_required"] + data["elective_required"] != data["total_required"]:
            self.add_error("total_required", _("Core plus elective must equal the total."))
        return data


class DecreeUploadForm(forms.Form):
    """A decree as its PDF or its text, through the portal's safe upload checks (certportal.files)."""

    file = forms.FileField(label=_("Decree (PDF or text)"))

    def clean_file(self):
        from certportal.files import read_document_upload

        f = self.cleaned_data["file"]
        # raises ValidationError with the reason; a PDF's links to web addresses are removed and counted
        self.kind, self.content, self.links_removed = read_document_upload(f)
        return f


class SkkniUploadForm(DecreeUploadForm):
    file = forms.FileField(label=_("SKKNI decree (PDF or text)"),
                           help_text=_("The official annex (Lampiran) with its \"Daftar Unit Kompetensi\"."))


class KkniUploadForm(DecreeUploadForm):
    file = forms.FileField(label=_("KKNI decree (text or PDF)"),
                           help_text=_("The decree setting KKNI qualifications (like Kepmenaker 3/2021), best as "
                                       "its text (pdftotext -layout)."))


class ServiceStandardForm(forms.ModelForm):
    class Meta:
        formfield_callback = capped_formfield
        model = ServiceStandard
        fields = ["title", "service_name", "maklumat", "is_published"]
        widgets = {"maklumat": forms.Textarea(attrs={"rows": 4})}


class StandardItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput)
    component = forms.CharField(label=_("Component"), max_length=200)
    intro = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            max_length=TEXT_MAX_LENGTH)
    points = forms.CharField(label=_("Points (one per line)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_LENGTH)

    def clean_points(self):
        return _lines(self.cleaned_data["points"])


StandardItemFormSet = forms.formset_factory(StandardItemForm, extra=0)


class EvaluationForm(forms.Form):
    """The yearly evaluation of the service standard and the SOP (seed 003 item 14)."""

    year = forms.IntegerField(label=_("Year evaluated"), min_value=2000, max_value=2100)
    held_on = forms.DateField(label=_("Date of the evaluation meeting"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label=_("Participants"), max_length=TEXT_MAX_LENGTH,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Names and functions, one per line."))
    findings = forms.CharField(label=_("Findings"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), max_length=TEXT_MAX_LENGTH,
                                widget=forms.Textarea(attrs={"rows": 4}))
    publish_new_version = forms.BooleanField(
        label=_("Publish a new version of the service standard from this evaluation"), required=False,
        help_text=_("The current version is kept as history; you then edit the new version."))


class DecreeLifeForm(forms.Form):
    """A decree's life where its text does not state it (or the importer could not read it)."""

    issued_on = forms.DateField(label=_("Date signed"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    in_force_on = forms.DateField(label=_("In force from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Kepmenaker 3/2021: six months after signing."))
    review_due_on = forms.DateField(label=_("Review due"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text=_("Kepmenaker 3/2021: reviewed every five years."))
    revokes = forms.CharField(label=_("Revokes"), required=False, max_length=300,
                              help_text=_("The decrees it revokes as number/year, separated by commas, e.g. 233/2016."))

    def clean_revokes(self) -> list[str]:
        import re

        items = [x.strip() for x in self.cleaned_data["revokes"].split(",") if x.strip()]
        bad = [x for x in items if not re.fullmatch(r"[\w.-]{1,20}/\d{4}", x)]
        if bad:
            raise ValidationError(_("Write each decree as number/year, e.g. 233/2016 (not: %(bad)s).") % {
                "bad": ", ".join(bad)[:100]})
        return sorted(set(items))

    def clean(self):
        data = super().clean()
        signed, in_force = data.get("issued_on"), data.get("in_force_on")
        if signed and in_force and in_force < signed:
            self.add_error("in_force_on", _("A decree comes into force on or after the day it is signed."))
        return data


class SchemeReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=SchemeReview.Kind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Date of the review"), widget=forms.DateInput(attrs={"type": "date"}))
    reviewers = forms.CharField(label=_("Reviewed by"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("The members of the scheme committee and the experts who took part, with "
                                            "their positions."))
    findings = forms.CharField(label=_("Findings of the review"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("E.g. the units still match the SKKNI in force, the requirements and "
                                           "methods are fit, feedback from assessors and holders."))
    outcome = forms.ChoiceField(label=_("Conclusion"), choices=SchemeReview.Outcome.choices,
                                widget=forms.RadioSelect)
    next_review_on = forms.DateField(label=_("Next review"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
