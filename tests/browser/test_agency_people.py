"""Issue 29 item 5 in the browser, in Indonesian: the Kepala PD of Dinas Kesehatan sees a holder's certificate once
it is issued and the competence map (a scheme the position needs that the holder lacks shows as missing), exports
it, and Dinas Pendidikan's officer sees none of it; the pages pass axe-core at 390 px and 1280 px in both
languages. The steps live in ``tests/browser/agency_steps.py`` for other browser tests to call."""

import pytest

from agencies.models import AgencyMembership, PositionNeed
from applicants.models import Agency
from assessments.certificates import services as certs
from certportal.accounts.models import Role, User
from tests.applicants.factories import ProfileFactory, scheme_with_parts
from tests.assessments.conftest import alice_app, assessor, bob_app, event, scheme, site  # noqa: F401
from tests.assessments.factories import decide_event
from tests.browser import a11y, agency_steps
from tests.browser.conftest import TIMEOUT_MS
from tests.conftest import require_service
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSITION = "Analis Kepegawaian"


def _member(name: str, email: str, role: str, agency) -> User:
    user = UserFactory(full_name=name, email=email, roles=[role])
    AgencyMembership.objects.create(user=user, agency=agency, position=f"{name}, {agency}")
    return user


@pytest.fixture
def agencies(db, alice, bob, scheme):  # noqa: F811
    dinkes = Agency.objects.create(name="Dinas Kesehatan")
    disdik = Agency.objects.create(name="Dinas Pendidikan")
    ProfileFactory(user=alice, full_name="Alice Applicant, S.Sos.", org_unit=dinkes.name, position=POSITION)
    ProfileFactory(user=bob, full_name="Bobby Belum", org_unit=dinkes.name, position=POSITION)
    needed = scheme_with_parts()
    PositionNeed.objects.create(agency=dinkes, position=POSITION, scheme=scheme)
    PositionNeed.objects.create(agency=dinkes, position=POSITION, scheme=needed)
    return {"head": _member("dr. Hana Kepala", "hana@example.go.id", Role.AGENCY_HEAD, dinkes),
            "otto": _member("Otto Pengelola", "otto@example.go.id", Role.AGENCY_OFFICER, disdik),
            "needed": needed, "dinkes": dinkes}


def test_the_head_sees_the_certificate_once_issued_and_the_map_another_agency_nothing(
        page, live_server, agencies, event, lina, tono, asa, alice, scheme):  # noqa: F811
    url, head = live_server.url, agencies["head"]
    agency_steps.log_in(page, url, head.email, PASSWORD)
    page.goto(f"{url}{agency_steps.CERTIFICATES}")
    assert "Alice Applicant" not in page.locator('[data-testid="people-certificates"]').inner_text()
    assert "Pegawai Dinas Kesehatan" in page.locator("h1").inner_text()  # in Indonesian
    agency_steps.log_out(page)

    decided = decide_event(event, admin=lina, tuk_head=tono, assessor_user=asa, decision="K", accept_obligations=True)
    cert = certs.certificate_issue(decided.participants.get(application__applicant=alice), actor=lina)

    agency_steps.head_sees_certificate_and_map(
        page, url, email=head.email, password=PASSWORD, holder=cert.holder_name, number=cert.number,
        position=POSITION, missing_scheme=agencies["needed"].code, held_scheme=scheme.code)
    agency_steps.other_agency_sees_none(page, url, email=agencies["otto"].email, password=PASSWORD,
                                        names=[cert.holder_name, cert.number, POSITION, "Bobby Belum"])


def test_the_people_pages_pass_axe_at_both_widths_in_both_languages(browser, live_server, agencies, sofia):
    if not a11y.AXE_JS.exists():
        require_service("axe-core", "cd tests/a11y && npm ci")
    pages = ["/perangkat-daerah/pegawai/", "/perangkat-daerah/pegawai/sertifikat/",
             "/perangkat-daerah/pegawai/sertifikat/?group=expired", "/perangkat-daerah/pegawai/peta-kompetensi/",
             "/perangkat-daerah/pegawai/peta-kompetensi/?jabatan=analis+kepegawaian"]
    problems = []
    for user, query in ((agencies["head"], ""), (sofia, f"?agency={agencies['dinkes'].pk}")):
        for language in ("id", "en"):
            User.objects.filter(pk=user.pk).update(preferred_language=language)
            context = browser.new_context(base_url=live_server.url, locale="id-ID")
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            agency_steps.log_in(page, live_server.url, user.email, PASSWORD)
            for width, height in ((1280, 900), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                for path in pages:
                    target = path + (query.replace("?", "&") if "?" in path else query)
                    problems += [f"[{user.email} {language} {width}] {line}"
                                 for line in a11y.check_page(page, a11y.Page(target))]
                    assert page.locator("html").get_attribute("lang") == language
                    wide = page.evaluate("() => document.documentElement.scrollWidth")
                    assert wide <= width, f"{target} is {wide} px wide at {width} px"
            context.close()
    assert not problems, "\n".join(problems)
