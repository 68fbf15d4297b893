import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_check_deploy_with_production_settings_prints_no_warnings():
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DJANGO_SETTINGS_MODULE": "certportal.settings.prod", "SECRET_KEY": "k" * 20 + "Z9x!@#$%^&*()_+qwertyuiopasdfghjkl", "ALLOWED_HOSTS": "portal.example.go.id",
           # production shares its rate-limit counts through Redis (certportal.W001 otherwise); the check connects
           # to nothing, so the address is enough where no Redis runs
           "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "certportal.settings.prod", "SECRET_KEY": "",
           "ALLOWED_HOSTS": "x"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_pages_send_csp_and_frame_headers(client):
    response = client.get(reverse("accounts:login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_forms_carry_a_csrf_token(client):
    assert b"csrfmiddlewaretoken" in client.get(reverse("accounts:register")).content


def test_uploads_are_recognised_by_content_not_name():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certportal.files import validate_upload
    from tests.hostile_files import real_pdf

    assert validate_upload(SimpleUploadedFile("scan.pdf", real_pdf())) == "pdf"
    with pytest.raises(ValidationError, match="PDF"):
        validate_upload(SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 this is an exe"))
    with pytest.raises(ValidationError, match="MB"):
        validate_upload(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024)))
