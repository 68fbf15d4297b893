"""Issue 30 item 4: accepting the certificate-holder obligations records which text was accepted (the rules of use'
version, the obligations and rules as read, their SHA-256), shown on the participant's page and in their data."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from assessments import services
from assessments.events.holder_rules import USE_RULES_VERSION, fingerprint
from certportal.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(decided, alice, alice_app):
    mine = decided.participants.get(application=alice_app)
    return services.participant_accept_obligations(mine, user=alice)


def test_the_acceptance_freezes_the_text_its_version_and_fingerprint(accepted, scheme):
    record = accepted.obligations_accepted
    assert record["version"] == USE_RULES_VERSION and record["language"] == "id"
    assert record["obligations"] == scheme.holder_obligations
    assert record["use_rules"][0].startswith("Gunakan sertifikat hanya untuk skema")
    assert record["sha256"] == fingerprint(USE_RULES_VERSION, record["obligations"], record["use_rules"])
    entry = AuditEntry.objects.get(action="holder obligations accepted")
    assert entry.note == f"{USE_RULES_VERSION} sha256:{record['sha256'][:16]}"


def test_the_page_shows_what_was_accepted_even_after_the_scheme_changes_its_obligations(accepted, scheme, alice,
                                                                                         login):
    before = scheme.holder_obligations
    scheme.holder_obligations = "Kewajiban baru yang belum pernah dibaca Alice."
    scheme.save(update_fields=["holder_obligations"])
    page = login(alice).get(reverse("assessments:my-participation", args=[accepted.pk])).content.decode()
    accepted_line = page.split('id="obligations-accepted"', 1)[1].split("</p>", 1)[0]
    assert f"aturan penggunaan versi {USE_RULES_VERSION}" in accepted_line
    assert accepted.obligations_accepted["sha256"][:16] in accepted_line
    text = page.split('id="obligations-accepted-text"', 1)[1].split("</details>", 1)[0]
    assert before in text and "Kewajiban baru" not in text
    assert "Gunakan sertifikat hanya untuk skema" in text
    accepted.refresh_from_db()
    assert accepted.obligations_accepted["obligations"] == before  # accepting again changes nothing
    services.participant_accept_obligations(accepted, user=alice)
    accepted.refresh_from_db()
    assert accepted.obligations_accepted["obligations"] == before


def test_the_personal_data_download_holds_the_accepted_text(accepted, alice, login):
    response = login(alice).post("/akun/data-pribadi/")
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    text = json.dumps(data, ensure_ascii=False)
    assert accepted.obligations_accepted["sha256"] in text
    assert f'"version": "{USE_RULES_VERSION}"' in text
