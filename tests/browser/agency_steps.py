"""Steps of the agency's view of its people (issue 29 item 5) that another browser test can call, in Indonesian:
the Kepala PD sees a holder's certificate and the competence map, exports, and another agency's officer sees none
of it. Each step logs in itself (absolute URLs: the page needs no ``base_url``) and logs out at the end.

    from tests.browser import agency_steps
    agency_steps.head_sees_certificate_and_map(page, live_server.url, email=..., password=..., holder=...,
                                               number=cert.number, position="Analis Kepegawaian",
                                               missing_scheme="SKM-02")
"""

from __future__ import annotations

from playwright.sync_api import expect

from certportal.workbooks import xlsx_rows

CERTIFICATES = "/perangkat-daerah/pegawai/sertifikat/"
MAP = "/perangkat-daerah/pegawai/peta-kompetensi/"
APPLICATIONS = "/perangkat-daerah/pegawai/"


def log_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def log_out(page) -> None:
    page.context.clear_cookies()


def head_sees_certificate(page, url: str, *, holder: str, number: str) -> None:
    """On "Sertifikat" (already logged in): the holder's certificate, valid ("Berlaku"), under the valid tab."""
    page.goto(f"{url}{CERTIFICATES}")
    row = page.locator(f'[data-certificate="{number}"]')
    expect(row).to_contain_text(holder)
    expect(row).to_contain_text("Berlaku")
    page.locator('[data-testid="certificate-groups"] a[data-group="valid"]').click()
    expect(page.locator(f'[data-certificate="{number}"]')).to_be_visible()


def head_sees_map(page, url: str, *, holder: str, position: str, missing_scheme: str,
                  held_scheme: str | None = None) -> None:
    """On "Peta kompetensi": the position's card shows ``missing_scheme`` as missing ("Belum dimiliki") for the
    holder, and ``held_scheme`` (when given) as held by them; the position's own page lists the holder with it."""
    page.goto(f"{url}{MAP}")
    card = page.locator(f'section[data-position="{position}"]')
    expect(card).to_be_visible()
    missing = card.locator(f'tr[data-need="{missing_scheme}"] [data-missing="{missing_scheme}"]', has_text=holder)
    expect(missing).to_contain_text("Belum dimiliki")
    if held_scheme:
        expect(card.locator(f'tr[data-need="{held_scheme}"] .text-bg-success', has_text=holder)).to_be_visible()
    card.get_by_role("link", name="Setiap pegawai pada jabatan ini").click()  # the position's own page
    person = page.locator("[data-testid=position-people-page] tr[data-person]", has_text=holder)
    expect(person).to_contain_text(missing_scheme)


def head_exports(page, url: str, *, holder: str, number: str) -> list[tuple]:
    """"Ekspor (XLSX)" on the certificates page: a workbook whose rows include the holder's certificate."""
    page.goto(f"{url}{CERTIFICATES}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor (XLSX)").click()
    path = download.value.path()
    with open(path, "rb") as f:
        rows = list(xlsx_rows(f.read()))
    assert rows[0][0] == "Nomor sertifikat", rows[0]
    assert any(r[0] == number and r[1] == holder for r in rows[1:]), rows
    return rows


def head_sees_certificate_and_map(page, url: str, *, email: str, password: str, holder: str, number: str,
                                  position: str, missing_scheme: str, held_scheme: str | None = None) -> None:
    """The Kepala PD logs in, sees the holder's certificate once issued and the competence map, exports."""
    log_in(page, url, email, password)
    head_sees_certificate(page, url, holder=holder, number=number)
    head_sees_map(page, url, holder=holder, position=position, missing_scheme=missing_scheme,
                  held_scheme=held_scheme)
    head_exports(page, url, holder=holder, number=number)
    log_out(page)


def other_agency_sees_none(page, url: str, *, email: str, password: str, names: list[str]) -> None:
    """Another agency's officer (or head) logs in: none of ``names`` (people, certificate numbers, positions) is on
    any of the pages, whatever tab they open."""
    log_in(page, url, email, password)
    for path in (APPLICATIONS, CERTIFICATES, f"{CERTIFICATES}?group=valid", MAP):
        page.goto(f"{url}{path}")
        text = page.locator("main").inner_text()
        for name in names:
            assert name not in text, (path, name)
    log_out(page)
