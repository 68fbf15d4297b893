"""Issue 19, FR.VA: the LSP admin (or quality management) records a validation of a scheme's instruments once it
has been held: its validators, the instruments reviewed, a finding per aspect of BNSP's form, recommendations, and
the recorder's typed signature. Listed on the scheme's plans page, printed like the paper form, audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.errors import AssessmentError
from assessments.instruments.models import InstrumentValidation
from assessments.instruments.paperwork.plans import render_va
from assessments.instruments.services.validation import ASPECT_KEYS, instrument_validation_record
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import UserFactory

from .factories import make_assessor, scheme_with_units
from .test_certificate_layout import keep, pdftotext

ALL_MET = dict.fromkeys(ASPECT_KEYS, (True, ""))


@pytest.fixture
def outsider(db):
    user = UserFactory(full_name="Otto Outsider", email="otto@example.go.id", roles=[Role.ASSESSOR])
    make_assessor(user, schemes=[scheme_with_units(1)])
    return user


def _record(scheme, actor, **kw):
    kw.setdefault("held_on", timezone.localdate())
    kw.setdefault("validators", [])
    kw.setdefault("instruments", ["IA.01", "IA.08"])
    kw.setdefault("findings", ALL_MET)
    kw.setdefault("signed_name", actor.full_name)
    return instrument_validation_record(scheme, actor=actor, **kw)


def test_the_lsp_admin_records_a_validation_and_it_is_audited(scheme, lina, asa, assessor, other_assessor_user):
    findings = ALL_MET | {"evidence_current": (False, "Portofolio lebih dari 3 tahun diterima tanpa klarifikasi")}
    va = _record(scheme, lina, validators=[asa, other_assessor_user], findings=findings, ip="10.1.2.3",
                 recommendations="Tambahkan FR.IA.10 untuk portofolio lama", signed_name="lina lsp admin")
    assert set(va.validators.all()) == {asa, other_assessor_user} and va.instruments == ["IA.01", "IA.08"]
    current = next(f for f in va.findings if f["aspect"] == "evidence_current")
    assert current == {"aspect": "evidence_current", "label": "Aturan bukti: terkini", "met": False,
                       "note": "Portofolio lebih dari 3 tahun diterima tanpa klarifikasi"}
    assert va.recorded_by == lina and va.ip_address == "10.1.2.3" and va.recorded_at <= timezone.now()
    entry = AuditEntry.objects.get(action="assessments.instrumentvalidation.recorded", object_id=str(va.pk))
    assert entry.actor == lina and "FR.IA.01" in entry.note


def test_quality_records_too_but_an_assessor_does_not(scheme, quinn, asa, assessor):
    assert _record(scheme, quinn, validators=[asa]).recorded_by == quinn
    with pytest.raises(AssessmentError, match="LSP admin or quality"):
        _record(scheme, asa, validators=[asa], held_on=timezone.localdate() - datetime.timedelta(days=1))


@pytest.mark.parametrize(("change", "message"), [
    ({"held_on": lambda: timezone.localdate() + datetime.timedelta(days=1)}, "cannot be in the future"),
    ({"validators": []}, "at least one validator"),
    ({"instruments": []}, "Choose the instruments"),
    ({"instruments": ["IA.05"]}, "Only the instruments the scheme uses"),
    ({"instruments": ["IA.99"]}, "Only the instruments the scheme uses"),
    ({"findings": {k: v for k, v in ALL_MET.items() if k != "principle_fair"}}, "fair"),
    ({"findings": ALL_MET | {"principle_valid": ("ya", "")}}, "whether it is met"),
    ({"findings": ALL_MET | {"made_up": (True, "")}}, "Unknown aspect"),
    ({"findings": ALL_MET | {"principle_valid": (True, "n" * 1001)}}, "at most 1000"),
    ({"recommendations": "r" * 5001}, "at most 5000"),
    ({"signed_name": "Someone Else"}, "type your name"),
    ({"validators": ["1; DROP TABLE"]}, "active assessor of the scheme"),
])
def test_hostile_or_incomplete_records_are_refused(scheme, lina, asa, assessor, change, message):
    """A date is reckoned when the test runs, not when it is collected (a run crossing midnight in Jakarta made
    "tomorrow" today)."""
    kw = {"validators": [asa]} | {key: value() if callable(value) else value for key, value in change.items()}
    with pytest.raises(AssessmentError, match=message):
        _record(scheme, lina, **kw)
    assert not InstrumentValidation.objects.exists()


def test_validators_are_active_assessors_of_the_scheme_or_lsp_staff(scheme, lina, quinn, asa, assessor, outsider,
                                                                     alice):
    for person in (outsider, alice):
        with pytest.raises(AssessmentError, match="active assessor of the scheme"):
            _record(scheme, lina, validators=[asa, person])
    assessor.is_active = False
    assessor.save()
    with pytest.raises(AssessmentError, match="active assessor of the scheme"):
        _record(scheme, lina, validators=[asa])
    assert set(_record(scheme, lina, validators=[quinn]).validators.all()) == {quinn}


def test_a_second_submit_is_refused(scheme, lina, asa, assessor):
    _record(scheme, lina, validators=[asa])
    with pytest.raises(AssessmentError, match="already recorded"):
        _record(scheme, lina, validators=[asa])
    assert InstrumentValidation.objects.count() == 1


# --- the pages ------------------------------------------------------------------------------------------------

def _form(asa, **over) -> dict:
    data = {"held_on": timezone.localdate().isoformat(), "validators": [str(asa.pk)], "instruments": ["IA.01", "IA.07"],
            "recommendations": "Perbarui daftar pertanyaan lisan", "signed_name": "Lina LSP Admin"}
    data |= {f"met_{key}": "yes" for key in ASPECT_KEYS} | {"met_principle_flexible": "no",
                                                             "note_principle_flexible": "Jadwal tidak fleksibel"}
    return data | over


def test_the_lsp_admin_records_it_on_the_page_and_reads_it_back(scheme, lina, asa, assessor, outsider, alice,
                                                                client):
    url = reverse("assessments:va-create", args=[scheme.pk])
    c = client_for(lina)
    page = c.get(url).content.decode()
    assert "Prinsip asesmen: fleksibel" in page and "Asa Assessor" in page and "Otto Outsider" not in page
    response = c.post(url, _form(asa, signed_name="Nama Lain"))
    assert response.status_code == 200 and "Untuk menandatangani, ketik nama Anda" in response.content.decode()
    assert "Perbarui daftar pertanyaan lisan" in response.content.decode()  # what was typed is kept
    response = c.post(url, _form(asa, met_principle_fair=""))
    assert "Nyatakan apakah “Prinsip asesmen: adil” terpenuhi." in response.content.decode()
    response = c.post(url, _form(asa))
    va = InstrumentValidation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assessments:va", args=[va.pk])
    assert va.ip_address == "127.0.0.1"
    page = c.get(reverse("assessments:scheme-plans", args=[scheme.pk])).content.decode()
    assert f'data-va="{va.pk}"' in page and "FR.IA.01, FR.IA.07" in page
    for reader in (lina, asa):
        page = client_for(reader).get(reverse("assessments:va", args=[va.pk])).content.decode()
        assert "Jadwal tidak fleksibel" in page and "Ditandatangani dengan mengetik nama Lina LSP Admin" in page
    assert client_for(asa).get(url).status_code == 403
    for other in (outsider, alice):
        assert client_for(other).get(reverse("assessments:va", args=[va.pk])).status_code == 403
        assert client_for(other).get(reverse("assessments:va-pdf", args=[va.pk])).status_code == 403
    assert client.get(reverse("assessments:va", args=[va.pk])).status_code == 302


def test_fr_va_prints_the_record(scheme, lina, asa, assessor):
    va = _record(scheme, lina, validators=[asa], recommendations="Tambahkan FR.IA.10",
                 findings=ALL_MET | {"evidence_authentic": (False, "Keaslian dokumen belum diverifikasi")})
    pdf = render_va(va)
    keep(pdf, "fr-va.pdf")
    text = pdftotext(pdf)
    assert "FR.VA · Versi 1" in text and "MEMBERIKAN KONTRIBUSI DALAM VALIDASI ASESMEN" in text
    assert scheme.code in text and "Asa Assessor" in text and "FR.IA.08" in text
    assert "Aturan bukti: asli" in text and "Keaslian dokumen belum diverifikasi" in text
    assert "Tambahkan FR.IA.10" in text and "Lina LSP Admin" in text
    response = client_for(asa).get(reverse("assessments:va-pdf", args=[va.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
