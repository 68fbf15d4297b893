"""The LSP profile page: the LSP admin sets the name, logo, BNSP licence, signatory and city printed on documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certportal.audit.models import AuditEntry
from certportal.lsp.models import LspProfile
from certportal.lsp.services import current_profile
from tests.hostile_files import polyglot_pdf_html, real_png, svg_with_script

pytestmark = pytest.mark.django_db

URL = "/profil-lsp/"
GOOD = {"name": "LSP BPSDM Provinsi DKI Jakarta", "licence_number": "BNSP-LSP-1207-ID",
        "address": "Jl. Abdul Muis No. 66, Jakarta Pusat", "city": "Jakarta",
        "signatory_name": "Dr. Hj. Sri Haryati, M.Si.", "signatory_position": "Ketua LSP",
        "signatory_nip": "197205121998032004"}


def test_the_profile_page_is_the_lsp_admins_alone(login, lina, alice, victor, sofia, client):
    assert reverse("lsp:profile") == URL
    assert login(lina).get(URL).status_code == 200
    for other in (alice, victor, sofia):
        assert login(other).get(URL).status_code == 403
        assert login(other).get(reverse("lsp:logo")).status_code == 403
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and f"next={URL}" in anonymous["Location"]
    assert client.get(reverse("lsp:logo")).status_code == 302


def test_the_lsp_admin_finds_the_page_in_the_administration_menu(login, lina):
    page = login(lina).get(reverse("home"), follow=True).content.decode()
    assert URL in page and "Profil LSP" in page


def test_saving_the_profile_is_audited_field_by_field_and_the_logo_is_served_privately(login, lina):
    client = login(lina)
    logo = SimpleUploadedFile("logo.png", real_png(), content_type="image/png")
    response = client.post(URL, {**GOOD, "logo": logo}, follow=True)
    assert "Profil LSP disimpan" in response.content.decode()
    assert "Terakhir diubah oleh Lina LSP Admin" in response.content.decode()
    profile = LspProfile.objects.get()
    assert profile.signatory_nip == GOOD["signatory_nip"] and profile.logo.name.startswith("lsp/")
    assert "logo" not in profile.logo.name.rsplit("/", 1)[1]  # a random name, never the uploader's
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"lsp.profile.name", "lsp.profile.signatory_nip", "lsp.profile.logo"} <= codes
    served = client.get(reverse("lsp:logo"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "private, no-store"
    client.post(URL, {**GOOD, "city": "Jakarta Pusat"})
    entry = AuditEntry.objects.filter(action="lsp.profile.city").latest("pk")
    assert (entry.from_state, entry.to_state) == ("Jakarta", "Jakarta Pusat")
    assert AuditEntry.objects.filter(action="lsp.profile.logo").count() == 1  # no new logo: kept, nothing logged
    assert current_profile().logo.name == profile.logo.name


@pytest.mark.parametrize("name,data", [("logo.svg", svg_with_script("http://127.0.0.1:9/")),
                                       ("logo.png", svg_with_script("http://127.0.0.1:9/")),
                                       ("logo.png", polyglot_pdf_html("http://127.0.0.1:9/")),
                                       ("logo.pdf", b"%PDF-1.4\n" + real_png())])
def test_a_hostile_logo_is_refused_with_a_clear_message_and_nothing_typed_is_lost(login, lina, name, data):
    response = login(lina).post(URL, {**GOOD, "logo": SimpleUploadedFile(name, data, content_type="image/png")})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"“{name}” bukan berkas" in page and "gambar PNG" in page  # "is not a real PNG image, JPEG image file"
    assert GOOD["signatory_name"] in page and GOOD["licence_number"] in page
    assert not LspProfile.objects.exists() and not AuditEntry.objects.filter(action__startswith="lsp.").exists()


def test_a_huge_logo_is_refused(login, lina, settings):
    settings.MAX_UPLOAD_MB = 0.001
    response = login(lina).post(URL, {**GOOD, "logo": SimpleUploadedFile("logo.png", real_png() + b"\0" * 4096)})
    assert "batasnya" in response.content.decode() or "MB" in response.content.decode()
    assert not LspProfile.objects.exists()


def test_a_malformed_signatory_nip_is_explained(login, lina):
    page = login(lina).post(URL, {**GOOD, "signatory_nip": "19721312199803200"}).content.decode()
    assert "18 digit" in page and not LspProfile.objects.exists()
    page = login(lina).post(URL, {**GOOD, "signatory_nip": "197213121998032004"}).content.decode()
    assert "bukan tanggal" in page and not LspProfile.objects.exists()  # month 13 is no date of birth


def test_a_name_as_long_as_the_profile_allows_is_saved_and_audited_in_full(client, lina):
    """The LSP's name (200 characters) is longer than the audit trail's state columns: the change is saved and
    audited (on PostgreSQL a longer value was refused: a 500), the whole name in the entry's note."""
    client.force_login(lina)
    name = ("Lembaga Sertifikasi Profesi Badan Pengembangan Sumber Daya Manusia Provinsi Daerah Khusus Ibukota "
            "Jakarta Bidang Pengembangan Kompetensi Aparatur Sipil Negara dan Pelayanan Publik Terpadu Satu")[:200]
    response = client.post(URL, {**GOOD, "name": name}, follow=True)
    assert response.status_code == 200 and "Profil LSP disimpan" in response.content.decode()
    assert LspProfile.objects.get().name == name
    entry = AuditEntry.objects.filter(action="lsp.profile.name").latest("pk")
    assert entry.to_state.endswith("…") and len(entry.to_state) <= 64 and name in entry.note
