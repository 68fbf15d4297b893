"""The texts of seeds 000 (Pelayanan Prima scheme) and 001 (service standard), as shipped reference data.

Kept verbatim except where the PDF conversion glued words together ("KerjaNasionalIndonesia"): those spaces
are restored. Codes and titles of units are exactly as printed.
"""

SKKNI_183_2016 = {
    "number": "183",
    "year": 2016,
    "title": (
        "Penetapan Standar Kompetensi Kerja Nasional Indonesia Kategori Aktivitas Penyewaan dan Sewa Guna Usaha "
        "Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan dan Penunjang Usaha Lainnya Golongan Pokok Aktivitas "
        "Administrasi Kantor, Aktivitas Penunjang Kantor dan Aktivitas Penunjang Usaha Lainnya Bidang "
        "Administrasi Profesional"
    ),
    "issued_by": "Menteri Ketenagakerjaan Republik Indonesia",
}

PELAYANAN_PRIMA = {
    "code": "SS-02/LSP-BPSDM DKI/2017",
    "name": "Pelayanan Prima",
    "kind": "occupation",
    "legal_basis": "Keputusan Menteri Ketenagakerjaan RI Nomor 183 Tahun 2016 tentang " + SKKNI_183_2016["title"],
    "description": (
        "Skema Sertifikasi Pelayanan Prima bertujuan memastikan kompetensi Kepala Unit Pelaksana DPMPTSP "
        "Provinsi DKI Jakarta dalam memberikan pelayanan publik yang memenuhi kebutuhan dasar warga negara "
        "secara profesional, sesuai standar untuk meningkatkan kualitas layanan kepada masyarakat."
    ),
    "units": [
        ("N.821199.028.02", "Mengaplikasikan Keterampilan Dasar Komunikasi"),
        ("N.821100.032.02", "Melakukan Komunikasi Lisan dalam Bahasa Inggris pada Tingkat Operasional"),
        ("N.821100.044.02", "Menerapkan Kerjasama dengan Kolega dan Pelanggan"),
        ("N.821100.045.02", "Memberikan Layanan Kepada Pelanggan"),
        ("N.821100.046.01", "Mengelola Layanan Pelanggan Berkualitas"),
        ("N.821100.049.02", "Memenuhi Kebutuhan Pelanggan"),
        ("N.821100.051.01", "Menerapkan Etika Profesi"),
    ],
    "requirements": [
        ("employment", "pns", "Pegawai Negeri Sipil Pemprov DKI Jakarta", "31"),
        ("min_education", "S1", "Pendidikan paling rendah S1 atau sederajat"),
        ("min_rank", "III/b", "Golongan paling rendah III/b"),
        ("min_years", "4", "Minimal 4 tahun pengalaman bekerja di lingkungan Provinsi DKI Jakarta", "31"),
    ],
    "methods_experienced": (
        "Metode yang akan dipakai terhadap asesi atau peserta yang sudah berpengalaman adalah melalui metode "
        "Asesmen Portofolio dan Pertanyaan Wawancara terkait portofolio."
    ),
    "methods_inexperienced": (
        "Metode yang akan dipakai terhadap asesi atau peserta yang belum berpengalaman adalah melalui metode "
        "Observasi Demonstrasi dan Pertanyaan Lisan."
    ),
    "validity_years": 3,
    "payer": (
        "Biaya sertifikasi dibebankan pada APBD Provinsi DKI Jakarta atau kepada peserta uji kompetensi yang "
        "besarannya sesuai dengan peraturan yang berlaku."
    ),
    "applicant_rights": "\n".join([
        "Pemohon berhak mendapatkan informasi yang lengkap mengenai proses asesmen dan uji kompetensi.",
        "Pemohon berhak atas penjelasan yang lengkap apabila dianggap belum berkompeten.",
        "Pemohon berhak mengajukan banding apabila tidak puas dengan penjelasan ataupun proses yang dilalui.",
    ]),
    "holder_obligations": "\n".join([
        "Pemegang sertifikat wajib segera menyampaikan informasi kepada LSP BPSDM Provinsi DKI Jakarta tentang "
        "hal-hal yang dapat memengaruhi kemampuan pemegang sertifikat untuk tetap memenuhi persyaratan sertifikasi.",
        "Pemegang sertifikat wajib menandatangani perjanjian yang menunjukkan komitmen untuk tidak membuka "
        "perangkat uji yang bersifat rahasia, atau ikut serta dalam praktik uji kompetensi.",
    ]),
}

