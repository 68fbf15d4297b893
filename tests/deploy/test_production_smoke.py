"""The production shape, run for real: the start scripts in deploy/ (migrate, web, worker, beat) with
``certportal.settings.prod`` against PostgreSQL and Redis, behind Debian's nginx terminating TLS with a throw-away
certificate, after ``collectstatic``. Everything is asked through nginx, as a browser would.

Clients are told apart the way a real proxy sees them: the test connects from 127.0.0.2 and 127.0.0.3 (the whole
127.0.0.0/8 is this machine), nginx appends the address it saw to X-Forwarded-For, and the portal trusts one proxy
(TRUSTED_PROXY_COUNT=1).

The deployment has its own database (``<DATABASE_URL's name>_smoke``), the serial pass's Redis database
(``worker_broker_url``) and its own folders; it is started once for this module and stopped (every process group it
started) even when a test fails.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests import migrated_db
from tests.conftest import require_service, worker_broker_url
from tests.pdf_layout import embedded_fonts, pdf_text

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
ALICE = ("127.0.0.2", "pemohon@demo.go.id")  # the demo applicant, at her desk
VICTOR = ("127.0.0.3", "verifikator@demo.go.id")  # the demo verifier, at another
LINA = ("127.0.0.4", "admin.lsp@demo.go.id")
DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 - the demo accounts' documented password
LOGIN_FAILURE_LIMIT = 3
VERIFY_PER_MINUTE = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """A tiny HTTPS client that connects from ``source`` (its address as nginx sees it) and keeps cookies."""

    port: int
    source: str
    tls: ssl.SSLContext
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        conn = http.client.HTTPSConnection("localhost", self.port, source_address=(self.source, 0), context=self.tls,
                                           timeout=60)
        origin = f"https://localhost:{self.port}"
        sent = {"Origin": origin, "Referer": origin + "/", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict, *, files: dict | None = None, **headers) -> Response:
        if "csrftoken" not in self.cookies:
            self.get(path if files is None else "/")
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        if files is None:
            body = urlencode(fields, doseq=True).encode()
            ctype = "application/x-www-form-urlencoded"
        else:
            body, ctype = multipart(fields, files)
        return self.request("POST", path, body=body, headers={"Content-Type": ctype, **headers})

    def login(self, email: str, password: str = DEMO_PASSWORD, **headers) -> Response:
        self.get(reverse("accounts:login"))
        return self.post(reverse("accounts:login"), {"username": email, "password": password}, **headers)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: {ctype}\r\n\r\n".encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class Deployment:
    """Everything the smoke test starts: its database, folders, the deploy/ processes and nginx."""

    def __init__(self, tmp: Path, db_server: str, db_name: str, redis_url: str):
        self.tmp, self.db_server, self.db_name, self.redis_url = tmp, db_server, db_name, redis_url
        self.web_port, self.https_port, self.http_port = free_port(), free_port(), free_port()
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.env = {
            **os.environ,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "certportal.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "localhost",
            "SITE_URL": f"https://localhost:{self.https_port}",
            "DATABASE_URL": f"{db_server}/{db_name}",
            "REDIS_URL": redis_url,
            "CACHE_URL": redis_url,
            "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
            "CREDENTIAL_KEY_DIR": str(tmp / "credentials"),  # the deployment's own key, made by the demo's load
            "CREDENTIAL_KEY_CREATE": "true",
            "STATIC_ROOT": str(tmp / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp / "mail"),
            "TRUSTED_PROXY_COUNT": "1",
            "WEB_BIND": f"127.0.0.1:{self.web_port}",
            "WEB_WORKERS": "2",
            "WORKER_CONCURRENCY": "2",
            "ASSESSMENT_PRINT_PROCESSES": "2",
            "BEAT_SCHEDULE_FILE": str(tmp / "celerybeat-schedule"),
            "SLA_SWEEP_MINUTES": "0.1",
            "WORKER_HEARTBEAT_SECONDS": "2",  # beat asks the worker for a heartbeat every 2 s
            "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
            "ASSESSMENT_VERIFY_PER_MINUTE": str(VERIFY_PER_MINUTE),
            "COMPLAINTS_PUBLIC_PER_HOUR": "2",
            "LOG_LEVEL": "INFO",
        }
        for name in ("DEBUG", "CELERY_BROKER_URL", "EMAIL_URL", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT"):
            self.env.pop(name, None)
        self.tls: ssl.SSLContext | None = None  # made with the certificate (make_certificate)

    # --- database -------------------------------------------------------------------------------------------
    def sql(self, query: str, *params):
        import psycopg2

        conn = psycopg2.connect(f"{self.db_server}/{self.db_name}", connect_timeout=5)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall() if cur.description else None
        finally:
            conn.close()

    def _admin(self, statement: str) -> None:
        import psycopg2

        conn = psycopg2.connect(f"{self.db_server}/postgres", connect_timeout=5)
        conn.autocommit = True
        try:
            conn.cursor().execute(statement)
        finally:
            conn.close()

    def create_database(self, template: str | None = None) -> None:
        """Empty, or a copy of ``template`` (the test run's migrated template: ``deploy/migrate`` then finds every
        migration applied, as on an upgrade, instead of spending a minute on 170-odd from nothing)."""
        self.drop_database()
        self._admin(f'CREATE DATABASE "{self.db_name}"' + (f' TEMPLATE "{template}"' if template else ""))

    def drop_database(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    # --- processes ------------------------------------------------------------------------------------------
    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def finish(self, name: str, timeout: float = 300) -> None:
        """Wait for a one-shot command started with :meth:`start` (stopped with the services if the set-up fails
        before it ends) and check that it succeeded."""
        proc = dict(self.processes)[name]
        proc.wait(timeout=timeout)
        assert proc.returncode == 0, f"{name} failed:\n{(self.tmp / f'{name}.log').read_text()}"
        self.processes.remove((name, proc))  # done: not one of the services that must stay up

    def start(self, name: str, *args: str) -> None:
        log = (self.tmp / f"{name}.log").open("w")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # its own process group: stopped with all its children
        self.processes.append((name, proc))

    def stop(self) -> None:
        for _name, proc in reversed(self.processes):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in reversed(self.processes):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):  # children a leader left behind go with its group
                os.killpg(proc.pid, signal.SIGKILL)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.read_text()[-6000:]}" for p in sorted(self.tmp.glob("*.log")))

    # --- nginx and TLS --------------------------------------------------------------------------------------
    def make_certificate(self) -> None:
        tls = self.tmp / "tls"
        tls.mkdir()
        self.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                 "-addext", "subjectAltName=DNS:localhost", "-keyout", str(tls / "key.pem"),
                 "-out", str(tls / "cert.pem"))
        self.tls = ssl.create_default_context(cafile=str(tls / "cert.pem"))

    def nginx_config(self) -> Path:
        """deploy/nginx/certportal.conf.template, filled in as the nginx image would, inside a minimal main file."""
        from string import Template

        site = Template((ROOT / "deploy" / "nginx" / "certportal.conf.template").read_text()).safe_substitute(
            NGINX_SERVER_NAME="localhost", NGINX_HTTP_LISTEN=f"127.0.0.1:{self.http_port}",
            NGINX_HTTPS_LISTEN=f"127.0.0.1:{self.https_port} ssl", NGINX_UPSTREAM=f"127.0.0.1:{self.web_port}",
            NGINX_SSL_CERT=str(self.tmp / "tls" / "cert.pem"), NGINX_SSL_KEY=str(self.tmp / "tls" / "key.pem"))
        assert "${NGINX_" not in site, "every placeholder is filled"
        (self.tmp / "site.conf").write_text(site)
        temp = self.tmp / "nginx-temp"
        temp.mkdir()
        main = f"""
{'user root;' if os.geteuid() == 0 else ''}
daemon off;
worker_processes 1;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {self.tmp}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.tmp}/site.conf;
}}
"""
        path = self.tmp / "nginx.conf"
        path.write_text(main)
        return path

    def browser(self, source: str = "127.0.0.1") -> Browser:
        return Browser(self.https_port, source, self.tls)

    def wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self.processes:
                assert proc.poll() is None, f"{name} exited early:\n{self.logs()}"
            try:
                if self.browser().get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail("the portal did not answer /healthz through nginx in time:\n" + self.logs())


def _services() -> tuple[str, str, str]:
    """(PostgreSQL server URL, smoke database name, Redis URL of the smoke's own database); fails in CI without."""
    nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if not nginx or not shutil.which("openssl"):
        require_service("nginx and openssl", "apt-get install nginx openssl (.ci/run installs them)")
    db_url = os.environ.get("DATABASE_URL", "")
    if not db_url.startswith("postgres"):
        require_service("PostgreSQL", "set DATABASE_URL=postgres://... to run the production smoke test")
    server, name = db_url.rsplit("/", 1)
    return server, f"{name.split('?')[0]}_smoke", worker_broker_url()


@pytest.fixture(scope="module")
def portal(tmp_path_factory, django_db_setup, django_db_blocker):
    server, db_name, redis_url = _services()
    import redis
    from django.db import connection

    tmp = tmp_path_factory.mktemp("smoke")
    dep = Deployment(tmp, server, db_name, redis_url)
    redis.Redis.from_url(redis_url).flushdb()
    with django_db_blocker.unblock():
        dep.create_database(migrated_db.kept_template(connection))
    try:
        # collectstatic (a minute of one core: whitenoise compresses every file) beside the migrations and the rows,
        # which render no page: the serial pass leaves the other core idle
        dep.start("collectstatic", str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0")
        dep.run("deploy/migrate")
        dep.ids = json.loads(dep.run(str(BIN / "python"), "tests/deploy/smoke_data.py").strip().splitlines()[-1])
        dep.finish("collectstatic")
        dep.make_certificate()
        dep.start("web", "deploy/web")
        dep.start("worker", "deploy/worker", "--without-gossip", "--without-mingle")
        dep.start("beat", "deploy/beat")
        nginx = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
        dep.start("nginx", nginx, "-e", str(tmp / "nginx-error.log"), "-p", str(tmp), "-c", str(dep.nginx_config()))
        dep.wait_until_up()
        yield dep
    finally:
        dep.stop()
        print(dep.logs())  # shown by pytest when a test failed
        redis.Redis.from_url(redis_url).flushdb()
        dep.drop_database()


def wait_for(predicate, timeout: float, what: str, portal: Deployment):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen in {timeout:.0f} s:\n{portal.logs()}")


# --- the tests ----------------------------------------------------------------------------------------------


def test_healthz_answers_through_nginx_and_to_the_container_probe(portal):
    response = portal.browser().get("/healthz")
    assert response.status == 200
    body = json.loads(response.body)
    assert (body["status"], body["database"], body["broker"], body["storage"]) == ("ok", "ok", "ok", "ok")
    # the prefork worker, driven by beat, stamps its heartbeat and /healthz reports it
    healthy = wait_for(lambda: json.loads(portal.browser().get("/healthz").body)["worker"] == "ok", 60,
                       "the worker's heartbeat on /healthz", portal)
    assert healthy
    # the docker-compose probe: straight to gunicorn by its internal address, which ALLOWED_HOSTS does not admit
    conn = http.client.HTTPConnection("127.0.0.1", portal.web_port, timeout=10)
    conn.request("GET", "/healthz")
    assert conn.getresponse().status == 200
    conn.close()


def test_plain_http_is_sent_to_https(portal):
    conn = http.client.HTTPConnection("127.0.0.1", portal.http_port, timeout=10)
    conn.request("GET", "/asesmen/verifikasi/", headers={"Host": "localhost"})
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/asesmen/verifikasi/"
    conn.close()


def test_pages_carry_the_security_headers(portal):
    response = portal.browser().get("/")
    assert response.status == 200
    assert "max-age=31536000" in response.header("Strict-Transport-Security")
    csp = response.header("Content-Security-Policy")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("X-Frame-Options") == "DENY"
    assert "nginx/" not in response.header("Server")  # server_tokens off


def test_static_files_are_collected_hashed_and_cached_for_a_year(portal):
    page = portal.browser().get("/").text
    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page links the hashed stylesheet collectstatic wrote"
    response = portal.browser().get(css.group(1))
    assert response.status == 200
    assert response.header("Content-Type").startswith("text/css")
    cache = response.header("Cache-Control")
    assert "immutable" in cache and int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600
    assert b"sourceMappingURL" not in response.body


def test_an_applicant_uploads_and_a_verifier_opens_it_each_seen_at_their_own_address(portal):
    from applicants.samples import sample_pdf

    alice = portal.browser(ALICE[0])
    assert alice.login(ALICE[1]).status == 302
    app_id, doc_id = portal.sql(
        "SELECT a.id, d.id FROM applicants_application a JOIN accounts_user u ON u.id = a.applicant_id "
        "JOIN applicants_applicationdocument d ON d.application_id = a.id "
        "WHERE u.email = %s AND a.status = 'returned' ORDER BY d.id LIMIT 1", ALICE[1])[0]
    pdf = sample_pdf("SK Pangkat terbaru")
    response = alice.post(reverse("applicants:upload", args=[app_id, doc_id]), {},
                          files={"file": ("sk-pangkat-baru.pdf", pdf, "application/pdf")})
    assert response.status == 302, response.text[:2000]
    file_id, ip = portal.sql(
        "SELECT f.id, e.ip_address FROM applicants_documentfile f JOIN audit_auditentry e "
        "ON e.action = 'applicants.application.document_uploaded' AND e.object_id = %s WHERE f.original_name = 'sk-pangkat-baru.pdf' "
        "ORDER BY e.id DESC LIMIT 1", str(app_id))[0]
    assert ip == ALICE[0]  # the audit row names alice's address, not nginx's

    victor = portal.browser(VICTOR[0])
    assert victor.login(VICTOR[1]).status == 302
    opened = victor.get(reverse("applicants:file", args=[file_id]))
    assert opened.status == 200 and opened.header("Content-Type") == "application/pdf"
    assert opened.body == pdf
    assert portal.sql("SELECT ip_address FROM applicants_documentaccess WHERE file_id = %s", file_id) == [(VICTOR[0],)]
    # and alice, still logged in, cannot open what is not hers
    assert alice.get(reverse("applicants:queue")).status == 403


def test_the_login_lockout_counts_clients_apart_and_a_forged_header_unlocks_nothing(portal):
    email = "mutu@demo.go.id"
    attacker = portal.browser("127.0.0.5")
    for _ in range(LOGIN_FAILURE_LIMIT):
        attacker.login(email, "salah-sekali")
    assert attacker.login(email).status == 429  # locked out, even with the right password
    # claiming to be someone else in X-Forwarded-For changes nothing: nginx appends the real address
    assert attacker.login(email, **{"X-Forwarded-For": "127.0.0.6"}).status == 429
    assert attacker.login(email, **{"X-Forwarded-For": "203.0.113.9, 127.0.0.6"}).status == 429
    # the quality reviewer herself, at another address behind the same nginx, still logs in
    assert portal.browser("127.0.0.6").login(email).status == 302


def _in_one_minute(count, addresses):
    """``count(noisy, other)`` with all its requests in one per-minute window: windows start on the clock, so a count
    that crossed a minute's end is split between two; it is counted again, from two addresses not used yet (no wait
    for a fresh minute, no clock of the test's own: the portal's processes read the machine's)."""
    for noisy, other in addresses:
        window = time.time() // 60
        result = count(noisy, other)
        if time.time() // 60 == window:
            return result
    pytest.fail("every count crossed a minute's end")


def test_certificate_lookups_are_limited_per_client_not_for_everyone(portal):
    url = reverse("assessments:verify-code", args=["TIDAKADA"])

    def count(noisy_address, other_address):
        noisy = portal.browser(noisy_address)
        codes = [noisy.get(url).status for _ in range(VERIFY_PER_MINUTE + 1)]
        forged = noisy.get(url, **{"X-Forwarded-For": other_address}).status
        return codes, forged, portal.browser(other_address).get(url).status

    codes, forged, other = _in_one_minute(count, [("127.0.0.7", "127.0.0.8"), ("127.0.0.17", "127.0.0.18")])
    assert codes == [404] * VERIFY_PER_MINUTE + [429]
    assert forged == 429
    assert other == 404  # "no such certificate", not "too many"


def test_public_complaints_are_limited_per_client_not_for_everyone(portal):
    url = reverse("complaints:public-new")
    data = {"name": "Citra", "email": "citra@example.go.id", "phone": "", "object_text": "Verifikasi berkas",
            "reference": "", "service_date": "", "message": "Berkas saya dikembalikan.", "website": ""}
    noisy = portal.browser("127.0.0.9")
    assert [noisy.post(url, data).status for _ in range(2)] == [302, 302]
    refused = noisy.post(url, data, **{"X-Forwarded-For": "127.0.0.10"})
    assert refused.status == 200 and "Berkas saya dikembalikan." in refused.text  # kept, not filed
    assert portal.browser("127.0.0.10").post(url, data).status == 302
    assert portal.sql("SELECT count(*) FROM complaints_complaint WHERE name = 'Citra'") == [(3,)]


def test_a_whole_event_prints_through_the_prefork_worker_with_two_processes(portal):
    lina = portal.browser(LINA[0])
    assert lina.login(LINA[1]).status == 302
    event = portal.ids["event"]
    preview = lina.get(reverse("assessments:print-start", args=[event]) + "?kind=certificates")
    assert preview.status == 200  # who will be printed and who is skipped, before the job starts
    started = lina.post(reverse("assessments:print-start", args=[event]), {"kind": "certificates"})
    assert started.status == 302, started.text[:2000]
    job = portal.sql("SELECT max(id) FROM assessments_printjob WHERE event_id = %s", event)[0][0]
    assert job, "the job was created"
    status_url = reverse("assessments:print-status", args=[job])

    def finished():
        state = json.loads(lina.get(status_url).body)
        assert state["status"] != "failed", state
        worker_log = (portal.tmp / "worker.log").read_text()
        if " raised unexpected" in worker_log:  # a task that died leaves the job "running": say why at once
            pytest.fail("a task died in the prefork worker:\n" + worker_log[worker_log.index(" raised unexpected"):])
        return state if state["status"] == "done" else None

    state = wait_for(finished, 180, "the event print", portal)
    assert state["done"] == state["total"] == 20
    pdf = lina.get(state["download"])
    assert pdf.status == 200 and pdf.header("Content-Type") == "application/pdf"
    text = pdf_text(pdf.body)
    numbers = [row[0] for row in portal.sql("SELECT number FROM assessments_certificate c JOIN assessments_participant"
                                            " p ON p.id = c.participant_id WHERE p.event_id = %s", event)]
    assert len(numbers) == 20
    assert [n for n in numbers if n not in text] == []  # every certificate's page is in the one PDF
    # set in the portal's own fonts (static/fonts, under the hashed names collectstatic gave them), not the host's
    fonts = embedded_fonts(pdf.body)
    assert fonts and {f for f in fonts if not f.startswith("Portal-Sans")} == set(), fonts
    assert "cannot be loaded" not in (portal.tmp / "worker.log").read_text()


def test_beat_runs_the_sla_sweep_which_escalates_the_breached_item(portal):
    clock = portal.ids["clock"]

    def noticed():  # both notices: the sweep writes them one after the other, and the first alone is no answer
        rows = portal.sql("SELECT threshold FROM sla_notice WHERE clock_id = %s ORDER BY threshold", clock)
        return rows if len(rows) >= 2 else None

    assert wait_for(noticed, 60, "the SLA sweep from beat", portal) == [("escalated",), ("overdue",)]
    supervisor = portal.sql("SELECT count(*) FROM notifications_notification n JOIN accounts_user u "
                            "ON u.id = n.user_id WHERE u.email = 'pimpinan@demo.go.id' AND n.body LIKE %s",
                            "%Berkas Terlambat%")
    assert supervisor[0][0] >= 1


def test_the_start_scripts_are_what_docker_compose_and_the_image_run():
    compose = (ROOT / "docker-compose.yml").read_text()
    for service in ("migrate", "web", "worker", "beat"):
        assert f'command: ["deploy/{service}"]' in compose
    assert 'CMD ["deploy/web"]' in (ROOT / "Dockerfile").read_text()
    for script in ("migrate", "web", "worker", "beat"):
        assert os.access(ROOT / "deploy" / script, os.X_OK)
