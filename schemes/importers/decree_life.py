"""A decree's life as its own text states it: the day it was signed, when it comes into force, how often it is
reviewed and which decrees it revokes (Kepmenaker 3/2021 KEEMPAT–KEENAM). What the text does not say stays empty:
the LSP admin fills it in on the decree's page."""

from __future__ import annotations

import datetime
import re

from dateutil.relativedelta import relativedelta

MONTHS = {name: i for i, name in enumerate(
    ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november",
     "desember"], start=1)}
MONTHS["pebruari"] = 2
SIGNED = re.compile(r"Ditetapkan\s+di\s+[A-Za-z ]+?\s+pada\s+tanggal\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", re.I)
IN_FORCE_AFTER = re.compile(r"mulai\s+berlaku\s+setelah\s+(\d+)\s*(?:\([a-z ]+\)\s*)?(bulan|tahun)\s+dihitung\s+sejak"
                            r"\s+tanggal\s+ditetapkan", re.I)
IN_FORCE_ON_SIGNING = re.compile(r"mulai\s+berlaku\s+pada\s+tanggal\s+ditetapkan", re.I)
REVIEW = re.compile(r"dikaji\s+ulang\s+setiap\s+(\d+)\s*(?:\([a-z ]+\)\s*)?tahun", re.I)
REVOKES = re.compile(r"Keputusan\s+Menteri\s+[A-Za-z ]*?Nomor\s+([\w.-]+)\s+Tahun\s+(\d{4})[^.]*?dicabut", re.I | re.S)


def signed_on(text: str) -> datetime.date | None:
    m = SIGNED.search(text)
    if m and m.group(2).lower() in MONTHS:
        return datetime.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return None


def read_life(text: str, signed: datetime.date | None = None) -> dict:
    """{"in_force_on", "review_due_on": ISO dates or None, "revokes": ["233/2016", ...]} from the decree's text."""
    text = " ".join((text or "").replace("**", "").split())
    signed = signed or signed_on(text)
    in_force = None
    if signed and (m := IN_FORCE_AFTER.search(text)):
        n = int(m.group(1))
        in_force = signed + (relativedelta(months=n) if m.group(2).lower() == "bulan" else relativedelta(years=n))
    elif signed and IN_FORCE_ON_SIGNING.search(text):
        in_force = signed
    review = None
    if signed and (m := REVIEW.search(text)):
        review = signed + relativedelta(years=int(m.group(1)))
    revokes = sorted({f"{m.group(1)}/{m.group(2)}" for m in REVOKES.finditer(text)})
    return {"in_force_on": in_force.isoformat() if in_force else None,
            "review_due_on": review.isoformat() if review else None, "revokes": revokes}
