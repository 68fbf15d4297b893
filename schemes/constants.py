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
