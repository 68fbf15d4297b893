"""Competency unit codes: ``N.78SPS02.028.2`` = sector N, field 78SPS02, number 028, version 2.

Version rule (DOMAIN.md asks us to decide): a requirement for unit number U at version v is met by holding U
at version v or newer. "Unit number U" means the same sector, field and number; the version is compared as a
number, so ``.02`` and ``.2`` are the same version.
"""

import re
from typing import NamedTuple

# Strict: the shape the decrees print. Loose: also a missing dot after the sector letter ("N78SPS02.011.1").
CODE_RE = re.compile(r"[A-Z]\.[0-9A-Z]{2,10}\.\d{3}\.\d{1,2}")
LOOSE_CODE_RE = re.compile(r"[A-Z]\.?\s?[0-9]{2}[0-9A-Z]{1,8}\.\s?\d{3}\.\s?\d{1,2}")
# For SKKNI tables: also a dot missing between field and number ("J.63OPR00001.2").
SKKNI_CODE_RE = re.compile(r"[A-Z]\.?\s?\d{2}[A-Z]{3}\d{2}\s?\.?\s?\d{3}\s?\.\s?\d{1,2}")


class UnitCode(NamedTuple):
    sector: str
    field: str
    number: str
    version: int

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the unit across versions."""
        return (self.sector, self.field, self.number)


def parse_code(code: str) -> UnitCode | None:
    """Split a code as printed; None if it is not a unit code at all."""
    m = _match(code)
    if not m:
        return None
    return UnitCode(m.group(1), m.group(2), m.group(3), int(m.group(4)))


def _match(code: str):
    compact = re.sub(r"\s+", "", code or "")
    return (re.fullmatch(r"([A-Z])\.?([0-9A-Z]{2,10})\.(\d{3})\.(\d{1,2})", compact)
            or re.fullmatch(r"([A-Z])\.?(\d{2}[A-Z]{3}\d{2})\.?(\d{3})\.?(\d{1,2})", compact))


def normalise(code: str) -> str:
    """The canonical spelling (dots in place, no spaces); version digits kept as printed."""
    m = _match(code)
    return f"{m.group(1)}.{m.group(2)}.{m.group(3)}.{m.group(4)}" if m else re.sub(r"\s+", "", code or "")


def satisfies(held: UnitCode, required: UnitCode) -> bool:
    """Holding ``held`` meets a requirement for ``required``: same unit number, same or newer version."""
    return held.key == required.key and held.version >= required.version
