"""Issue 15 item 10: the demo works. Every demo account logs in, no survey comment is a template literal, and
in-portal notifications link by path (they follow SITE_URL, not the address the demo was loaded under)."""

import pytest
from django.test import Client

from certportal.accounts.models import User
from certportal.notifications.models import Notification
from complaints.models import SurveyResponse

pytestmark = pytest.mark.django_db


def test_every_demo_account_logs_in_and_the_demo_reads_right(demo_data, settings):
    loaded_under = settings.SITE_URL  # the address the demo was loaded under (demo_data)
    settings.SITE_URL = "http://demo-a.example:8000"  # and the portal's address now
    users = User.objects.filter(email__endswith="@demo.go.id", is_active=True)
    assert users.count() >= 8
    # the one exception: the assessor whose licence was revoked has no password on purpose
    cannot = [u.email for u in users.exclude(email="asesor.nonaktif@demo.go.id")
              if not u.check_password("Demo-Portal-2026")]
    assert cannot == []
    for user in users.filter(role_links__role="applicant").distinct():
        client = Client()
        response = client.post("/akun/masuk/", {"username": user.email, "password": "Demo-Portal-2026"})
        assert response.status_code == 302, user.email
    assert not SurveyResponse.objects.filter(comment__contains="{").exists()
    assert SurveyResponse.objects.exclude(comment="").values("comment").distinct().count() > 1
    assert not Notification.objects.filter(body__contains="demo-a.example").exists()
    assert not Notification.objects.filter(body__contains=loaded_under).exists()
    assert not Notification.objects.filter(body__contains="127.0.0.1").exists()
    assert Notification.objects.exists()
