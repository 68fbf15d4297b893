"""The KKNI decree importer on seed 004 (every row, every prerequisite) and on the shape of the format."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from schemes.importers.kkni import KkniFormatError, parse_kkni
from schemes.models import Qualification, QualificationUnit

from .conftest import KKNI_FILE

pytestmark = pytest.mark.usefixtures("english")

# (letter, level, group, total, core, elective, core rows listed, elective rows listed)
EXPECTED = [
    ("A", 3, "Instruktur", 9, 5, 4, 5, 6), ("B", 4, "Instruktur", 14, 7, 7, 7, 31),
    ("C", 5, "Instruktur", 17, 8, 9, 8, 24), ("D", 6, "Instruktur", 14, 8, 6, 8, 19),
    ("E", 3, "Tenaga Pelatihan", 7, 3, 4, 3, 15), ("F", 4, "Tenaga Pelatihan", 10, 3, 7, 3, 35),
    ("G", 5, "Tenaga Pelatihan", 13, 6, 7, 6, 26), ("H", 6, "Tenaga Pelatihan", 14, 6, 8, 6, 15),
    ("I", 4, "Asesor", 3, 2, 1, 2, 19), ("J", 5, "Asesor", 13, 3, 10, 3, 31),
    ("K", 6, "Asesor", 8, 4, 4, 4, 22), ("L", 3, "Pengelola Lembaga Sertifikasi", 5, 1, 4, 1, 7),
    ("M", 5, "Pengelola Lembaga Sertifikasi", 13, 6, 7, 6, 32), ("N", 6, "Pengelola Lembaga Sertifikasi", 10, 5, 5, 5, 23),
]

ROW_RE = re.compile(r"^(\d+)\.\s*([A-Z]\.\d{2}[0-9A-Z]+\.\d{3}\.\d)\s*(.*?)\t(Tidak ada|[A-Z0-9. ]+?)\s*$")


def _printed_rows(text):
    """Every table row of the decree, read independently with a strict regex: (code, prerequisites)."""
    rows = []
    for line in text.splitlines():
        m = ROW_RE.match(line.strip())
        if m:
            prereqs = [] if m.group(4) == "Tidak ada" else m.group(4).split()
            rows.append((m.group(2), prereqs))
    return rows


def test_seed_004_gives_all_14_qualifications_with_their_rules(kkni_parsed):
    got = [(q["letter"], q["level"], q["group"], q["total_required"], q["core_required"], q["elective_required"],
            len(q["core"]), len(q["elective"])) for q in kkni_parsed["qualifications"]]
    assert got == EXPECTED
    assert kkni_parsed["decree"] == {
        "kind": "kkni", "number": "3", "year": 2021, "issued_by": "Menteri Ketenagakerjaan Republik Indonesia",
        "title": "Penetapan Jenjang Kualifikasi Nasional Indonesia Bidang Pelatihan Kerja dan Sertifikasi",
        "issued_on": "2021-01-20",
        # KEEMPAT-KEENAM: in force six months after signing, reviewed every five years, revokes 233/2016
        "in_force_on": "2021-07-20", "review_due_on": "2026-01-20", "revokes": ["233/2016"]}


def test_every_unit_row_and_prerequisite_is_exactly_as_printed(kkni_text, kkni_parsed):
    printed = _printed_rows(kkni_text)
    parsed = [(r["code"], r["prerequisites"]) for q in kkni_parsed["qualifications"] for r in q["core"] + q["elective"]]
    assert len(printed) == 372
    assert parsed == printed


def test_rows_split_across_pages_and_code_title_in_one_cell_are_read(kkni_parsed):
    b = kkni_parsed["qualifications"][1]
    assert [r["code"] for r in b["elective"][5:8]] == ["N.78SPS02.021.2", "N.78SPS02.029.2", "N.78SPS02.039.2"]
    assert b["elective"][25]["prerequisites"] == [f"N.78SPS02.0{n}.1" for n in range(64, 70)]
    f = kkni_parsed["qualifications"][5]
    assert f["core"][0] == {"code": "N.78SPS02.031.2", "title": "Melakukan Pengorganisasi-an SDM Pelatihan Kerja",
                            "prerequisites": []}
    a = kkni_parsed["qualifications"][0]
    assert a["core"][2]["title"] == "Melaksanakan Pelatihan Tatap Muka (Face To Face)"  # markup removed
    assert a["jobs"][2] == "Asisten Instruktur/ Trainer Assistant"
    assert a["code_prefix"] == "N78SPS02" and a["subfield"] == "Pelatihan Kerja"


@pytest.mark.parametrize("fragment", [
    "Section M: the rule lines are lettered c., d. instead of a., b.",
    "Section C: unit N.78SPS02.023.1 requires N.78SPS02.084.2, which this qualification does not list.",
    "Section D: unit N.78SPS01.003.2 requires N.78SPS01.001.1 but the qualification lists N.78SPS01.001.2",
    "Section D: unit N.78SPS01.007.2 requires N.78SPS01.005.1, which this qualification does not list.",
    "Section K: unit M.74SPS03.117.1 is listed twice",
    "Section N: unit M.74SPS03.097.1 is listed twice",
    "Unit N.78SPS02.075 is printed with different versions: N.78SPS02.075.2 (A); N.78SPS02.075.1 (B, C).",
    "Unit N.78SPS02.039.2 is printed with different titles",
    "Section M: the codification line names subfield",
])
def test_irregularities_of_seed_004_are_reported_as_warnings(kkni_parsed, fragment):
    assert any(fragment in w for w in kkni_parsed["warnings"]), fragment


def test_import_loads_everything_and_running_it_again_changes_nothing(db, capsys):
    call_command("import_kkni", str(KKNI_FILE))
    assert Qualification.objects.count() == 14
    assert QualificationUnit.objects.count() == 372
    c23 = QualificationUnit.objects.get(qualification__letter="C", code_as_printed="N.78SPS02.023.1")
    assert c23.kind == "core" and c23.prerequisites == ["N.78SPS02.084.2"]
    capsys.readouterr()
    call_command("import_kkni", str(KKNI_FILE))
    assert "nothing changed" in capsys.readouterr().out
    assert QualificationUnit.objects.count() == 372


def test_dry_run_json_prints_the_parse_and_writes_nothing(db, capsys):
    call_command("import_kkni", str(KKNI_FILE), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"decree", "qualifications", "warnings"}
    q = data["qualifications"][0]
    assert {"letter", "subfield", "group", "level", "code_prefix", "total_required", "core_required",
            "elective_required", "jobs", "core", "elective"} <= set(q)
    assert q["core"][2] == {"code": "N.78SPS02.028.2", "title": "Melaksanakan Pelatihan Tatap Muka (Face To Face)",
                            "prerequisites": ["N.78SPS02.019.2"]}
    assert Qualification.objects.count() == 0


# --- the shape of the format: small hand-made variants ------------------------------------------------------

MINI = """KEPUTUSAN MENTERI KETENAGAKERJAAN
REPUBLIK INDONESIA
NOMOR 99 TAHUN 2030
TENTANG
PENETAPAN JENJANG KUALIFIKASI NASIONAL INDONESIA BIDANG CONTOH

