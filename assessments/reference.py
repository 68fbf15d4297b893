"""Reference data of the assessments app, loaded by ``manage.py load_reference``: the SOP every event follows (seed
002, PSM/DISNAKER-10 version 1), kept as a versioned procedure record (idempotent; a revision is a new version)."""

import datetime

from assessments.events.models import Procedure

SOP_002 = {
    "number": "PSM/DISNAKER-10", "version": 1,
    "name": "Pelaksanaan Fasilitas Sertifikasi untuk Peserta Pelatihan",
    "issuer": "Dinas Ketenagakerjaan Pemerintah Kota Tangerang, Bidang Pelatihan Kerja dan Peningkatan Produktivitas",
    "made_on": datetime.date(2017, 2, 14), "revised_on": None, "effective_on": datetime.date(2017, 3, 20),
    "approved_by": "Kepala Dinas Ketenagakerjaan, DR. Ir. H. M. Rakhmansyah, M.Si, NIP. 19620910 198603 1 013",
    "legal_basis": [
        "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Peraturan Pemerintah RI Nomor 31 Tahun 2006 tentang Sistem Pelatihan Kerja Nasional",
        "Peraturan Menteri Ketenagakerjaan RI Nomor 21 Tahun 2009 tentang Pedoman Pelayanan Produktivitas",
        "Peraturan Daerah Nomor 8 Tahun 2016 tentang Organisasi Perangkat Daerah",
        "Peraturan Walikota Nomor 64 Tahun 2016 tentang Kedudukan, Susunan Organisasi Tugas, Fungsi serta Tata "
        "Kerja Dinas Ketenagakerjaan",
    ],
}


def load(stdout=None) -> None:
    _sop, created = Procedure.objects.get_or_create(number=SOP_002["number"], version=1, defaults=SOP_002)
    if stdout:
        stdout.write("assessments: SOP PSM/DISNAKER-10 " + ("recorded" if created else "already present"))
