"""Uploaded workbooks cost a bounded time and memory whatever their XML, and nothing the database refuses is taken
from them (issue 42): every importer (the agency's proposals, BNSP's returned numbers, the question bank) reads
through :mod:`certportal.workbooks`."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from agencies.importing import read_rows
from agencies.workflow import AgencyError
from assessments.certificates.services.bnsp import read_xlsx
from assessments.certificates.services.register_read import RegisterRefused, read_register
from assessments.errors import AssessmentError
from assessments.instruments.services.bank import read_bank_xlsx
from tests import hostile_files


def read_certificate_register(upload):
    return read_register(upload.read(), upload.name)


IMPORTERS = [(read_rows, AgencyError), (read_xlsx, AssessmentError), (read_bank_xlsx, AssessmentError),
             (read_certificate_register, RegisterRefused)]
HEADER = ["NIP", "Nama", "Surel"]


def _refusal(read, error, data: bytes, language: str = "en") -> str:
    with translation.override(language), pytest.raises(error) as refused:
        read(SimpleUploadedFile("daftar.xlsx", data))
    return str(refused.value)


@pytest.mark.parametrize(("read", "error"), IMPORTERS)
def test_a_workbook_of_nested_entities_is_refused_unread(read, error):
    data = hostile_files.xlsx_with_nested_entities(HEADER)
    assert len(data) < 6_000
    tracemalloc.start()
    try:
        message = _refusal(read, error, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "entities or a DTD" in message
    # Expanding it (or the XML parser refusing it part-way) costs about a second and 170 MB; the scan reads the
    # parts in 64 KB chunks and never starts the parser.
    assert peak < 4 * 1024 * 1024


@pytest.mark.parametrize(("read", "error"), IMPORTERS)
def test_a_sheet_in_utf16_is_refused(read, error):
    assert "not in UTF-8" in _refusal(read, error, hostile_files.xlsx_with_utf16_sheet(HEADER))


@pytest.mark.parametrize(("read", "error"), IMPORTERS)
def test_a_cell_with_a_control_character_is_refused_with_its_row(read, error):
    # DEL is a character XML allows; the portal takes none of the control characters its forms refuse
    assert "Row 1 holds a control character" in _refusal(read, error, hostile_files.xlsx_with_cell(HEADER, "a&#x7f;b"))


def test_the_refusal_is_in_the_readers_language():
    message = _refusal(read_rows, AgencyError, hostile_files.xlsx_with_nested_entities(HEADER), language="id")
    assert "mendeklarasikan entitas XML atau DTD" in message