KEDUA : meliputi:
a. Subbidang Contoh Kelompok Uji jenjang 2 dan 3.
KETIGA : diterapkan.

pada tanggal 2 Maret 2030

LAMPIRAN

I. SUBBIDANG CONTOH KELOMPOK UJI

A. JENJANG KUALIFIKASI 2 KELOMPOK UJI

1. Kodifikasi

X99UJI01 Kualifikasi 2 Bidang Contoh Subbidang Contoh Kelompok Uji

5. Kemungkinan Jabatan

a. Penguji

6. Aturan Pengemasan

2 (dua) unit kompetensi harus diselesaikan/dipenuhi, dengan perincian:
- a. 1 (satu) unit kompetensi inti
- b. 1 (satu) unit kompetensi pilihan

DAFTAR UNIT KOMPETENSI\t\tPERSYARATAN KOMPETENSI
KOMPETENSI INTI
1.\tX.99UJI01.001.1\tMenguji Sesuatu\tTidak ada
KOMPETENSI PILIHAN
1.\tX.99UJI01.002.1\tMenguji Hal Lain\tX.99UJI01.001.1

B. JENJANG KUALIFIKASI 3 KELOMPOK UJI

1. Kodifikasi

X99UJI01 Kualifikasi 3 Bidang Contoh Subbidang Contoh Kelompok Uji

