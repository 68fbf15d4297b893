"""Issue 48, optional part: one civil servant fetched from SIASN's web service by NIP, against a stand-in server
the test starts (the real address and tokens live only in the configuration): the answer is checked like an
imported row and written with the person's history; an unknown NIP, an unknown agency or a server that does not
answer change nothing; only the LSP admin and the BKPSDM may fetch."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from agencies import roster_sample
from agencies.models import RosterChange, RosterEntry
from tests.conftest import free_port

pytestmark = pytest.mark.django_db

FETCH = "/perangkat-daerah/daftar-pegawai/siasn/"
NIP = roster_sample.nip(77)


class Siasn(BaseHTTPRequestHandler):
    people: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        Siasn.seen.append((self.path, self.headers.get("Authorization"), self.headers.get("Auth")))
        nip = self.path.rsplit("/", 1)[-1]
        if nip not in Siasn.people:
            self.send_response(404)
            self.end_headers()
            return
        body = json.dumps({"success": True, "data": Siasn.people[nip]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def siasn(settings, dinkes):
    server = HTTPServer(("127.0.0.1", free_port()), Siasn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SIASN_API_URL = f"http://127.0.0.1:{server.server_port}/apisiasn/1.0/"
    settings.SIASN_API_KEY, settings.SIASN_API_TOKEN = "gateway-token", "sso-token"
    Siasn.people = {NIP: dict(zip(roster_sample.HEADER, roster_sample.person(77, ["Dinas Kesehatan"]), strict=True))}
    Siasn.seen = []
    yield Siasn
    server.shutdown()
    server.server_close()


def test_a_nip_is_fetched_with_the_configured_tokens_and_written_with_history(siasn, lina, login):
    response = login(lina).post(FETCH, {"nip": NIP})
    assert response.status_code == 302 and response.url.endswith(f"/nip/{NIP}/")
    assert siasn.seen == [(f"/apisiasn/1.0/pns/data-utama/{NIP}", "Bearer gateway-token", "bearer sso-token")]
    entry = RosterEntry.objects.get(nip=NIP)
    assert entry.agency.name == "Dinas Kesehatan" and entry.source == "siasn"
    siasn.people[NIP]["golRuangAkhir"] = "IV/b"
    login(lina).post(FETCH, {"nip": NIP})
    entry.refresh_from_db()
    assert entry.rank == "IV/b" and RosterChange.objects.filter(entry=entry, kind="changed").exists()


@pytest.mark.parametrize("case", ["unknown nip", "unknown agency", "no answer"])
def test_a_faulty_fetch_changes_nothing(siasn, lina, login, settings, case):
    nip = NIP
    if case == "unknown nip":
        nip = roster_sample.nip(78)
    elif case == "unknown agency":
        siasn.people[NIP]["unorIndukNama"] = "Dinas Antah Berantah"
    else:
        settings.SIASN_API_URL = f"http://127.0.0.1:{free_port()}/"
    page = login(lina).post(FETCH, {"nip": nip}, follow=True).content.decode()
    assert not RosterEntry.objects.exists()
    assert {"unknown nip": "does not know", "unknown agency": "Dinas Antah Berantah",
            "no answer": "could not be reached"}[case] in page


def test_only_the_lsp_admin_and_the_bkpsdm_fetch(siasn, alice, oki, victor, login, client):
    assert client.post(FETCH, {"nip": NIP}).status_code == 302 and not siasn.seen
    for user in (alice, oki):
        assert login(user).post(FETCH, {"nip": NIP}).status_code == 403
    assert not siasn.seen
    assert login(victor).post(FETCH, {"nip": NIP}).status_code == 302 and RosterEntry.objects.filter(nip=NIP).exists()
