"""Synthetic civil servants in SIASN's "data utama" columns: the sample roster files in ``fixtures/roster/``, the
demo's imported roster and the benchmark's 50,000 rows. Nobody in them exists: names are drawn from common
Indonesian names, NIPs are made valid (birth date, appointment month, gender, serial) and unique per index.

    python -m agencies.roster_sample fixtures/roster/siasn_data_utama_contoh 120

writes ``….xlsx`` and ``….csv`` with the first ``120`` people (``DJANGO_SETTINGS_MODULE`` need not be set).
"""

from __future__ import annotations

import csv
import datetime
import io
import sys

HEADER = ["nipBaru", "nama", "gelarDepan", "gelarBelakang", "golRuangAkhir", "jabatanNama", "unorNama",
          "unorIndukNama", "instansiKerjaNama", "tkPendidikanTerakhir", "pendidikanTerakhirNama", "kedudukanPnsNama"]
GOVERNMENT = "Pemerintah Provinsi DKI Jakarta"
AGENCIES = ["Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan", "Dinas Sosial", "Badan Kepegawaian Daerah",
            "Badan Pendapatan Daerah", "Inspektorat", "Dinas Lingkungan Hidup"]
FIRST = ["Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hadi", "Indah", "Joko", "Kartika", "Lukman",
         "Mega", "Nur", "Oktavia", "Putri", "Rizky", "Sari", "Taufik", "Umi", "Wahyu", "Yuni", "Zainal", "Ayu"]
LAST = ["Pratama", "Santoso", "Wibowo", "Lestari", "Hidayat", "Saputra", "Rahmawati", "Kurniawan", "Susanti",
        "Nugroho", "Permata", "Setiawan", "Wulandari", "Siregar", "Harahap", "Simanjuntak", "Tanjung", "Nasution"]
POSITIONS = ["Analis Kepegawaian Ahli Pertama", "Pranata Komputer Ahli Muda", "Penata Layanan Operasional",
             "Analis Pelayanan Kesehatan", "Guru Ahli Pertama", "Pengelola Keuangan", "Auditor Ahli Muda",
             "Arsiparis Terampil"]
UNITS = ["Subbagian Umum dan Kepegawaian", "Bidang Pelayanan", "Seksi Perencanaan", "Subbagian Keuangan"]
EDUCATION = [("S-1/Sarjana", "S1 Administrasi Negara", ""), ("Diploma III", "D-III Akuntansi", "A.Md."),
             ("S-2", "S2 Manajemen", ""), ("SLTA", "SMA IPA", ""), ("S-1/Sarjana", "S1 Ilmu Komputer", "S.Kom."),
             ("S-1/Sarjana", "S1 Kesehatan Masyarakat", "S.K.M.")]
RANKS = ["II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]
STANDINGS = ["Aktif"] * 47 + ["Pensiun", "Tugas Belajar", "Aktif"]


def nip(i: int) -> str:
    """A valid NIP, unique for ``i`` below 1,800,000 (the day of birth and the appointment month vary with it)."""
    serial, rest = i % 999 + 1, i // 999
    born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rest % 10_000)
    appointed = (born.year + 22 + rest % 10, rest % 12 + 1)
    return f"{born:%Y%m%d}{appointed[0]}{appointed[1]:02d}{1 + i % 2}{serial:03d}"


def person(i: int, agencies: list[str] | None = None) -> list[str]:
    """The ``i``-th synthetic civil servant, as a row of :data:`HEADER`."""
    agencies = agencies or AGENCIES
    level, name, back = EDUCATION[i % len(EDUCATION)]
    front = "Dr." if i % 97 == 0 else ""
    back = back or {"S-2": "M.M.", "S-1/Sarjana": "S.AP."}.get(level, "")
    return [nip(i), f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}", front, back,
            RANKS[i % len(RANKS)], POSITIONS[i % len(POSITIONS)], UNITS[i % len(UNITS)],
            agencies[i % len(agencies)], GOVERNMENT, level, name, STANDINGS[i % len(STANDINGS)]]


def rows(count: int, *, start: int = 0, agencies: list[str] | None = None) -> list[list[str]]:
    return [person(i, agencies) for i in range(start, start + count)]


def csv_bytes(data: list[list[str]], *, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(data)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(data: list[list], *, header: list[str] | None = None) -> bytes:
    """A workbook as SIASN's export gives it: one sheet, the header row, every value as text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data Utama")
    sheet.append(header or HEADER)
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


if __name__ == "__main__":  # pragma: no cover - writes the sample files
    stem, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 120
    people = rows(count)
    with open(f"{stem}.csv", "wb") as f:
        f.write(csv_bytes(people))
    with open(f"{stem}.xlsx", "wb") as f:
        f.write(xlsx_bytes(people))