6. Aturan Pengemasan

2 (dua) unit kompetensi harus diselesaikan/dipenuhi, dengan perincian:
- a. 1 (satu) unit kompetensi inti
- b. 1 (satu) unit kompetensi pilihan

DAFTAR UNIT KOMPETENSI\t\tPERSYARATAN KOMPETENSI
KOMPETENSI INTI
1.\tX.99UJI01.003.1\tMenguji Sesuatu yang
Sangat Panjang Judulnya\tTidak ada
KOMPETENSI PILIHAN
1. X.99UJI01.004.1 Menguji Lagi\tTidak ada

MENTERI KETENAGAKERJAAN
REPUBLIK INDONESIA,

NAMA MENTERI
"""


def test_a_small_decree_of_the_same_shape_is_read_including_a_wrapped_title():
    data = parse_kkni(MINI)
    assert [q["letter"] for q in data["qualifications"]] == ["A", "B"]
    b = data["qualifications"][1]
    assert b["core"] == [{"code": "X.99UJI01.003.1", "title": "Menguji Sesuatu yang Sangat Panjang Judulnya",
                          "prerequisites": []}]
    assert b["elective"][0]["title"] == "Menguji Lagi"
    assert data["qualifications"][0]["elective"][0]["prerequisites"] == ["X.99UJI01.001.1"]
    assert data["decree"]["issued_on"] == "2030-03-02"
    assert data["warnings"] == []


def test_a_cut_short_file_is_refused_and_nothing_is_written(db, tmp_path):
    cut = MINI[: MINI.index("B. JENJANG")]
    with pytest.raises(KkniFormatError, match="cut short"):
        parse_kkni(cut)
    path = tmp_path / "cut.txt"
    path.write_text(MINI[: MINI.index("1. X.99UJI01.004.1")], encoding="utf-8")
    with pytest.raises(CommandError, match="cut short"):
        call_command("import_kkni", str(path))
    assert Qualification.objects.count() == 0


def test_a_cut_short_file_of_seed_004_is_refused(kkni_text):
    with pytest.raises(KkniFormatError, match="cut short"):
        parse_kkni(kkni_text[: kkni_text.index("22. M.74SPS03.142.1")])


def test_a_file_that_is_not_a_kkni_decree_is_refused(tmp_path):
    with pytest.raises(KkniFormatError, match="not look like a ministerial decree"):
        parse_kkni("Daftar belanja:\n1. beras\n2. telur\n")
    with pytest.raises(KkniFormatError, match="not about KKNI"):
        parse_kkni(MINI.replace("PENETAPAN JENJANG KUALIFIKASI NASIONAL INDONESIA", "PENETAPAN STANDAR KOMPETENSI"))
    with pytest.raises(KkniFormatError, match="empty"):
        parse_kkni("")


def test_irregularities_in_a_variant_are_warned_not_mended():
    text = MINI.replace("- a. 1 (satu) unit kompetensi inti\n- b. 1 (satu) unit kompetensi pilihan\n\nDAFTAR UNIT "
                        "KOMPETENSI\t\tPERSYARATAN KOMPETENSI\nKOMPETENSI INTI\n1.\tX.99UJI01.003.1",
                        "- c. 1 (satu) unit kompetensi inti\n- d. 1 (satu) unit kompetensi pilihan\n\nDAFTAR UNIT "
                        "KOMPETENSI\t\tPERSYARATAN KOMPETENSI\nKOMPETENSI INTI\n1.\tX.99UJI01.003.1")
    text = text.replace("Menguji Hal Lain\tX.99UJI01.001.1", "Menguji Hal Lain\tX.99UJI01.001.2 X.99UJI01.050.1")
    data = parse_kkni(text)
    assert data["qualifications"][0]["elective"][0]["prerequisites"] == ["X.99UJI01.001.2", "X.99UJI01.050.1"]
    joined = "\n".join(data["warnings"])
    assert "Section B: the rule lines are lettered c., d." in joined
    assert "requires X.99UJI01.001.2 but the qualification lists X.99UJI01.001.1" in joined
    assert "requires X.99UJI01.050.1, which this qualification does not list" in joined
