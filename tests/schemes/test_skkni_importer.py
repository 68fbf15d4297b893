"""The SKKNI importer on the sample PDF (17 units, the unit-17 version warning) and on variants of the layout."""

import json

import pytest
from django.core.management import CommandError, call_command

from schemes.importers.skkni import SkkniFormatError, parse_skkni
from schemes.models import Decree, Unit

from .conftest import SKKNI_PDF

pytestmark = pytest.mark.usefixtures("english")


def test_sample_pdf_gives_its_17_units_and_the_unit_17_warning(db, capsys):
    call_command("import_skkni", str(SKKNI_PDF), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["decree"] == {"number": "56", "year": 2018, "title": (
        "Penetapan Standar Kompetensi Kerja Nasional Indonesia Kategori Informasi dan Komunikasi Golongan Pokok "
        "Aktivitas Jasa Informasi Bidang Pengoperasian Komputer")}
    assert [u["code"] for u in data["units"]] == [f"J.63OPR00.{n:03d}.2" for n in range(1, 18)]
    assert data["units"][4]["title"] == "Menggunakan Perangkat Lunak Lembar Sebar (Spreadsheet) Tingkat Dasar"
    assert data["units"][0]["title"] == "Menggunakan Perangkat Komputer"  # justified spaces collapsed
    assert data["warnings"] == ["Unit J.63OPR00.017.2: the table says J.63OPR00.017.2 but its own \"KODE UNIT\" "
                                "heading says J.63OPR00.017.1; the table is used."]
    assert Unit.objects.count() == 0


def test_importing_the_sample_pdf_loads_the_units_once(db, capsys):
    call_command("import_skkni", str(SKKNI_PDF))
    assert Unit.objects.filter(decree__number="56", decree__year=2018).count() == 17
    assert Unit.objects.get(code="J.63OPR00.017.2").version == 2
    capsys.readouterr()
    call_command("import_skkni", str(SKKNI_PDF))
    assert "nothing changed" in capsys.readouterr().out
    assert Decree.objects.filter(kind="skkni").count() == 1


VARIANT = """LAMPIRAN
KEPUTUSAN MENTERI KETENAGAKERJAAN
REPUBLIK INDONESIA
NOMOR 7 TAHUN 2031
TENTANG
PENETAPAN STANDAR KOMPETENSI KERJA
NASIONAL INDONESIA BIDANG CONTOH
BAB I
PENDAHULUAN
B. Daftar Unit Kompetensi
NO KODE UNIT JUDUL UNIT KOMPETENSI
1. X.11ABC00.001.1 Menyusun   Rencana
Kerja Tahunan
2. X.11ABC00002.1 Melaksanakan Pekerjaan
12
NO KODE UNIT JUDUL UNIT KOMPETENSI
3. X.11ABC00.003.1 Melaporkan Hasil
C. Uraian Unit Kompetensi
KODE UNIT : X.11ABC00.001.1
KODE UNIT : X.11ABC00.002.1
KODE UNIT : X.11ABC00.003.2
"""


def test_a_variant_with_wrapped_titles_page_breaks_and_a_missing_dot():
    data = parse_skkni(VARIANT)
    assert data["units"] == [
        {"code": "X.11ABC00.001.1", "title": "Menyusun Rencana Kerja Tahunan"},
        {"code": "X.11ABC00.002.1", "title": "Melaksanakan Pekerjaan"},
        {"code": "X.11ABC00.003.1", "title": "Melaporkan Hasil"},
    ]
    assert any("X.11ABC00002.1" in w and "misprinted" in w for w in data["warnings"])
    assert any("X.11ABC00.003.2" in w and "table is used" in w for w in data["warnings"])


def test_files_that_are_not_skkni_decrees_are_refused(db, tmp_path):
    with pytest.raises(SkkniFormatError, match="does not look like an SKKNI decree"):
        parse_skkni("Hello world")
    with pytest.raises(SkkniFormatError, match="not found"):
        parse_skkni(VARIANT[: VARIANT.index("B. Daftar")])
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(CommandError):
        call_command("import_skkni", str(path))
    assert Unit.objects.count() == 0
