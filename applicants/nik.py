"""The population number (NIK, Nomor Induk Kependudukan, 16 digits) and what it encodes.

    31 71 04 420385 0001
    |  |  |  |      `-- serial number (0001-9999)
    |  |  |  `--------- date of birth DDMMYY; a woman's day has 40 added (42 = the 2nd)
    |  |  `------------ district (kecamatan)
    |  `--------------- regency or city (kabupaten/kota)
    `------------------ province

BNSP registers a certificate holder by NIK, so the LSP sends it in the registration request. It is personal data:
shown in full only to its owner and in that request; anywhere else it is masked (:func:`mask_nik`).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from certportal.dates import day as day_text

# Province codes of the Ministry of Home Affairs (Kepmendagri 100.1.1-6117/2022), which Dukcapil uses in the NIK.
# Papua's four new provinces (93-96, 2022) are listed: new NIKs there carry them.
PROVINCES = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah", "34": "DI Yogyakarta",
    "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat", "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
    "65": "Kalimantan Utara", "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara",
    "91": "Papua", "92": "Papua Barat", "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}
FEMALE_DAY_OFFSET = 40
FEMALE = "2"  # applicants.models.Gender.FEMALE


def normalise_nik(nik: str | None) -> str:
    return (nik or "").replace(" ", "").replace(".", "")


def mask_nik(nik: str | None) -> str:
    """``3171********0001``: enough to tell two people apart in a list, not enough to use the number."""
    nik = normalise_nik(nik)
    return f"{nik[:4]}{'*' * 8}{nik[12:]}" if len(nik) == 16 else ("*" * len(nik))


def nik_problems(nik: str, *, birth_date: datetime.date | None = None, gender: str | None = None) -> list[str]:
    """Every reason ``nik`` is not valid for a person born on ``birth_date`` of ``gender``, in plain words."""
    nik = normalise_nik(nik)
    if not nik.isdigit() or len(nik) != 16:
        return [_("A NIK has exactly 16 digits (you typed %(count)s characters%(extra)s).") % {
            "count": len(nik), "extra": "" if nik.isdigit() or not nik else _(", not all of them digits")}]
    problems = _region_problems(nik)
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > FEMALE_DAY_OFFSET
    real_day = day - FEMALE_DAY_OFFSET if female else day
    if not _real_date(real_day, month, year):
        problems.append(_("Digits 7–12 of the NIK (%(part)s) must be the date of birth as day, month, year, with "
                          "40 added to the day for a woman; that is not a real date.") % {"part": nik[6:12]})
    else:
        problems += _agreement_problems(nik, real_day, month, year, female, birth_date, gender)
    if nik[12:] == "0000":
        problems.append(_("The last four digits of the NIK (the serial number) cannot be 0000."))
    return problems


def _region_problems(nik: str) -> list[str]:
    if nik[0:2] not in PROVINCES:
        return [_("The NIK starts with the province code %(code)s, which is no province of Indonesia (Aceh is 11, "
                  "DKI Jakarta 31, Papua 91).") % {"code": nik[0:2]}]
    problems = []
    if nik[2:4] == "00":
        problems.append(_("Digits 3–4 of the NIK are the regency or city; 00 is none."))
    if nik[4:6] == "00":
        problems.append(_("Digits 5–6 of the NIK are the district (kecamatan); 00 is none."))
    return problems


def _real_date(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            datetime.date(century + yy, month, day)
            return True
        except ValueError:
            continue
    return False


def _agreement_problems(nik, day, month, yy, female, birth_date, gender) -> list[str]:
    problems = []
    if birth_date and (day, month, yy) != (birth_date.day, birth_date.month, birth_date.year % 100):
        problems.append(_("The NIK encodes the birth date %(nik_date)s, but you entered %(entered)s.") % {
            "nik_date": f"{day:02d}/{month:02d}/{yy:02d}", "entered": day_text(birth_date)})
    if gender and female != (gender == FEMALE):
        if female:
            problems.append(_("The day in the NIK (%(day)s) has 40 added, which marks a woman, but you chose "
                              "“male”.") % {"day": nik[6:8]})
        else:
            problems.append(_("The day in the NIK (%(day)s) has no 40 added, which marks a man, but you chose "
                              "“female” (a woman's day is 41–71).") % {"day": nik[6:8]})
    return problems


def make_nik(birth_date: datetime.date, gender: str, *, region: str = "317104", serial: int = 1) -> str:
    """A structurally valid NIK for ``birth_date`` and ``gender`` (demo data and tests; never a real person's)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if gender == FEMALE else 0)
    return f"{region}{day:02d}{birth_date:%m%y}{serial:04d}"