# Seed 000 names the site ("Tempat Uji Kompetensi : Sewaktu (BPSDM Provinsi DKI Jakarta, ...)") but gives no
# registration number: the one here is an example ("CONTOH"), to be replaced by the LSP's real one.
PELAYANAN_PRIMA_TUK = {
    "registration_number": "CONTOH-TUK-SEWAKTU/BPSDM-DKI",
    "kind": "sewaktu",
    "name": "TUK Sewaktu BPSDM Provinsi DKI Jakarta",
    "address": "Gedung Dinas Teknis Abdul Muis, Jakarta Pusat",
}

PDF = ["pdf"]
PDF_IMG = ["pdf", "jpeg", "png"]
IMG = ["jpeg", "png"]

# (category, name, description, accepted kinds, min files, max files)
PELAYANAN_PRIMA_DOCUMENTS = [
    ("basic", "Fotokopi Surat Keputusan Pengangkatan sebagai Aparatur Sipil Negara di Lingkungan Pemerintah "
     "Daerah Provinsi DKI Jakarta", "", PDF_IMG, 1, 1),
    ("basic", "Fotokopi ijazah S1 atau sederajat", "", PDF_IMG, 1, 1),
    ("basic", "Fotokopi SK kenaikan pangkat terakhir (minimal golongan III/b)",
     "Juga memenuhi persyaratan standar pelayanan nomor 4 (Fotokopi SK Pangkat terakhir).", PDF_IMG, 1, 1),
    ("basic", "Fotokopi Sertifikat Diklat Pelayanan Prima/sejenisnya", "", PDF_IMG, 1, 1),
    ("basic", "Fotokopi Surat Keterangan pengalaman kerja di lingkungan Provinsi DKI Jakarta minimal 4 (empat) "
     "tahun", "", PDF_IMG, 1, 1),
    ("administrative", "Fotokopi KTP", "", PDF_IMG, 1, 1),
    ("administrative", "Daftar riwayat hidup (CV)", "", PDF, 1, 1),
    ("administrative", "Pasfoto ukuran 3x4 sebanyak 3 lembar dengan latar belakang warna merah",
     "Juga memenuhi persyaratan standar pelayanan nomor 7 (Pas foto terbaru).", IMG, 3, 3),
]

# Seed 001 item 1: the 12 documents of the service standard, with the scheme document each duplicates (if any).
# Number 9, "Formulir pendaftaran", is the FR.APL.01 the portal itself generates from the applicant's data: it is
# not asked again as an upload (GENERATED).
GENERATED = "generated:FR.APL.01"
SERVICE_STANDARD_DOCUMENTS = [
    (1, "Surat Permohonan Profosal dari Penyelenggara Kegiatan Pelatihan dan Uji Kompetensi Profesi kepada PD", None),
    (2, "Surat Permohonan Surat usulan dari perangkat daerah/unit kerja", None),
    (3, "Surat Permohonan mengikuti seleksi Sertifikasi Profesi Bagi Pegawai Negeri Sipil kepada Kepala PD", None),
    (4, "Fotokopi SK Pangkat terakhir", "Fotokopi SK kenaikan pangkat terakhir (minimal golongan III/b)"),
    (5, "Fotokopi SK Jabatan terakhir", None),
    (6, "Sasaran Kinerja Pegawai (SKP) terakhir", None),
    (7, "Pas foto terbaru", "Pasfoto ukuran 3x4 sebanyak 3 lembar dengan latar belakang warna merah"),
    (8, "Dokumen pendukung kompetensi/portofolio", None),
    (9, "Formulir pendaftaran", GENERATED),
    (10, "Surat Rekomendasi dari Kepala PD", None),
    (11, "Surat Rekomendasi dari Sekretaris Daerah", None),
    (12, "Surat pernyataan keabsahan berkas dari Kepala PD /atasan langsung", None),
]

