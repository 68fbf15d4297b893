"""The embedded default as ``make run`` starts it, for tests that need the real thing: ``manage.py migrate``,
``load_reference`` and ``load_demo`` on a SQLite file, then ``manage.py runserver`` (Django's threaded development
server, dev settings, tasks in-process, e-mail on the console), and a small HTTP client that keeps cookies.

Nothing here is mocked: the server is a separate process that answers over a socket, as it does to a browser."""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO_PASSWORD = "Demo-Portal-2026"  # noqa: S105 - the demo accounts' documented password
# what the environment of a developer's shell or of CI may hold that `make run` would not see on a fresh clone
FOREIGN = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL", "SITE_URL", "DJANGO_SETTINGS_MODULE",
           "EMAIL_URL", "EMAIL_BACKEND", "DEBUG", "PORT", "PRIVATE_MEDIA_ROOT")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Response:
    status: int
    location: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Visitor:
    """One browser: its own cookies (a copy shares the session, as a second tab does)."""

    port: int
    cookies: dict = field(default_factory=dict)
    log: list = field(default_factory=list)  # (method, path, status, what a 500 page names) of every request

    def tab(self) -> Visitor:
        return Visitor(self.port, dict(self.cookies), self.log)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers.get("Location", ""), raw.read())
            for value in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        finally:
            conn.close()
        error = re.search(r"<title>(.*?)</title>", response.text, re.S) if response.status >= 500 else None
        self.log.append((method, path, response.status, " ".join(error.group(1).split()) if error else ""))
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict | list, *, files: dict | None = None, headers: dict | None = None
             ) -> Response:
        if "csrftoken" not in self.cookies:
            self.get("/")
        fields = [("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")),
                  *(data.items() if isinstance(data, dict) else data)]
        if files is None:
            body, ctype = urlencode(fields, doseq=True).encode(), "application/x-www-form-urlencoded"
        else:
            body, ctype = multipart(fields, files)
        return self.request("POST", path, body=body, headers={"Content-Type": ctype, **(headers or {})})

    def login(self, email: str) -> Response:
        self.get("/akun/masuk/")
        response = self.post("/akun/masuk/", {"username": email, "password": DEMO_PASSWORD})
        assert response.status == 302, f"{email} could not log in: {response.status}"
        return response


def multipart(fields: list, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: {ctype}\r\n\r\n".encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return found.group(1) if found else ""


class EmbeddedPortal:
    """``make run`` in a folder of its own: a SQLite file, private files, the console's output."""

    def __init__(self, tmp: Path, *, port: int | None = None):
        self.tmp, self.port = tmp, port or free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
        self.env.update({"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                         "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
                         "PORT": str(self.port), "PYTHONUNBUFFERED": "1"})
        self.server: subprocess.Popen | None = None
        self.console = tmp / "runserver.log"

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def shell(self, code: str) -> object:
        """Run ``code`` in ``manage.py shell`` against the portal's database; the JSON its last line prints."""
        out = self.manage("shell", "--no-imports", "-c", code)
        return json.loads(out.strip().splitlines()[-1])

    def setup(self) -> str:
        """What `make setup` runs; returns load_demo's printout."""
        self.manage("migrate", "--noinput")
        self.manage("load_reference")
        return self.manage("load_demo")

    def start(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"], cwd=ROOT,
            env=self.env, stdout=self.console.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.server.poll() is None, f"runserver stopped:\n{self.console.read_text()}"
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.3)
        raise AssertionError(f"runserver did not answer on {self.port}:\n{self.console.read_text()}")

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=10)

    def visitor(self) -> Visitor:
        return Visitor(self.port)
