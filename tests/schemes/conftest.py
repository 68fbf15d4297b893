from pathlib import Path

import pytest

from schemes.importers.kkni import parse_kkni
from schemes.importers.kkni_load import save_kkni

ROOT = Path(__file__).resolve().parents[2]
KKNI_FILE = ROOT / "fixtures" / "kkni" / "kepmenaker_3_2021.txt"
SKKNI_PDF = ROOT / "fixtures" / "skkni" / "skkni_2018_056_pengoperasian_komputer.pdf"


@pytest.fixture(scope="session")
def kkni_text() -> str:
    return KKNI_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kkni_parsed(kkni_text) -> dict:
    from django.utils import translation

    with translation.override("en"):
        return parse_kkni(kkni_text)


@pytest.fixture
def kkni(db, kkni_parsed):
    """Kepmenaker 3/2021 loaded into the database."""
    save_kkni(kkni_parsed)
    from schemes.models import Decree

    return Decree.objects.get(kind="kkni", number="3", year=2021)


@pytest.fixture
def english():
    """Messages in the English source language (the portal's default is Indonesian)."""
    from django.utils import translation

    with translation.override("en"):
        yield


SKKNI_DIR = ROOT / "fixtures" / "skkni"
SKKNI_053 = SKKNI_DIR / "skkni_2014_053_kewirausahaan_industri.pdf"
SKKNI_118 = SKKNI_DIR / "skkni_2014_118_video_editing.pdf"
SKKNI_072 = SKKNI_DIR / "skkni_2019_072_hubungan_industrial.pdf"