SERVICE_STANDARD = {
    "title": "Standar Pelayanan",
    "service_name": "Pelayanan Sertifikasi Profesi bagi Pegawai Negeri Sipil",
    "maklumat": (
        "Dengan ini kami menyatakan sanggup menyelenggarakan Kegiatan Pelatihan dan Uji Kompetensi Profesi bagi "
        "Pegawai Negeri Sipil sesuai Standar Pelayanan yang telah ditetapkan dan apabila tidak menepati janji "
        "pelayanan, kami siap menerima sanksi sesuai ketentuan peraturan perundang-undangan."
    ),
    # (part, number, component, intro, points)
    "items": [
        ("delivery", 1, "Persyaratan", "", [d[1] for d in SERVICE_STANDARD_DOCUMENTS]),
        ("delivery", 2, "Sistem, Mekanisme dan Prosedur", "", [
            "Pemohon menyampaikan berkas usulan Pelatihan dan Uji Kompetensi Profesi",
            "Petugas melakukan pemeriksaan kelengkapan berkas",
            "Verifikasi administrasi dan substantif oleh BKPSDM",
            "Penetapan Peserta Penyelenggara Kegiatan Pelatihan dan Uji Kompetensi Profesi",
            "Pelaksanaan uji kompetensi Profesi yang di tetapkan oleh LSP/Asessor",
            "Penilaian hasil uji kompetensi Profesi oleh Asessor",
            "Penerbitan sertifikat LSP",
            "Penyerahan sertifikat oleh petugas BKPSDM ke peserta",
        ]),
        ("delivery", 3, "Jangka Waktu Penyelesaian",
         "Maksimal 14 (empat belas) sampai dengan 30 (tiga puluh) hari kerja sejak berkas dinyatakan lengkap dan "
         "benar", []),
        ("delivery", 4, "Biaya/Tarif",
         "Apabila terdapat biaya sertifikasi dari lembaga sertifikasi profesi, menyesuaikan ketentuan yang "
         "berlaku.", []),
        ("delivery", 5, "Produk Pelayanan", "", [
            "Sertifikat Kompetensi Profesi.", "Surat Keterangan Hasil Uji Kompetensi."]),
        ("delivery", 6, "Pengelolaan Pengaduan, Saran dan Masukan / Apresiasi",
         "Pengaduan dapat disampaikan pada Jam dan hari kerja:", [
             "Datang langsung Bidang Pengembangan Sumber Daya ASN", "Email resmi unit layanan",
             "Helpdesk/petugas layanan", "SP4N-LAPOR!", "Waktu tindak lanjut maksimal 3 hari kerja"]),
        ("manufacturing", 7, "Dasar Hukum", "", [
            "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara.",
            "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik.",
            "Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan.",
            "Peraturan BNSP terkait sertifikasi kompetensi kerja.",
            "Peraturan Pemerintah Nomor 17 Tahun 2020 tentang Perubahan atas Peraturan Pemerintah Nomor 11 Tahun "
            "2017 tentang Manajemen Pegawai Negeri Sipil",
            "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 38 Tahun 2017 tentang "
            "Standar Kompetensi Jabatan Aparatur Sipil Negara",
            "Surat Edaran Menteri PANRB Nomor 28 Tahun 2021 tentang Pengembangan Kompetensi Pegawai Negeri Sipil "
            "Melalui Jalur Pendidikan",
            "Peraturan Lembaga Administrasi Negara Nomor 10 Tahun 2018 tentang Pengembangan Kompetensi Pegawai "
            "Negeri Sipil",
        ]),
        ("manufacturing", 8, "Sarana dan Prasarana dan/atau fasilitas", "", [
            "Ruang pelayanan", "Komputer dan printer", "Jaringan internet", "Aplikasi layanan kepegawaian",
            "Ruang uji kompetensi", "Media informasi dan pengaduan", "Meja layanan dan ruang konsultasi."]),
        ("manufacturing", 9, "Kompetensi Pelaksana", "", [
            "Memahami regulasi sertifikasi profesi dan pengembangan kompetensi",
            "Memahami administrasi kepegawaian", "Memiliki kemampuan verifikasi dokumen",
            "Memiliki kemampuan pelayanan publik", "Mampu mengoperasikan aplikasi kepegawaian."]),
        ("manufacturing", 10, "Pengawasan Internal",
         "Dilaksanakan oleh Kepala BKPSDM/Kabid PSDA melalui monitoring, evaluasi, dan pengendalian pelayanan "
         "secara berkala", []),
        ("manufacturing", 11, "Jumlah Pelaksana", "Minimal 2 orang", []),
        ("manufacturing", 12, "Jaminan Pelayanan",
         "Pelayanan diberikan secara cepat, mudah, transparan, akuntabel, dan non diskriminatif.", []),
        ("manufacturing", 13, "Jaminan Keamanan dan Keselamatan Pelayanan",
         "Kerahasiaan dokumen dan data pemohon dijamin sesuai ketentuan peraturan perundang-undangan", []),
        ("manufacturing", 14, "Evaluasi Kinerja Pelaksana",
         "Evaluasi dilaksanakan secara berkala melalui monitoring, rapat evaluasi, dan survei kepuasan "
         "masyarakat/pengguna layanan", []),
    ],
}
