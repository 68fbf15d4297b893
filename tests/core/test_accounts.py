import re

import pytest
from django.core import mail
from django.urls import reverse

from certportal.accounts.models import Role, User
from certportal.audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Kopi-Tubruk-Pagi-77"


def register(client, **overrides):
    data = {
        "full_name": "Citra Dewi, S.E.", "email": "Citra@Example.go.id", "phone": "0812",
        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "consent": "on", **overrides,
    }
    return client.post(reverse("accounts:register"), data)


def test_applicant_registers_gets_applicant_role_and_a_confirmation_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 302
    user = User.objects.get(email="citra@example.go.id")
    assert user.roles == [Role.APPLICANT]
    assert user.data_consent_at is not None
    assert not user.email_verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/akun/konfirmasi/\S+/", mail.outbox[0].body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]
    client.get(path)
    user.refresh_from_db()
    assert user.email_verified
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="email confirmed").exists()


def test_registration_requires_consent_and_strong_password_and_keeps_the_form(client):
    response = register(client, consent="", password1="12345", password2="12345")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Citra Dewi, S.E." in body  # nothing typed is lost
    assert not User.objects.filter(email="citra@example.go.id").exists()
    assert response.context["form"].errors.keys() >= {"consent", "password1"}


def test_registration_refuses_a_taken_email(client, alice):
    response = register(client, email="ALICE@example.go.id")
    assert response.status_code == 200
    assert "sudah ada" in response.content.decode()  # Indonesian by default


def test_login_with_email_lands_on_the_role_home(client, victor):
    response = client.post(reverse("accounts:login"), {"username": "Victor@Example.go.id", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.context["active_role"] == Role.VERIFIER


def test_repeated_failed_logins_lock_the_account_out(client, victor):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": victor.email, "password": "wrong-password"})
    response = client.post(reverse("accounts:login"), {"username": victor.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"locked-out" in response.content


def test_lsp_admin_creates_staff_who_gets_a_set_password_link(login, lina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(lina).post(reverse("accounts:staff-create"), {
            "full_name": "Nadia Verifikator", "email": "nadia@example.go.id", "phone": "",
            "preferred_language": "en", "roles": [Role.VERIFIER, Role.COMPLAINT_OFFICER],
        })
    assert response.status_code == 302
    nadia = User.objects.get(email="nadia@example.go.id")
    assert nadia.roles == [Role.VERIFIER, Role.COMPLAINT_OFFICER]
    assert not nadia.has_usable_password()
    assert "/akun/sandi/atur/" in mail.outbox[-1].body
    assert "Choose your password" in mail.outbox[-1].body  # in Nadia's language


def test_lsp_admin_deactivates_but_never_deletes_and_the_reason_is_audited(login, lina, victor):
    response = login(lina).post(reverse("accounts:staff-set-active", args=[victor.pk]),
                                {"reason": "Pindah tugas", "active": "0"})
    assert response.status_code == 302
    victor.refresh_from_db()
    assert not victor.is_active
    entry = AuditEntry.objects.get(object_id=str(victor.pk), action="account deactivated")
    assert (entry.actor, entry.from_state, entry.to_state, entry.note) == (lina, "active", "inactive", "Pindah tugas")


def test_deactivation_without_reason_is_refused(login, lina, victor):
    response = login(lina).post(reverse("accounts:staff-set-active", args=[victor.pk]),
                                {"reason": "", "active": "0"}, follow=True)
    victor.refresh_from_db()
    assert victor.is_active
    assert "alasan" in response.content.decode().lower()


@pytest.mark.parametrize("persona", ["victor", "alice", "sofia"])
def test_only_lsp_admin_manages_staff(login, persona, request):
    user = request.getfixturevalue(persona)
    assert login(user).get(reverse("accounts:staff-list")).status_code == 403


def test_staff_pages_send_anonymous_visitors_to_login(client):
    response = client.get(reverse("accounts:staff-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_language_choice_is_remembered_on_the_account(login, alice):
    c = login(alice)
    assert "Keluar" in c.get(reverse("notifications:inbox")).content.decode()
    c.post(reverse("accounts:set-language"), {"language": "en", "next": "/"})
    alice.refresh_from_db()
    assert alice.preferred_language == "en"
    fresh = login(alice)  # another device: no cookie, the account decides
    assert "Log out" in fresh.get(reverse("notifications:inbox")).content.decode()


def test_user_with_two_roles_switches_between_their_menus(login):
    both = UserFactory(roles=[Role.VERIFIER, Role.COMPLAINT_OFFICER])
    c = login(both)
    c.post(reverse("switch-role"), {"role": Role.COMPLAINT_OFFICER})
    assert c.get(reverse("notifications:inbox")).context["active_role"] == Role.COMPLAINT_OFFICER
    c.post(reverse("switch-role"), {"role": Role.LSP_ADMIN})  # not held: ignored
    assert c.get(reverse("notifications:inbox")).context["active_role"] == Role.COMPLAINT_OFFICER


def test_password_reset_sends_a_working_link(client, alice):
    client.post(reverse("accounts:password-reset"), {"email": alice.email})
    assert len(mail.outbox) == 1
    path = re.search(r"/akun/sandi/atur/\S+/\S+/", mail.outbox[0].body).group(0)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    alice.refresh_from_db()
    assert alice.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize("name,short", [("Ir. Bambang Sutrisno, M.Si.", "Bambang"), ("Dr. H. Ahmad Fauzi", "Ahmad"),
                                        ("Siti Rahmawati, S.Sos.", "Siti")])
def test_the_menu_greets_people_by_name_not_by_title(name, short):
    assert User(full_name=name, email="x@example.go.id").get_short_name() == short
