"""FR.AK.02 (Rekaman Asesmen Kompetensi): per unit the result K/BK with the instrument records behind it, ticked
per column of the paper form, the feedback to the participant, the recommendation and the names."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.instruments.models.plans import BankItem
from assessments.instruments.paperwork.instruments import AK02_COLUMNS, render_ak02

from .factories import (
    agree,
    fill_planned_instruments,
    planned_event,
    run_steps,
    the_test_day_arrives,
    validated_plan,
)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


@pytest.fixture
def day(lina, tono, asa, scheme, site, assessor, alice_app, bob_app):
    validated_plan(scheme)
    event = planned_event(actor=lina, scheme=scheme, site=site, assessor=assessor, applications=[alice_app, bob_app])
    run_steps(event, 4, admin=lina, tuk_head=tono)
    the_test_day_arrives(event)
    return event


def test_ak02_prints_each_unit_with_the_instruments_behind_its_result(day, asa, alice, scheme):
    units = [su.unit for su in scheme.scheme_units.order_by("position")]
    BankItem.objects.create(unit=units[0], instrument="IA.09", text="Ceritakan kasus pelayanan tersulit Anda")
    alice_p = day.participants.get(application__applicant=alice)
    fill_planned_instruments(alice_p, asa)
    services.result_record(alice_p, actor=asa, unit=units[0], result="K", notes="Pertahankan kinerja pelayanan")
    services.result_record(alice_p, actor=asa, unit=units[1], result="BK",
                           explanation="Portofolio belum menunjukkan pelayanan pengaduan")
    text = pdf_text(render_ak02(alice_p))
    assert "FR.AK.02 · Versi 1" in text and "REKAMAN ASESMEN KOMPETENSI" in text
    assert "Alice Applicant, S.Sos." in text and "Asa Assessor" in text and scheme.name in text
    for label, _codes in AK02_COLUMNS:
        assert label in text
    for unit in units:
        assert unit.code in text
    assert "FR.IA.08 Ceklis verifikasi portofolio: bukti memadai" in text
    assert "FR.IA.09 Pertanyaan wawancara: bukti memadai" in text
    assert "Pertahankan kinerja pelayanan" in text and "Portofolio belum menunjukkan pelayanan pengaduan" in text
    assert "Belum kompeten (BK)" in text  # the recommendation: not every unit is K


def test_the_ticks_follow_the_signed_records(day, asa, bob, scheme):
    """Bob (not experienced): observation (IA.01) and oral questions (IA.07) → the two columns ticked per unit."""
    from assessments.instruments.paperwork.instruments import _unit_rows

    bob_p = day.participants.get(application__applicant=bob)
    fill_planned_instruments(bob_p, asa)
    labels = [label for label, _codes in AK02_COLUMNS]
    rows = _unit_rows(bob_p)
    assert len(rows) == 3
    for row in rows:
        ticked = {label for label, tick in zip(labels, row["ticks"], strict=True) if tick}
        assert ticked == {"Observasi Demonstrasi", "Pertanyaan Lisan"} and not row["missing"]


def test_a_k_on_incomplete_evidence_prints_its_reason(day, asa, alice, scheme):
    unit = scheme.scheme_units.order_by("position").first().unit
    alice_p = day.participants.get(application__applicant=alice)
    agree(alice_p)
    services.result_record(alice_p, actor=asa, unit=unit, result="K",
                           evidence_gap_reason="Bukti kerja diperiksa langsung di tempat kerja")
    text = pdf_text(render_ak02(alice_p))
    assert "Belum lengkap: FR.IA.08, FR.IA.09" in text
    assert "Alasan bukti tetap memadai: Bukti kerja diperiksa langsung di tempat kerja" in text


def test_the_participant_page_links_ak02_for_its_readers_only(login, day, asa, lina, quinn, tono, bob, alice):
    p = day.participants.get(application__applicant=alice)
    pdf = reverse("assessments:ak02-pdf", args=[p.pk])
    for user in (asa, lina, quinn):
        assert pdf in login(user).get(reverse("assessments:participant", args=[p.pk])).content.decode()
        response = login(user).get(pdf)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for user in (tono, bob, alice):
        assert login(user).get(pdf).status_code == 403

