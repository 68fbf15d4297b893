"""Issue 42 item 4: every export labels every state of every status field it shows. The test finds every module
that writes a CSV or XLSX file, checks that each declares the state columns it shows (or says why it shows none),
and walks every declared column's states, from the status field's choices, in both languages. A download is whole
or an error: a row that fails gives the error page, never a file cut short."""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from certportal import exports

ROOT = Path(__file__).resolve().parents[2]
APPS = ("certportal", "schemes", "applicants", "assessments", "complaints", "agencies", "quality")
WRITES = re.compile(r"\b(csv_response|xlsx_response|table_response|write_csv|write_xlsx|Sheet)\(")

# Every module that writes an export -> the exports whose state columns it declares, or why it shows no state.
WRITERS = {
    "agencies.views.people_export": {"agencies.people.applications", "agencies.people.certificates"},
    "applicants.views.verifier": {"applicants.queue", "applicants.unit_recap"},
    "certportal.sla.views": {"certportal.sla.dashboard"},
    "complaints.views.reports": {"complaints.report"},  # its rows: complaints.queries.report_rows
    "quality.reports.sheets": {"quality.reports"},
    "quality.reports.paperwork": {"quality.reports"},  # the summary's figures, then the sheets' lists
    "agencies.importing": "the proposal template: headers, an example row and help, no state",
    "assessments.instruments.services.bank": "the question bank's template: headers and help, no state",
    "assessments.instruments.views.bank": "sends the question bank's template",
    "assessments.certificates.services.bnsp": "BNSP's registration request: identity, decision, numbers; no state "
                                              "(withdrawn and reduced certificates are not in it)",
    "assessments.certificates.views.bnsp": "sends BNSP's registration request",
    "certportal.exportjobs.services": "writes the tables its sources give (the queue, the recap, the SLA "
                                      "dashboard), whose columns are declared where they are built",
}


def _writers() -> set[str]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.name != "exports.py" and "migrations" not in path.parts and WRITES.search(path.read_text()):
                found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def test_every_module_that_writes_an_export_says_which_states_it_shows():
    assert _writers() == set(WRITERS), "a new export: declare its state columns (exports.state_column) here"
    for module in WRITERS:
        import_module(module)
    declared = {c.export for c in exports.state_columns()}
    for module, shown in WRITERS.items():
        if isinstance(shown, set):
            assert shown <= declared, (module, shown - declared)


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_state_of_every_exported_column_has_a_label(language, db):
    for module in WRITERS:
        import_module(module)
    columns = exports.state_columns()
    assert len(columns) >= 15
    missing = []
    with translation.override(language):
        for column in columns:
            for state in column.states():
                label = column.label(state) if state not in ("", None) else "-"
                if label in (None, "") or (str(label) == str(state) and not str(state).isupper()):
                    missing.append((column.export, column.column, state))
    assert not missing


def test_a_certificate_reduced_in_scope_is_in_the_states_of_the_agencys_export():
    import_module("agencies.views.people_export")
    column = next(c for c in exports.state_columns() if c.export == "agencies.people.certificates")
    assert {"reduced", "withdrawn", "suspended", "valid", "expired", "expiring"} <= set(column.states())
    with translation.override("en"):
        assert column.label("reduced") == "Reduced in scope"


@pytest.mark.urls("tests.core.download_urls")
def test_a_csv_whose_rows_fail_half_way_is_an_error_page_not_a_short_file(alice, db):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/unduh/broken.csv")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html") and not response.has_header("Content-Disposition")
    assert b"Pegawai 1" not in response.content
