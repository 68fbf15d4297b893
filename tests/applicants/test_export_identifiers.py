"""The queue's exports keep the 18-digit NIP whole when a verifier double-clicks them: the XLSX holds it as a text
cell formatted as text, and the CSV writes it so that LibreOffice (converted here with ``soffice``, the program a
double-click opens) and Excel keep it as text, never 1.98001E+17."""

import csv
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from applicants.models import Status
from tests.conftest import require_service

from .factories import ApplicationFactory, SchemeFactory

pytestmark = pytest.mark.django_db

NIP = "198001012005012001"


@pytest.fixture
def queue(victor, login):
    ApplicationFactory(scheme=SchemeFactory(), status=Status.SUBMITTED, applicant_name="Siti Aminah", nip=NIP)
    return login(victor)


def test_the_xlsx_holds_the_nip_as_text_formatted_as_text(queue):
    sheet = load_workbook(io.BytesIO(queue.get("/permohonan/antrian/ekspor.xlsx").getvalue())).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("NIP") + 1)
    assert (cell.value, cell.data_type, cell.number_format) == (NIP, "s", "@")
    assert sheet.cell(row=2, column=1).data_type == "n"  # the row number stays a number


def test_the_csv_nip_survives_a_double_click_into_libreoffice(queue, tmp_path):
    data = b"".join(queue.get("/permohonan/antrian/ekspor.csv").streaming_content)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][2] == "\t" + NIP  # a tab before the digits: text to Excel and LibreOffice, nothing to evaluate
    soffice = shutil.which("soffice")
    if soffice is None:
        require_service("LibreOffice", "sudo apt-get install libreoffice-calc-nogui")
    (tmp_path / "queue.csv").write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "queue.csv")],
                   check=True, capture_output=True, timeout=180)
    sheet = load_workbook(tmp_path / "out" / "queue.xlsx").active
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value.strip() == NIP, (cell.value, cell.data_type)
