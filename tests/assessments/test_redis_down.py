"""Redis stopped under a running portal (issue 45 item 1): the cache and the broker are the same real redis-server,
started by the test on a free port with production's cache (the fail-soft Redis backend); stopped mid-test, every
public and staff page still answers, the complaint is saved and its e-mail waits in the outbox, /healthz says what
is degraded; started again, the cache and the broker work again and the e-mail goes out.
"""

import shutil
import subprocess

import pytest
import redis
from django.urls import reverse

from assessments import services
from assessments.certificates import services as certs
from certportal.outbox.models import OutboxMessage
from certportal.settings.base import fail_soft_cache
from complaints.models import Complaint
from tests.assessments.factories import decide
from tests.conftest import client_for, free_port, temporary_celery_app, wait_for

from .test_views import reviewed  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


class RedisServer:
    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        binary = shutil.which("redis-server")
        if not binary:
            pytest.skip("redis-server is not installed")
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.dir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, timeout=20)

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {"default": fail_soft_cache({"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                   "LOCATION": server.url})}
    settings.CACHE_RETRY_SECONDS = 0  # ask Redis again on the next call: the test sees it come back at once
    settings.CELERY_BROKER_URL = server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with temporary_celery_app(server.url):
            yield server
    finally:
        server.stop()


# pages about no one record, kept per reader in the cache (certportal.kept_pages.WHOLE, certportal.figures)
KEPT_WHOLE = ("quality:system-home", "quality:system-documents", "quality:competence-list", "agencies:round-list",
              "assessments:certificates")


def complain(client) -> object:
    return client.post("/pengaduan/publik/", {
        "name": "Citra", "email": "citra@example.go.id", "phone": "", "object_text": "Verifikasi berkas",
        "reference": "", "service_date": "", "message": "Berkas saya dikembalikan tanpa alasan.", "website": ""})


def test_with_redis_stopped_every_page_answers_and_the_complaint_waits_in_the_outbox(
        redis_server, reviewed, alice, lina, victor, client):  # noqa: F811
    p = reviewed.participants.get(application__applicant=alice)
    decide(p, actor=lina, decision="K")
    services.participant_accept_obligations(p, user=alice)
    cert = certs.certificate_issue(p, actor=lina)
    verifier, admin = client_for(victor), client_for(lina)
    verify = reverse("assessments:verify-code", args=[cert.verification_code])
    assert client.get(verify).status_code == 200  # Redis up: the cache is Redis
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0
    health = client.get("/healthz").json()
    assert (health["cache"], health["broker"], health["status"]) == ("ok", "ok", "ok")

    redis_server.stop()
    for _ in range(3):  # again and again, as the issue's 43 submissions and 103 look-ups
        page = client.get(verify)
        assert page.status_code == 200 and cert.number in page.content.decode()
        assert client.get("/pengaduan/publik/").status_code == 200
        home, queue = verifier.get("/beranda/", follow=True), verifier.get("/permohonan/antrian/")
        assert home.status_code == 200 and queue.status_code == 200, (home.status_code, queue.status_code)
        kept = {name: admin.get(reverse(name)) for name in KEPT_WHOLE}  # pages kept per reader, drawn instead
        assert {name: r.status_code for name, r in kept.items()} == dict.fromkeys(KEPT_WHOLE, 200)
    assert cert.number in kept["assessments:certificates"].content.decode()
    answer = complain(client)
    complaint = Complaint.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(complaint.tracking_url())
    waiting = OutboxMessage.objects.get(kwargs__to=["citra@example.go.id"])
    assert waiting.status == "pending"
    health = client.get("/healthz")
    assert health.status_code == 200  # the host still serves: the load balancer keeps it
    assert health.json()["degraded"] == ["broker", "cache"] and health.json()["status"] == "degraded"

    redis_server.start()  # back, empty: the mail is handed over and the cache fills again
    from certportal.outbox.services import relay_pending

    assert relay_pending() == 1
    waiting.refresh_from_db()
    assert waiting.status == "sent"
    assert redis.Redis.from_url(redis_server.url).llen("celery") == 1  # the e-mail task, queued for the worker
    assert client.get(verify).status_code == 200 and verifier.get("/permohonan/antrian/").status_code == 200
    assert redis.Redis.from_url(redis_server.url).dbsize() > 1  # the pages cache in Redis again
    assert client.get("/healthz").json()["status"] == "ok"


def test_an_invalidation_missed_while_redis_did_not_answer_is_made_when_it_answers_again(redis_server, settings):
    from django.core.cache import cache

    settings.CACHE_TIMEOUT_SECONDS = 0.5
    settings.CACHE_RETRY_SECONDS = 1  # the delete below is not even sent: Redis is left alone meanwhile
    direct = redis.Redis.from_url(redis_server.url)
    cache.set("applicants:queue:counts", {"submitted": 3}, None)  # what a page showed before the change
    direct.execute_command("CLIENT", "PAUSE", "2000", "ALL")  # Redis stops answering, its data kept
    assert cache.get("applicants:queue:counts") is None  # a miss: the page counts from the database
    cache.delete("applicants:queue:counts")  # a status change forgets the counts: Redis does not hear of it
    wait_for(lambda: cache.add("probe", 1), timeout=10)  # Redis answers again: the missed delete is made
    assert cache.get("applicants:queue:counts") is None and not direct.exists(cache.make_key("applicants:queue:counts"))
