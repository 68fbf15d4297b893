"""Issue 43 items 3 and 7: people proposed one by one gather into the round's open cohort of the scheme until one
of its letters is signed; the template formats the whole NIP column as text; a file one row over the quota is
told it is one over."""

import io

import pytest
from openpyxl import load_workbook

from agencies.importing import MAX_ROWS
from agencies.letters import services as letters
from agencies.models import Cohort

from .conftest import person, propose, workbook

pytestmark = pytest.mark.django_db


def test_people_proposed_one_by_one_join_the_open_cohort_until_its_first_letter_is_signed(
        funded_round, scheme, oki, hana, login):
    first = propose(oki, funded_round, scheme, [person(1)])
    client = login(oki)
    for i in (2, 3):
        client.post("/perangkat-daerah/usulan/", {"form": "person", "person-choice": f"{funded_round.pk}:{scheme.pk}",
                                                  **{f"person-{k}": v for k, v in person(i).items()}})
    assert Cohort.objects.count() == 1
    assert sorted(first.proposals.values_list("name", flat=True)) == ["Pegawai 01", "Pegawai 02", "Pegawai 03"]
    page = login(hana).get(f"/perangkat-daerah/angkatan/{first.pk}/").content.decode()
    assert "Pegawai 03" in page  # the head signs once for the three

    letters.letter_sign(first, "proposal", actor=hana, typed_name="Hana Head", number="800/1", place="Jakarta")
    later = propose(oki, funded_round, scheme, [person(4)])
    assert later.pk != first.pk and first.proposals.count() == 3  # a signed letter's list stays as signed
    assert propose(oki, funded_round, scheme, [person(5)]).pk == later.pk


def test_the_template_formats_the_whole_nip_column_as_text(oki, login):
    response = login(oki).get("/perangkat-daerah/usulan/templat.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.column_dimensions["A"].number_format == "@"
    assert all(sheet.cell(row=line, column=1).number_format == "@" for line in range(2, MAX_ROWS + 2))
    assert sheet.cell(row=2, column=1).value == "198503142010011003"  # the example, as text
    assert sheet.cell(row=3, column=2).number_format == "General"  # only the NIP column


def test_a_file_one_row_over_the_quota_is_told_it_is_one_over(funded_round, scheme, oki, login):
    propose(oki, funded_round, scheme, [person(i) for i in range(1, 11)])
    rows = [[p["nip"], p["name"], p["email"], "S1", "III/b"] for p in (person(i) for i in range(11, 28))]
    page = login(oki, "id").post("/perangkat-daerah/usulan/", {
        "form": "upload", "upload-choice": f"{funded_round.pk}:{scheme.pk}", "upload-file": workbook(rows)},
        follow=True).content.decode()
    assert "sisa 16 untuk 17 orang, kelebihan 1." in page



def test_the_home_lists_the_cohorts_escaped_with_their_agency_for_the_sekda_only_in_constant_queries(
        funded_round, scheme, oki, otto, sekar, dinkes, disdik, login, django_assert_max_num_queries, settings):
    """Issue 47: the home's cohort table is drawn from values (the template's loop over four related objects a row
    took most of the page); what it shows and escapes is as before. Drawn on each view here (the home's lists are
    otherwise kept until a cohort is saved, and these are written in bulk, which no signal reports)."""
    settings.REPORT_FIGURES_CACHE_SECONDS = 0
    oki.full_name = "<b>Oki</b> & co"
    oki.save(update_fields=["full_name"])
    first = propose(oki, funded_round, scheme, [person(1)])
    Cohort.objects.create(agency=disdik, round=funded_round, scheme=scheme, created_by=otto)
    officer, sekda = login(oki).get("/perangkat-daerah/").content.decode(), login(sekar)
    cohorts = officer.split('data-testid="cohorts"')[1]
    assert f'href="/perangkat-daerah/angkatan/{first.pk}/"' in cohorts and "&lt;b&gt;Oki&lt;/b&gt; &amp; co" in cohorts
    assert f"{funded_round.name} ({funded_round.fiscal_year})" in cohorts and scheme.code in cohorts
    assert cohorts.count("/perangkat-daerah/angkatan/") == 1 and "<b>Oki" not in officer  # their own, escaped
    assert "Dinas Kesehatan</td>" not in cohorts  # no agency column for an agency's own list
    with django_assert_max_num_queries(30) as few:
        every = sekda.get("/perangkat-daerah/").content.decode().split('data-testid="cohorts"')[1]
    assert every.count("/perangkat-daerah/angkatan/") == 2
    assert "<td>Dinas Kesehatan</td>" in every and "<td>Dinas Pendidikan</td>" in every
    Cohort.objects.bulk_create([Cohort(agency=disdik, round=funded_round, scheme=scheme, created_by=otto)
                                for _ in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        every = sekda.get("/perangkat-daerah/").content.decode().split('data-testid="cohorts"')[1]
    assert every.count("/perangkat-daerah/angkatan/") == 22
