"""The production settings start with the documented .env: `.env.example` copied as it is, with only the two values
the deployment guide (docs/operations/deployment.md) says to fill, passed the way docker compose passes env_file lines (empty values as empty strings)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
print(json.dumps({
    "ssl_redirect": settings.SECURE_SSL_REDIRECT, "proxies": settings.TRUSTED_PROXY_COUNT,
    "lockout_after": settings.AXES_FAILURE_LIMIT, "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "sweep_seconds": settings.SLA_SWEEP_SECONDS,
    "probe": client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code,
    "other_page_by_ip": client.get("/", HTTP_HOST="127.0.0.1:8000").status_code,
}))
"""


def documented_env() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def test_production_settings_start_with_the_documented_env_and_the_health_probe_answers(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
        **documented_env(),
        "SECRET_KEY": "k" * 64, "ALLOWED_HOSTS": "sertifikasi.example.go.id",
        # what docker-compose.yml adds for every app service
        "DJANGO_SETTINGS_MODULE": "certportal.settings.prod", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"ssl_redirect": True, "proxies": 0, "lockout_after": 5, "conn_max_age": 60,
                      "sweep_seconds": 900.0, "probe": 200, "other_page_by_ip": 400}
