"""Orders used by scheme requirements and applicant profiles (Indonesian education levels and civil-service ranks)."""

from django.utils.translation import gettext_lazy as _

# Education, lowest first. D4 and S1 are the same level (sarjana terapan / sarjana).
EDUCATION_CHOICES = [
    ("SD", "SD"), ("SMP", "SMP"), ("SMA", _("SMA/SMK")), ("D1", "D1"), ("D2", "D2"), ("D3", "D3"),
    ("D4", "D4"), ("S1", "S1"), ("S2", "S2"), ("S3", "S3"),
]
EDUCATION_RANK = {"SD": 0, "SMP": 1, "SMA": 2, "D1": 3, "D2": 4, "D3": 5, "D4": 6, "S1": 6, "S2": 7, "S3": 8}

# Civil-service ranks (golongan/ruang), lowest first: I/a ... IV/e.
RANKS = [f"{g}/{r}" for g, rs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde")) for r in rs]
RANK_CHOICES = [(r, r) for r in RANKS]
RANK_ORDER = {r: i for i, r in enumerate(RANKS)}

EMPLOYMENT_CHOICES = [
    ("pns", _("Civil servant (PNS)")),
    ("pppk", _("Government employee with a work agreement (PPPK)")),
    ("other", _("Other")),
]

# The employing government (instansi pemerintah), a reference list: the central government and the 38 provinces by
# their BPS code. Seed 000 asks for "Pegawai Negeri Sipil Pemprov DKI Jakarta" and "minimal 4 tahun pengalaman
# bekerja di lingkungan Provinsi DKI Jakarta": the scheme names the government ("31") and counts the years within it.
PROVINCES = [
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"), ("15", "Jambi"),
    ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"), ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"), ("32", "Jawa Barat"), ("33", "Jawa Tengah"),
    ("34", "DI Yogyakarta"), ("35", "Jawa Timur"), ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"), ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"), ("74", "Sulawesi Tenggara"), ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"), ("81", "Maluku"), ("82", "Maluku Utara"), ("91", "Papua"), ("92", "Papua Barat"),
    ("93", "Papua Selatan"), ("94", "Papua Tengah"), ("95", "Papua Pegunungan"), ("96", "Papua Barat Daya"),
]
GOVERNMENT_CHOICES = [("pusat", _("Central government (ministry or agency)"))] + [
    (code, f"Pemerintah Provinsi {name}") for code, name in PROVINCES] + [
    ("kabkota", _("A regency or city government"))]


def government_label(code: str) -> str:
    return str(dict(GOVERNMENT_CHOICES).get(code, code))
