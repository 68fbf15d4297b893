"""How much data the scale benchmark builds, and the names, units and statuses it draws them from."""

from __future__ import annotations

import hashlib

FIRST = ["Siti", "Budi", "Andi", "Dewi", "Rina", "Agus", "Sri", "Eko", "Nur", "Putri", "Rudi", "Wati", "Yanti",
         "Hendra", "Fajar", "Intan", "Joko", "Kartika", "Lestari", "Made", "Nyoman", "Ketut", "Wayan", "Bayu",
         "Citra", "Dian", "Fitri", "Gilang", "Hadi", "Indah", "Yusuf", "Rahmat", "Taufik", "Wulan", "Yogi",
         "Zainal", "Arif", "Bambang", "Cahya", "Dimas"]
LAST = ["Aminah", "Santoso", "Wijaya", "Lestari", "Saputra", "Hidayat", "Kusuma", "Pratama", "Nugroho",
        "Setiawan", "Rahmawati", "Siregar", "Nasution", "Simanjuntak", "Harahap", "Lubis", "Putra", "Sari",
        "Utami", "Purnama", "Gunawan", "Halim", "Irawan", "Jaya", "Kurniawan", "Mahendra", "Permana", "Ramadhan",
        "Suharto", "Tanjung", "Wibowo", "Yulianti", "Zulkarnain", "Effendi", "Fauzi", "Hakim", "Iskandar",
        "Maulana", "Rusdi", "Syahputra"]
UNITS = [f"{kind} {name}" for kind in ("Dinas", "Badan", "Biro") for name in (
    "Kesehatan", "Pendidikan", "Sosial", "Perhubungan", "Pariwisata", "Kominfo", "Pertanian", "Perindustrian",
    "Kelautan", "Umum", "Keuangan", "Kepegawaian", "Perencanaan", "Lingkungan Hidup")]
# Statuses of the applications, 100 slots in realistic proportions (half handed over, 16 % in the queue's work),
# drawn by a hash of the application's id (data.py), not its applicant's: with the slot following the applicant,
# every application of one name had the same status, and a search by name found none needing action.
WEIGHTS = {"submitted": 4, "returned": 2, "resubmitted": 2, "complete": 6, "verified": 4, "participant": 6,
           "scheduled": 4, "assessed": 2, "competent": 2, "certified": 4, "handed_over": 44, "not_yet_competent": 3,
           "rejected": 2, "withdrawn": 3, "appealed": 2, "draft": 10}
SLOTS = [s for s, w in WEIGHTS.items() for _ in range(w)]
OPEN_WORK = ("submitted", "resubmitted", "complete", "verified")
STAFF = 200  # people who act (and so write the audit trail)
SCHEMES = 60
# Each harness scheme's competency units (the same at every size: a scheme's units do not grow with its applicants),
# each with 3 elements of 3 performance criteria (KUK); the tiny run's schemes have 2.
UNITS_PER_SCHEME = 6
BANK_INSTRUMENTS = 8  # the instruments with a question bank (assessments.instruments.models.plans)
API_TOKEN = "cp_bench-employer-token"  # the employer's API token of the run (only its hash is stored)
APPLICANT_IDS = 100_000_000  # applicant user ids start here: clear of the staff's

# (applications, audit rows, open clocks, of which breached) of each named size; `--tiny` is the CI's run.
PROVINCE = (1_000_000, 10_000_000, 100_000, 30_000)
NATIONAL = (5_000_000, 50_000_000, 500_000, 150_000)
TINY = (300, 3_000, 40, 12)
# Seconds per million rows built on the 2-core machine under the load of other sessions (load average 12-16, 25
# Nov 2026: 90,000 applications in 17 s, 900,000 audit rows in 116 s, 18,000 certificates in 6 s; the full
# province of 23 Nov 2026 took about 25 minutes; 660,000 question-bank items in 25 s at load 4-7, 26 Nov 2026).
# Used for the estimate printed before a build; the harness prints a second estimate from the pace of its own first
# step.
PACE = {"applications": 200.0, "audit": 130.0, "certificates": 400.0, "bank": 40.0}


def nip_of(user: int) -> str:
    """The NIP the SQL gives applicant ``user`` (kept in one place so searches can aim at real ones)."""
    return "19" + str((user * 2654435761) % 10**16).zfill(16)


def name_of(user: int) -> tuple[str, str]:
    """The (first, last) name the SQL gives applicant ``user``."""
    return FIRST[user % len(FIRST)], LAST[(user // len(FIRST)) % len(LAST)]


def code_of(certificate: int) -> str:
    return hashlib.md5(f"c{certificate}".encode(), usedforsecurity=False).hexdigest()[:16].upper()


class Sizes:
    """Row counts of every table; ``least`` divides the floors of the small tables (the tiny run's are tiny)."""

    def __init__(self, applications: int, audit: int, clocks: int, breached: int, least: int = 1) -> None:
        self.applications, self.audit, self.clocks, self.breached = applications, audit, clocks, breached
        self.least = least
        self.users = max(applications // 10, 2000 // least)  # the bare page's table: 100,000 rows at full size
        self.certificates = applications // 5
        self.complaints = max(applications // 50, 500 // least)
        self.surveys = max(applications // 20, 500 // least)
        self.appeals = max(applications // 500, 50 // least)
        self.units_per_scheme = UNITS_PER_SCHEME if least == 1 else 2
        # Question-bank items per unit and bank instrument (8 of them): 250 at a million applications (720,000
        # items over 60 schemes of 6 units), 1,250 at the national size, 60 on the smaller ones, 3 on the tiny run.
        self.bank_items = max(applications // 4_000, 60 // least)
        # Superseded versions of each scheme's assessment plan (a decade of revisions), besides the plan in force
        # and one to three drafts: 10 at a million applications, 50 at the national size.
        self.plan_versions = max(applications // 100_000, 4 // least, 1)

    def part(self, fraction: float) -> Sizes:
        return Sizes(int(self.applications * fraction), int(self.audit * fraction), int(self.clocks * fraction),
                     int(self.breached * fraction), self.least)

    def estimate_seconds(self) -> float:
        """The build time these sizes take on this machine at :data:`PACE` (an estimate: the load moves it)."""
        return (self.applications * PACE["applications"] + self.audit * PACE["audit"]
                + self.certificates * PACE["certificates"] + self.bank_rows() * PACE["bank"]) / 1e6

    def bank_rows(self) -> int:
        """Question-bank items over the harness's schemes, units and bank instruments."""
        return SCHEMES * self.units_per_scheme * BANK_INSTRUMENTS * self.bank_items

    def __str__(self) -> str:
        return (f"{self.applications:,} applications, {self.audit:,} audit rows, {self.clocks:,} open clocks "
                f"({self.breached:,} breached), {self.users:,} users, {self.certificates:,} certificates, "
                f"{self.complaints:,} complaints, {self.surveys:,} survey answers, {self.bank_items:,} bank items per "
                f"unit and instrument, {self.plan_versions:,} superseded plans per scheme")
