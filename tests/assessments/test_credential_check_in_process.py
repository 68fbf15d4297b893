"""The public check of an uploaded credential runs in the web process at the cost of a page view (issue 42): no
child process (each one cost 1.2 to 5 s, 30 a minute per address), our VC 1.1 proof check agrees with DIDKit's,
and a hostile document's canonicalisation is bounded. An uploaded credential holding a character the database
refuses is a form error, never a 500."""

import copy
import json
import resource
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.certificates.credentials import eddsa, keys, services, signature2018, vc2
from tests import module_world

from .factories import EVENT_WORLD, alice_certified

pytestmark = pytest.mark.django_db

SPAWNING = ("subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.system", "os.exec")
_seen: list[str] | None = None


def _audit(event: str, _args) -> None:
    if _seen is not None and event.startswith(SPAWNING):
        _seen.append(event)


sys.addaudithook(_audit)  # cannot be removed: it records only while a test watches (_seen is a list)


class Watch:
    """Every process this one starts while the block runs: Python's audit events (any way Python starts one) and
    the CPU time of children reaped (a child Python costs tens of milliseconds)."""

    def __enter__(self):
        global _seen
        _seen = self.events = []
        self.before = resource.getrusage(resource.RUSAGE_CHILDREN)
        return self

    def __exit__(self, *exc):
        global _seen
        _seen = None
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.child_cpu = (after.ru_utime + after.ru_stime) - (self.before.ru_utime + self.before.ru_stime)


globals().update(module_world.shared(alice_certified, *EVENT_WORLD, "cert", language="en"))  # once a module


def _upload(client, doc: dict | str):
    data = (doc if isinstance(doc, str) else json.dumps(doc)).encode("utf-8", "surrogatepass")
    return client.post(reverse("assessments:verify-credential"), {"berkas": SimpleUploadedFile("c.json", data)})


def test_a_check_of_either_form_starts_no_process(client, cert):
    credential = services.credential_for(cert)  # signing (DIDKit, a child process) happens once, at issue
    v1, v2 = credential.document, services.v2_document(credential)
    keys.all_keys.cache_clear()  # the keys' did:key are worked out again, inside the watch
    with Watch() as watch:
        started = time.perf_counter()
        answers = [_upload(client, v1), _upload(client, v2)]
        elapsed = time.perf_counter() - started
    assert [a.context["check"].verdict for a in answers] == ["valid", "valid"]
    assert cert.number in answers[0].content.decode()
    assert watch.events == [] and watch.child_cpu == 0
    assert elapsed < 5  # two checks; each child process alone used to cost 1.2 to 5 s


def test_our_vc1_check_agrees_with_didkit(cert):
    text = services.credential_for(cert).document
    doc = json.loads(text)
    assert signature2018.verify(doc) == doc["issuer"]["id"]
    assert keys.didkit({"op": "verify", "credential": text})["errors"] == []

    def changed(path, value):
        other = copy.deepcopy(doc)
        *parents, last = path
        target = other
        for key in parents:
            target = target[key]
        target[last] = value
        return other

    for other in [changed(("credentialSubject", "licenseNumber"), "X-1"),
                  changed(("credentialSubject", "identifier", 1, "identityHash"), "Nama Lain"),
                  changed(("expirationDate",), "2099-01-01T00:00:00Z"),
                  changed(("proof", "created"), "2020-01-01T00:00:00Z"),
                  changed(("proof", "jws"), doc["proof"]["jws"].replace("..", "..A", 1))]:
        assert keys.didkit({"op": "verify", "credential": json.dumps(other)})["errors"], other
        with pytest.raises(eddsa.ProofError):
            signature2018.verify(other)


def test_a_keys_did_is_the_one_didkit_gives(cert):
    for key in keys.all_keys():
        with Watch() as watch:  # and the watch above does see DIDKit's child process
            assert keys.did_of(key.jwk) == keys.didkit({"op": "did", "key": key.jwk}) == key.did
        assert watch.events == ["subprocess.Popen"] and watch.child_cpu > 0


def _poison(n: int) -> list[dict]:
    """Blank nodes all alike, each linked to every other: RDFC-1.0's n-degree hashing tries their permutations."""
    return [{"id": f"_:n{i}", "https://example.org/knows": [{"id": f"_:n{j}"} for j in range(n) if j != i]} for i in range(n)]


def test_a_poison_graph_is_refused_within_a_bound(client, cert):
    doc = json.loads(services.v2_document(services.credential_for(cert)))
    doc["credentialSubject"]["https://example.org/knows"] = _poison(8)  # unbounded, 6 such nodes cost a second, each more many times that
    started = time.perf_counter()
    with pytest.raises(eddsa.ProofError, match="too complex"):
        eddsa.canonical({k: v for k, v in doc.items() if k != "proof"})
    answer = _upload(client, doc).context["check"]
    assert time.perf_counter() - started < 10
    assert answer.verdict == "tampered"
    assert doc["@context"] == vc2.CONTEXTS


def test_a_large_document_is_refused_before_expansion(client, cert):
    doc = json.loads(services.v2_document(services.credential_for(cert)))
    # 7,000 small objects (about 220 KB, under the upload limit) cost PyLD's expansion about 20 s
    doc["credentialSubject"]["https://example.org/note"] = [{"https://example.org/n": i} for i in range(7_000)]
    started = time.perf_counter()
    with pytest.raises(eddsa.ProofError, match="too large"):
        eddsa.verify(doc)
    assert _upload(client, doc).context["check"].verdict == "tampered"
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("bad", ["\u0000", "\ud800", "\x1b"])
def test_a_credential_holding_a_character_the_database_refuses_is_a_form_error(client, cert, bad):
    for form in (json.loads(services.credential_for(cert).document),
                 json.loads(services.v2_document(services.credential_for(cert)))):
        form["credentialSubject"]["licenseNumber"] += bad
        response = _upload(client, json.dumps(form))  # ensure_ascii: the character travels as \\u escape
        assert response.status_code == 400
        assert "control character" in response.content.decode() or "karakter kendali" in response.content.decode()
