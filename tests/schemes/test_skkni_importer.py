"""The SKKNI importer on the sample PDF (17 units, the unit-17 version warning) and on variants of the layout."""

import json

import pytest
from django.core.management import CommandError, call_command

from schemes.importers.skkni import SkkniFormatError, parse_skkni, read_file, save_skkni
from schemes.models import Decree, Unit

from .conftest import SKKNI_053, SKKNI_072, SKKNI_118, SKKNI_PDF

pytestmark = pytest.mark.usefixtures("english")


def test_sample_pdf_gives_its_17_units_and_the_unit_17_warning(db, capsys):
    call_command("import_skkni", str(SKKNI_PDF), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["decree"] == {"number": "56", "year": 2018, "title": (
        "Penetapan Standar Kompetensi Kerja Nasional Indonesia Kategori Informasi dan Komunikasi Golongan Pokok "
        "Aktivitas Jasa Informasi Bidang Pengoperasian Komputer"),
        # the decree's life: this annex prints no signing date, no date in force and nothing it revokes
        "issued_on": None, "in_force_on": None, "review_due_on": None, "revokes": []}
    assert [u["code"] for u in data["units"]] == [f"J.63OPR00.{n:03d}.2" for n in range(1, 18)]
    assert data["units"][4]["title"] == "Menggunakan Perangkat Lunak Lembar Sebar (Spreadsheet) Tingkat Dasar"
    assert data["units"][0]["title"] == "Menggunakan Perangkat Komputer"  # justified spaces collapsed
    # The scanned pages and the heading that adds a dash to unit 6 are now reported too (issue 16).
    assert data["warnings"] == [
        "Pages 1, 2, 3, 75 have no text (scanned images) and were not read; the unit list was read from the pages "
        "with text.",
        "Unit J.63OPR00.017.2: the table says J.63OPR00.017.2 but its own \"KODE UNIT\" heading says "
        "J.63OPR00.017.1; the table is used.",
        "The table's title of 1 unit differs from its own heading only in letter case, spaces or punctuation "
        "(J.63OPR00.006.2); the table's spelling is used."]
    assert Unit.objects.count() == 0


@pytest.mark.slow  # a whole paper or a big export: make test runs it, make check leaves it out
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


# --- Issue 16: further real decrees published by the ministry, each with its own quirks ---------------------------


def _warning(data: dict, *parts: str) -> str:
    hits = [w for w in data["warnings"] if all(p in w for p in parts)]
    assert len(hits) == 1, (parts, data["warnings"])
    return hits[0]


def test_kepmenakertrans_53_2014_kewirausahaan_industri_imports_its_27_units_exactly():
    """Scanned decree body, a table split over a page (row 22 cut in two), codes 003-006 titled otherwise below."""
    data = read_file(SKKNI_053)
    assert data["decree"]["number"] == "53" and data["decree"]["year"] == 2014
    assert data["decree"]["title"].endswith("Bidang Kewirausahaan Industri")
    units = data["units"]
    assert [u["code"] for u in units] == [f"M.741000.{n:03d}.01" for n in range(1, 28)]
    titles = {u["code"]: u["title"] for u in units}
    assert titles["M.741000.001.01"] == "Melaksanakan survey pasar atas suatu produk"
    assert titles["M.741000.003.01"] == "Melakukan survey sumber bahan baku dan bahan pembantu"
    assert titles["M.741000.019.01"] == ("Melakukan pengaturan penyimpanan bahan baku, bahan pembantu, produk antara "
                                         "dan produk akhir")
    assert titles["M.741000.022.01"] == "Melakukan pengawasan jalannya proses produksi"  # across the page break
    assert titles["M.741000.027.01"] == "Melakukan pembukan keuangan untuk setiap transaksi"  # as printed
    assert "Pages 1, 2, 91 have no text" in data["warnings"][0]
    _warning(data, "M.741000.003.01", "\"Menghitung Biaya Investasi\"")
    _warning(data, "M.741000.006.01", "\"Menentukan Jenis Produk yang Akan Diusahakan\"")
    _warning(data, "M.741000.001.01", "\"Melakukan Survey Pasar Atas Suatu Produk\"")
    _warning(data, "M.741000.027.01", "\"Melakukan Pembukuan Keuangan untuk Setiap Transaksi\"")
    _warning(data, "21 units differ from their own headings only in letter case")


def test_kepmenakertrans_118_2014_video_editing_skips_the_kemasan_table_and_reads_11_units():
    """The same header twice (Kemasan, then Daftar); headings with an extra dot in the code (J.591.200.004.01)."""
    data = read_file(SKKNI_118)
    assert (data["decree"]["number"], data["decree"]["year"]) == ("118", 2014)
    assert [u["code"] for u in data["units"]] == [f"J.591200.{n:03d}.01" for n in range(1, 12)]
    titles = [u["title"] for u in data["units"]]
    assert titles[3] == ("Melakukan komunikasi yang baik dengan sutradara dan rekan kerja serta mengenali "
                         "ruang kerja")
    assert titles[5] == "Melakukan instalasi peralatan (video player, computer dan pendukungnya)"
    assert titles[8] == ("Melakukan penambahan elemen penunjang gambar dan suara dari sumber lain yang diperlukan "
                         "(titling, voice over dan lain-lain)")
    for n in range(4, 12):
        _warning(data, f"table says J.591200.{n:03d}.01", f"heading says J.591.200.{n:03d}.01")
    _warning(data, "J.591200.006.01", "\"Melakukan Instalasi Peralatan (Video-Player, Komputer dan Pendukungnya)\"")


def test_kepmenaker_72_2019_hubungan_industrial_reads_36_units_with_upper_case_header():
    """Header "NO KODE UNIT JUDUL UNIT", repeated after row 17; "HariTua" restored from the unit's own heading."""
    data = read_file(SKKNI_072)
    assert (data["decree"]["number"], data["decree"]["year"]) == ("72", 2019)
    assert [u["code"] for u in data["units"]] == [f"N.78PHI00.{n:03d}.3" for n in range(1, 37)]
    titles = [u["title"] for u in data["units"]]
    assert titles[10] == "Menyerahkan Sebagian Pelaksanaan Pekerjaan Kepada Perusahaan Lain"
    assert titles[21] == "Mengurus Program Jaminan Hari Tua Pekerja Penerima Upah"
    assert titles[35] == "Melakukan Negosiasi Hubungan Industrial"
    _warning(data, "N.78PHI00.007.3", "\"Mengembangkan Disain Hubungan Industrial\"")
    _warning(data, "N.78PHI00.023.3", "\"Mengurus Program Jaminan Pensiun bagi Pekerja Penerima Upah\"")
    _warning(data, "2 units differ", "N.78PHI00.015.3")


@pytest.mark.slow
def test_all_four_real_decrees_load_together(db):
    for path, count in ((SKKNI_PDF, 17), (SKKNI_053, 27), (SKKNI_118, 11), (SKKNI_072, 36)):
        result = save_skkni(read_file(path))
        assert result.message.endswith(f"{count} units created, 0 updated.")
    assert Unit.objects.count() == 17 + 27 + 11 + 36
    assert Unit.objects.get(code="J.591200.011.01").field == "591200"
    assert Decree.objects.filter(kind="skkni").count() == 4


FAILURE_CLASSES = """LAMPIRAN
KEPUTUSAN MENTERI KETENAGAKERJAAN
REPUBLIK INDONESIA
NOMOR 9 TAHUN 2032
TENTANG
PENETAPAN STANDAR KOMPETENSI KERJA NASIONAL INDONESIA BIDANG UJI
BAB II
STANDAR KOMPETENSI KERJA NASIONAL INDONESIA
B.    Daftar Unit Kompetensi
NO KODE UNIT JUDUL UNIT
1. X.11ABC00.001.1 Menyusun Rencana
- 15 -
Kerja Tahunan
X.11ABC00.002.1 Melaksanakan Pekerjaan Lapangan
2.
Melakukan Penilaian
3.X.11ABC00.003.1 terhadap Hasil Kerja
4. X.11ABC00.004.1 Melaporkan Hasil Kerja B. Uraian Unit Kompetensi
KODE UNIT : X.11ABC00.001.1
JUDUL UNIT : Menyusun Rencana Kerja Tahunan
KODE UNIT : X.11ABC00.003.1
JUDUL UNIT : Melakukan Penilaian terhadap Hasil Kerja
"""


def test_the_failure_classes_seen_on_further_decrees():
    """Heading with letter and spaces, "- 15 -" in a title, a number below its code or run into it, a title split
    around its code line, and the next section's heading on the last row's line."""
    data = parse_skkni(FAILURE_CLASSES)
    assert data["units"] == [
        {"code": "X.11ABC00.001.1", "title": "Menyusun Rencana Kerja Tahunan"},
        {"code": "X.11ABC00.002.1", "title": "Melaksanakan Pekerjaan Lapangan"},
        {"code": "X.11ABC00.003.1", "title": "Melakukan Penilaian terhadap Hasil Kerja"},
        {"code": "X.11ABC00.004.1", "title": "Melaporkan Hasil Kerja"},
    ]


def test_a_title_split_around_its_code_without_headings_splits_at_the_verb():
    text = FAILURE_CLASSES[:FAILURE_CLASSES.index("KODE UNIT :")]
    assert [u["title"] for u in parse_skkni(text)["units"]][1:3] == [
        "Melaksanakan Pekerjaan Lapangan", "Melakukan Penilaian terhadap Hasil Kerja"]


def test_a_list_running_onto_a_scanned_page_is_refused_and_nothing_written(db):
    text = VARIANT.replace("12\n", "\f[no text on page 12]\n")
    with pytest.raises(SkkniFormatError, match="page 12, which has no text"):
        parse_skkni(text)
    assert Unit.objects.count() == 0


def test_a_pdf_of_scanned_pages_only_is_refused_with_the_reason(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(SkkniFormatError, match="no text at all .*2 pages are scanned images"):
        read_file(path)


def test_a_failing_save_writes_nothing(db):
    data = parse_skkni(VARIANT)
    data["units"].append({"code": "not a code", "title": "Broken"})
    with pytest.raises(AttributeError):
        save_skkni(data)
    assert Unit.objects.count() == 0 and Decree.objects.count() == 0


def test_without_headings_a_title_after_a_lone_code_line_stays_with_its_row():
    """118/2014's layout: "4 J.591200.004.01" alone, its title on the next lines; the row before keeps its wrap."""
    text = FAILURE_CLASSES[:FAILURE_CLASSES.index("B.    Daftar")] + """B. Daftar Unit Kompetensi
NO KODE UNIT JUDUL UNIT KOMPETENSI
1 X.11ABC00.001.1
Menyusun rencana kerja
tahunan
2 X.11ABC00.002.1
Melaksanakan pekerjaan
C. Uraian Unit Kompetensi
"""
    assert [u["title"] for u in parse_skkni(text)["units"]] == ["Menyusun rencana kerja tahunan",
                                                                "Melaksanakan pekerjaan"]


NUMBERED_HEADER = VARIANT.replace(
    "NO KODE UNIT JUDUL UNIT KOMPETENSI\n1. X.11ABC00.001.1", "NO KODE UNIT JUDUL UNIT KOMPETENSI\n1 2 3\n1. X.11ABC00.001.1"
).replace("NO KODE UNIT JUDUL UNIT KOMPETENSI\n3.", "NO KODE UNIT JUDUL UNIT KOMPETENSI\n(1) (2) (3)\n3.")


def test_a_header_followed_by_a_row_of_column_numbers_skips_that_row():
    """Many decrees print "1 2 3" (or "(1) (2) (3)") under the header, again after a page break: not a unit, not
    words of a title."""
    assert "1 2 3\n" in NUMBERED_HEADER and "(1) (2) (3)\n" in NUMBERED_HEADER
    data = parse_skkni(NUMBERED_HEADER)
    assert data["units"] == [
        {"code": "X.11ABC00.001.1", "title": "Menyusun Rencana Kerja Tahunan"},
        {"code": "X.11ABC00.002.1", "title": "Melaksanakan Pekerjaan"},
        {"code": "X.11ABC00.003.1", "title": "Melaporkan Hasil"},
    ]
    assert not any("row numbers skip" in w for w in data["warnings"])
