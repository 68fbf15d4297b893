"""The start scripts read the settings file as the portal does (issue 45 item 6): deploy/web and deploy/beat, run for
real with production settings and a settings file of their own (ENV_FILE), take WEB_BIND, WEB_WORKERS and
BEAT_SCHEDULE_FILE from it, the process environment winning; gunicorn refuses every interface without TLS in front.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for

pytestmark = pytest.mark.deploy
ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


def settings_file(tmp_path: Path, **values: str) -> dict[str, str]:
    """A settings file with what production needs and ``values``; the environment that names it and nothing else."""
    lines = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "localhost",
             "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
             "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "WEB_WORKERS": "1", **values}
    path = tmp_path / "portal.env"
    path.write_text("".join(f"{name}={value}\n" for name, value in lines.items()))
    return {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108
            "ENV_FILE": str(path)}


def start(script: str, env: dict, tmp_path: Path) -> subprocess.Popen:
    log = (tmp_path / f"{Path(script).name}.log").open("w")
    return subprocess.Popen([script], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def healthz(port: int):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            return json.loads(response.read())
    except OSError:
        return None


def test_deploy_web_listens_where_the_settings_file_says_and_the_environment_wins(tmp_path):
    in_file, in_env = free_port(), free_port()
    env = settings_file(tmp_path, WEB_BIND=f"127.0.0.1:{in_file}")
    web = start("deploy/web", env, tmp_path)
    try:
        body = wait_for(lambda: healthz(in_file) or (web.poll() is not None and "exited"), timeout=60)
        assert body != "exited", (tmp_path / "web.log").read_text()
        assert body["database"] == "ok" and body["status"] == "degraded"  # Redis down: degraded, but serving
        assert "Booting worker" in (tmp_path / "web.log").read_text()
        assert (tmp_path / "web.log").read_text().count("Booting worker") == 1  # WEB_WORKERS=1 from the file
    finally:
        stop(web)
    web = start("deploy/web", {**env, "WEB_BIND": f"127.0.0.1:{in_env}"}, tmp_path)
    try:
        assert wait_for(lambda: healthz(in_env) or web.poll() is not None, timeout=60) is not True
        assert healthz(in_file) is None
    finally:
        stop(web)


def test_deploy_web_refuses_every_interface_without_tls_in_front_and_listens_on_loopback_by_default(tmp_path):
    env = settings_file(tmp_path, WEB_BIND=f"0.0.0.0:{free_port()}")
    refused = subprocess.run(["deploy/web"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "refuses to listen on 0.0.0.0" in refused.stderr + refused.stdout
    assert "WEB_TLS_IN_FRONT=true" in refused.stderr + refused.stdout
    probe = subprocess.run([str(BIN / "python"), "-c", "import runpy; print(runpy.run_path('deploy/gunicorn.conf.py')['bind'])"],
                           cwd=ROOT, env={**env, "WEB_BIND": ""}, capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip() == "['127.0.0.1:8000']", probe.stderr


def test_deploy_beat_keeps_its_schedule_where_the_settings_file_says(tmp_path):
    schedule = tmp_path / "data" / "celerybeat-schedule"
    beat = start("deploy/beat", settings_file(tmp_path, BEAT_SCHEDULE_FILE=str(schedule)), tmp_path)
    try:
        wait_for(lambda: list(schedule.parent.glob("celerybeat-schedule*")) or beat.poll() is not None, timeout=60)
        assert beat.poll() is None, (tmp_path / "beat.log").read_text()
    finally:
        stop(beat)

