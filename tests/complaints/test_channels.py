"""Seed 001 item 6.1–6.4: the public complaint page lists every other channel (in person with the address, the
service unit's e-mail, the helpdesk, SP4N-LAPOR!) from the LSP profile, as the LSP admin recorded them."""

import pytest
from django.urls import reverse

from certportal.lsp.models import LspProfile

pytestmark = pytest.mark.django_db


def test_the_complaint_page_lists_the_four_channels_from_the_lsp_profile(client, login, lina):
    page = client.get(reverse("complaints:public-new")).content.decode()
    assert 'data-channel="in_person"' in page and "mailto:" not in page  # nothing recorded yet but SP4N-LAPOR!
    assert 'SP4N-LAPOR!: <a href="https://www.lapor.go.id/"' in page  # the national channel, by default
    login(lina).post("/profil-lsp/", {
        "name": "LSP Uji", "city": "Jakarta", "complaint_office": "Bidang Pengembangan SDM ASN, Jl. Abdul Muis 66",
        "complaint_email": "pengaduan@lsp.go.id", "helpdesk": "(021) 3865580, Senin–Jumat 08.00–16.00",
        "lapor_url": "https://www.lapor.go.id/"})
    assert LspProfile.objects.get().complaint_email == "pengaduan@lsp.go.id"
    page = client.get(reverse("complaints:public-new")).content.decode()
    channels = page[page.index('id="complaint-channels"'):page.index("</section>", page.index('id="complaint-channels"'))]
    assert "Datang langsung: Bidang Pengembangan SDM ASN, Jl. Abdul Muis 66" in channels
    assert 'href="mailto:pengaduan@lsp.go.id"' in channels
    assert "Helpdesk (petugas layanan): (021) 3865580, Senin–Jumat 08.00–16.00" in channels
    assert 'SP4N-LAPOR!: <a href="https://www.lapor.go.id/"' in channels


def test_a_hostile_channel_is_refused_or_shown_as_text(login, lina, client):
    response = login(lina).post("/profil-lsp/", {"name": "LSP Uji", "city": "Jakarta",
                                                 "complaint_email": "bukan-email",
                                                 "lapor_url": "javascript:alert(1)"})
    assert response.status_code == 200 and not LspProfile.objects.exists()
    login(lina).post("/profil-lsp/", {"name": "LSP Uji", "city": "Jakarta",
                                      "helpdesk": "<script>alert(1)</script>"})
    page = client.get(reverse("complaints:public-new")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
