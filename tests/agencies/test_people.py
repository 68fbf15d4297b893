"""Issue 29 item 5: the agency's view of its people. The officer and head of a perangkat daerah see their staff's
applications, their certificates by state (valid, expiring within 6 months, suspended, expired, withdrawn),
surveillance due and the competence map of each position; they export it; the supervisor sees every agency, or
one; nobody else sees any of it."""

import datetime

import pytest
from django.utils import timezone

from agencies import positions
from agencies.models import PositionNeed
from applicants.models import Status
from certportal.accounts.models import Role
from certportal.audit.models import AuditEntry
from certportal.workbooks import xlsx_rows
from schemes.models import Scheme
from tests.applicants.factories import scheme_with_parts

from .conftest import member
from .people_factory import application, certificate, staff

pytestmark = pytest.mark.django_db

BASE = "/perangkat-daerah/pegawai/"
CERTS = f"{BASE}sertifikat/"
MAP = f"{BASE}peta-kompetensi/"


def rows(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize("group,shown", [
    ("valid", "Rina Valid"), ("expiring", "Sari Expiring"), ("suspended", "Dedi Suspended"),
    ("expired", "Eko Expired"), ("withdrawn", "Fajar Withdrawn")])
def test_the_head_sees_each_state_of_the_staffs_certificates(world, hana, login, group, shown):
    page = login(hana).get(CERTS, {"group": group}).content.decode()
    table = rows(page, 'data-testid="people-certificates"')
    assert shown in table
    others = {"Rina Valid", "Sari Expiring", "Dedi Suspended", "Eko Expired", "Fajar Withdrawn"} - {shown}
    assert not any(name in table for name in others) and "Gina Guru" not in page
    assert f'data-group="{group}"' in page


def test_the_counts_of_each_state_and_the_whole_list(world, oki, login):
    page = login(oki).get(CERTS).content.decode()
    for group in ("valid", "expiring", "suspended", "expired", "withdrawn"):
        assert f'data-group="{group}" href="?group={group}">' in page
    table = rows(page, 'data-testid="people-certificates"')
    assert table.count("data-certificate=") == 5 and "Gina Guru" not in table
    assert "Expiring within 6 months" in page and "Budi Lacking" not in table


def test_surveillance_due_lists_the_anniversary_without_evidence(dinkes, hana, login):
    yearly = scheme_with_parts()
    Scheme.objects.filter(pk=yearly.pk).update(surveillance=Scheme.Surveillance.YEARLY)
    today = timezone.localdate()
    late = staff(dinkes, "Lukas Late", "Perawat Ahli")
    certificate(late, yearly, issued_on=today - datetime.timedelta(days=380))
    fresh = staff(dinkes, "Fina Fresh", "Perawat Ahli")
    certificate(fresh, yearly, issued_on=today - datetime.timedelta(days=100))
    page = login(hana).get(CERTS, {"group": "surveillance"}).content.decode()
    table = rows(page, 'data-testid="people-certificates"')
    assert "Lukas Late" in table and "Fina Fresh" not in table and "Surveillance due" in table
    home = login(hana).get("/perangkat-daerah/").content.decode()
    assert "Our people&#x27;s surveillance due" in home or "Our people's surveillance due" in home


def test_the_applications_list_filters_by_status_and_name(world, scheme, oki, login):
    client = login(oki)
    page = client.get(BASE).content.decode()
    table = rows(page, 'data-testid="people-applications"')
    assert "Budi Lacking" in table and "Rina Valid" in table and "Gina Guru" not in table
    submitted = rows(client.get(BASE, {"status": Status.SUBMITTED}).content.decode(),
                     'data-testid="people-applications"')
    assert "Budi Lacking" in submitted and "Rina Valid" not in submitted
    named = rows(client.get(BASE, {"q": "Rina"}).content.decode(), 'data-testid="people-applications"')
    assert "Rina Valid" in named and "Budi Lacking" not in named


def test_the_lists_cost_the_same_queries_for_3_or_30_people(dinkes, scheme, hana, login,
                                                             django_assert_max_num_queries):
    client = login(hana)
    for i in range(3):
        certificate(staff(dinkes, f"Pegawai {i}", "Perawat Ahli"), scheme)
    counted = {}
    for url in (BASE, CERTS, f"{CERTS}?group=expiring", MAP):
        with django_assert_max_num_queries(40) as small:
            assert client.get(url).status_code == 200
        counted[url] = len(small.captured_queries)
    for i in range(3, 30):
        certificate(staff(dinkes, f"Pegawai {i}", f"Jabatan {i % 4}"), scheme)
    for url, n in counted.items():
        with django_assert_max_num_queries(n):
            assert client.get(url).status_code == 200


def test_the_competence_map_shows_who_has_and_who_lacks_what_the_position_needs(world, scheme, hana, login):
    page = login(hana).get(MAP).content.decode()
    section = page.split('data-position="Perawat Ahli"', 1)[1].split("</section>", 1)[0]
    holders, lacking = section.split(f'data-need="{scheme.code}"', 1)[1].split("</tr>", 1)[0].split("Missing", 1)
    assert "Rina Valid" in holders and "Sari Expiring" in holders  # expiring is still held
    for name in ("Budi Lacking", "Dedi Suspended", "Eko Expired", "Fajar Withdrawn"):
        assert name in lacking
    unit = scheme.scheme_units.first().unit
    assert unit.code in section and "missing for 4 people" in section
    assert "Gina Guru" not in page and "Guru Ahli" not in page


def test_the_officer_records_and_removes_what_a_position_needs(world, dinkes, scheme, oki, otto, hana, login):
    other = scheme_with_parts()
    client = login(oki)
    done = client.post("/perangkat-daerah/pegawai/kebutuhan-jabatan/",
                       {"position": "  perawat   ahli ", "scheme": other.pk}, follow=True).content.decode()
    assert f"Recorded: the position perawat ahli needs {other.code}." in done
    need = PositionNeed.objects.get(scheme=other)
    assert AuditEntry.objects.filter(action=positions.ADDED, actor=oki).exists()
    again = client.post("/perangkat-daerah/pegawai/kebutuhan-jabatan/", {"position": "Perawat Ahli",
                                                                        "scheme": other.pk}, follow=True)
    assert f"The position Perawat Ahli already needs {other.code}." in again.content.decode()
    section = client.get(MAP).content.decode().split('data-position="Perawat Ahli"', 1)[1].split("</section>")[0]
    assert f'data-missing="{other.code}"' in section  # nobody holds it: missing for all six
    url = f"/perangkat-daerah/pegawai/kebutuhan-jabatan/{need.pk}/hapus/"
    assert login(otto).post(url).status_code == 404 and PositionNeed.objects.filter(pk=need.pk).exists()
    assert "Removed: perawat ahli" in client.post(url, follow=True).content.decode()
    assert "This need was already removed." in login(hana).post(url, follow=True).content.decode()


def test_the_export_has_the_rows_and_neutralises_formulas(world, dinkes, scheme, hana, login):
    certificate(staff(dinkes, "=HYPERLINK(\"http://x\")", "Perawat Ahli"), scheme)
    client = login(hana)
    response = client.get(f"{BASE}ekspor/sertifikat.xlsx", {"group": "valid"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = list(xlsx_rows(b"".join(response.streaming_content) if response.streaming else response.content))
    assert sheet[0][0] == "Certificate number" and sheet[0][9] == "State"
    names = {row[1] for row in sheet[1:]}
    assert "Rina Valid" in names and "'=HYPERLINK(\"http://x\")" in names and "Eko Expired" not in names
    text = b"".join(client.get(f"{BASE}ekspor/permohonan.csv").streaming_content).decode()
    assert "Budi Lacking" in text and "Gina Guru" not in text and "'=HYPERLINK" in text
    competence = b"".join(client.get(f"{BASE}ekspor/peta-kompetensi.csv").streaming_content).decode()
    assert "Perawat Ahli" in competence and scheme.code in competence
    assert client.get(f"{BASE}ekspor/rahasia.csv").status_code == 404


def test_the_supervisor_sees_every_agency_or_the_one_chosen(world, dinkes, disdik, sofia, login):
    client = login(sofia)
    everyone = client.get(CERTS).content.decode()
    assert "Gina Guru" in everyone and "Rina Valid" in everyone
    chosen = client.get(CERTS, {"agency": disdik.pk}).content.decode()
    assert "Gina Guru" in chosen and "Rina Valid" not in chosen
    page = client.get(MAP, {"agency": dinkes.pk}).content.decode()
    assert 'data-position="Perawat Ahli"' in page and 'data-testid="need-form"' not in page
    assert "choose one" in client.get(MAP).content.decode()
    assert client.get(f"{BASE}ekspor/peta-kompetensi.csv").status_code == 404
    assert "Gina Guru" in b"".join(client.get(f"{BASE}ekspor/sertifikat.csv").streaming_content).decode()
    assert client.post("/perangkat-daerah/pegawai/kebutuhan-jabatan/", {}).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_certificate_reduced_in_scope_is_exported_with_its_label(world, dinkes, scheme, sofia, login, fmt):
    """Issue 42 item 4: the XLSX answered 500 and the CSV a header only (no label for the state): the register
    looked empty."""
    certificate(staff(dinkes, "Rudi Reduced", "Perawat Ahli"), scheme, status="reduced")
    response = login(sofia).get(f"{CERTS.replace('sertifikat/', '')}ekspor/sertifikat.{fmt}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    text = repr(list(xlsx_rows(body))) if fmt == "xlsx" else body.decode()
    assert "Rudi Reduced" in text and "Rina Valid" in text and "Gina Guru" in text
    assert "Dikurangi ruang lingkupnya" in text or "Reduced in scope" in text


def test_the_sekretaris_daerah_reads_every_agency_of_the_province(world, dinkes, disdik, sekar, login):
    """docs/roles/agency.md gives the Sekda the province: every agency's people, or the one chosen; no recording."""
    client = login(sekar)
    everyone = client.get(CERTS).content.decode()
    assert "Gina Guru" in everyone and "Rina Valid" in everyone
    chosen = client.get(CERTS, {"agency": disdik.pk}).content.decode()
    assert "Gina Guru" in chosen and "Rina Valid" not in chosen
    assert "Budi Lacking" in client.get(BASE).content.decode()
    page = client.get(MAP, {"agency": dinkes.pk}).content.decode()
    assert 'data-position="Perawat Ahli"' in page and 'data-testid="need-form"' not in page
    assert "Gina Guru" in b"".join(client.get(f"{BASE}ekspor/sertifikat.csv").streaming_content).decode()
    assert client.post("/perangkat-daerah/pegawai/kebutuhan-jabatan/", {}).status_code == 403
    assert "/perangkat-daerah/pegawai/" in client.get("/perangkat-daerah/").content.decode()  # in the menu


def test_an_agency_officer_still_reads_only_their_own_agency(world, dinkes, disdik, oki, login):
    page = login(oki).get(CERTS, {"agency": disdik.pk}).content.decode()
    assert "Rina Valid" in page and "Gina Guru" not in page


PAGES = [BASE, CERTS, f"{CERTS}?group=surveillance", MAP, f"{BASE}ekspor/permohonan.xlsx",
         f"{BASE}ekspor/sertifikat.csv", f"{BASE}ekspor/peta-kompetensi.xlsx"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/akun/masuk/" in response.url


@pytest.mark.parametrize("url", PAGES)
def test_applicants_and_other_staff_are_refused(world, url, alice, victor, lina, login):
    for user in (alice, victor, lina):
        assert login(user).get(url).status_code == 403, (url, user)


@pytest.mark.parametrize("url", PAGES)
def test_another_agencys_officer_sees_none_of_it(world, url, otto, login):
    response = login(otto).get(url)
    assert response.status_code == 200
    body = (b"".join(response.streaming_content) if response.streaming else response.content)
    if url.endswith(".xlsx"):
        body = repr(list(xlsx_rows(body))).encode()
    for name in ("Rina Valid", "Budi Lacking", "Perawat Ahli", "Eko Expired"):
        assert name.encode() not in body, (url, name)


def test_an_agency_account_without_its_agency_sees_nobody(world, login):
    lost = member("Lost Head", "lost@example.go.id", Role.AGENCY_HEAD, None)
    for url in (BASE, CERTS, MAP):
        page = login(lost).get(url).content.decode()
        assert "not linked to an agency" in page and "Rina Valid" not in page and "Gina Guru" not in page
    assert login(lost).get(f"{BASE}ekspor/sertifikat.csv").status_code == 404


def test_someone_the_agency_proposed_is_not_its_person_when_their_profile_names_another(
        funded_round, scheme, dinkes, oki, hana, otto, login):
    """Issue 42: a proposal (say one made before the rule) does not make another agency's person the agency's."""
    from agencies.models import ProposalStatus

    from .conftest import person, propose

    proposal = propose(oki, funded_round, scheme, [person(1)]).proposals.get()
    elsewhere = staff(type(dinkes).objects.create(name="Dinas Perhubungan"), "Pia Proposed", "Perawat Ahli")
    cert = certificate(elsewhere, scheme)
    type(proposal).objects.filter(pk=proposal.pk).update(application=cert.application, status=ProposalStatus.APPLIED)
    client = login(hana)
    assert cert.number not in client.get(CERTS).content.decode()
    for url in (MAP, BASE):
        assert "Pia Proposed" not in client.get(url).content.decode()
    for what in ("permohonan", "sertifikat", "peta-kompetensi"):
        export = b"".join(client.get(f"{BASE}ekspor/{what}.csv").streaming_content).decode()
        assert "Pia Proposed" not in export and elsewhere.applicant_profile.nip not in export


@pytest.mark.postgresql("the plans are PostgreSQL's")
def test_an_agency_s_people_are_read_through_indexes_not_every_profile_or_application(
        dinkes, disdik, scheme, hana, login):
    """Issue 47: the agency's lists read its people's applications by the agency each carries (the rule of the
    roster and the profile, kept: ``Application.agency``), through an index condition, not from a walk of every
    application and profile of the province, each tested in turn; the applications list is the first entries of
    the agency's index, latest first, not a sort of all the agency's rows. Sequential scans are priced out, so
    that the planner shows how it would read a big table: every read of these tables must have an index
    condition."""
    import json

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agencies.models import RosterEntry

    rostered = staff(disdik, "Rani Roster", "Perawat Ahli")  # the profile says Disdik, the roster Dinkes: Dinkes's
    RosterEntry.objects.create(nip=rostered.applicant_profile.nip, name="Rani Roster", agency=dinkes)
    certificate(rostered, scheme)
    certificate(staff(dinkes, "Dodi Declared", "Perawat Ahli"), scheme)  # on no roster: his profile decides
    application(staff(disdik, "Gina Guru", "Guru Ahli"), scheme)
    client = login(hana)
    with CaptureQueriesContext(connection) as ctx:
        pages = [client.get(url).content.decode() for url in (BASE, CERTS)]
    assert all("Rani Roster" in page and "Dodi Declared" in page and "Gina Guru" not in page for page in pages)
    tables = {"applicants_application", "applicants_applicantprofile", "agencies_rosterentry"}
    whole = []

    def walk(node: dict, sql: str) -> None:
        kind = node["Node Type"]
        if node.get("Relation Name") in tables and not (
                kind in ("Index Scan", "Index Only Scan") and "Index Cond" in node or kind == "Bitmap Heap Scan"):
            whole.append(f"{kind} on {node['Relation Name']} in {sql[:120]}...")
        if kind == "Bitmap Index Scan" and "Index Cond" not in node:
            whole.append(f"{kind} of {node['Index Name']} without a condition")
        for child in node.get("Plans", ()):
            walk(child, sql)

    read = {q["sql"] for q in ctx.captured_queries if any(f'"{table}"' in q["sql"] for table in tables)}
    listed = [sql for sql in read if 'ORDER BY "applicants_application"."updated_at" DESC' in sql
              and "COUNT(" not in sql]
    assert len(read) >= 4 and len(listed) == 1, read  # the list, its count, the certificates and their counts
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in read:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            walk((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"], sql)
        cursor.execute("EXPLAIN " + listed[0])
        shown = "\n".join(row[0] for row in cursor.fetchall())
        held = [q["sql"] for q in ctx.captured_queries if 'ORDER BY "assessments_certificate"."expires_on" ASC'
                in q["sql"] and " LIMIT " in q["sql"]]
        assert len(held) == 1, held
        cursor.execute("EXPLAIN " + held[0])
        certificates = "\n".join(row[0] for row in cursor.fetchall())
    assert whole == [], "\n".join(whole)
    assert shown.startswith("Limit") and "Sort" not in shown, shown  # the agency's rows in the index's order
    assert "Index Scan Backward using app_agency_latest_idx" in shown, shown
    # the certificates: the first of the agency's own entries of its expiry index, not a walk of every certificate
    assert certificates.startswith("Limit") and "Sort" not in certificates, certificates
    assert "Index Scan using cert_agency_expiry_idx" in certificates, certificates


@pytest.mark.postgresql("the plan is PostgreSQL's")
def test_the_province_s_people_list_reads_its_first_page_off_the_latest_first_index(world, sekar, login):
    """Issue 47: the Sekretaris Daerah's list of every agency's applications, latest first, is the first entries
    of an index in that order (a Limit over an Index Scan and the joins of each row), not a sort of every application of the province."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page = login(sekar).get(BASE).content.decode()
    assert "Budi Lacking" in page and "Gina Guru" in page
    rows = [q["sql"] for q in ctx.captured_queries if 'ORDER BY "applicants_application"."updated_at" DESC' in q["sql"]
            and "COUNT(" not in q["sql"]]
    assert len(rows) == 1 and " LIMIT " in rows[0]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # what the planner does with a big table
        cursor.execute("EXPLAIN " + rows[0])
        plan = [row[0] for row in cursor.fetchall()]
    shown = "\n".join(plan)
    assert plan[0].startswith("Limit") and "Sort" not in shown, shown  # rows handed on in the index's order
    assert "Index Scan Backward using app_latest_idx on applicants_application" in shown, shown
