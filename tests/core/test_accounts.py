import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
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


def _answer(client, response) -> str:
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register-sent")
    return client.get(response["Location"]).content.decode()


def test_registration_answers_alike_for_a_new_and_a_taken_address(client, alice, django_capture_on_commit_callbacks):
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new_answer = _answer(client, register(client, email="citra@example.go.id"))
    with django_capture_on_commit_callbacks(execute=True):
        other = Client()
        taken_answer = _answer(other, register(other, email="ALICE@example.go.id"))
    # the whole page but the random CSRF token and the address typed is the same
    def same(page, email):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(email, "@")

    assert same(new_answer, "citra@example.go.id") == same(taken_answer, "alice@example.go.id")
    assert "Periksa e-mail Anda" in taken_answer
    assert "sudah ada" not in taken_answer


def test_registering_a_taken_address_changes_nothing_and_tells_its_owner(client, alice,
                                                                        django_capture_on_commit_callbacks):
    cache.clear()
    alice.preferred_language = "en"
    alice.save()
    password_before = alice.password
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, email="ALICE@example.go.id", full_name="Mallory")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.full_name, alice.password) == ("Alice Applicant", password_before)
    assert User.objects.filter(email__iexact="alice@example.go.id").count() == 1
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.go.id"]
    assert "Someone tried to register a new account with your e-mail address" in message.body  # her language
    assert "/akun/masuk/" in message.body and "/akun/sandi/lupa/" in message.body
    assert "Mallory" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        again = register(client, email="alice@example.go.id")
    assert again["Location"] == reverse("accounts:register-sent")
    assert len(mail.outbox) == 1  # one notice an hour: the form cannot flood her inbox


def test_a_new_registrant_is_not_logged_in_until_they_confirm_and_log_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client)
    assert not client.get(reverse("accounts:register-sent")).wsgi_request.user.is_authenticated
    assert "/akun/konfirmasi/" in mail.outbox[0].body


def test_the_answer_page_needs_a_registration_first(client):
    assert client.get(reverse("accounts:register-sent"))["Location"] == reverse("accounts:register")


@pytest.mark.parametrize("url_name", ["accounts:register"])
def test_passwords_must_have_at_least_12_characters_and_the_form_says_so(client, url_name):
    assert "12" in client.get(reverse(url_name)).content.decode()
    response = register(client, password1="Kopi-Pagi-7", password2="Kopi-Pagi-7")  # 11 characters
    assert response.status_code == 200
    assert "12" in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.filter(email="citra@example.go.id").exists()


def test_password_change_and_reset_forms_ask_for_12_characters(login, alice):
    c = login(alice)
    page = c.get(reverse("accounts:password-change")).content.decode()
    assert "12 karakter" in page
    response = c.post(reverse("accounts:password-change"), {
        "old_password": PASSWORD, "new_password1": "Kopi-Pagi-7", "new_password2": "Kopi-Pagi-7"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    huge = "x" * 100_000
    response = c.post(reverse("accounts:password-change"), {
        "old_password": huge, "new_password1": huge, "new_password2": huge})
    assert response.status_code == 200
    assert "128" in response.content.decode()


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
    # refused: back to the person's page (run_action's error_redirect), not to the staff list
    assert response.redirect_chain[0][0] == reverse("accounts:staff-edit", args=[victor.pk])
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
    assert "12 karakter" in response.content.decode()  # the rule is said where the password is chosen
    client.post(form_url, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    alice.refresh_from_db()
    assert alice.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize("name,short", [("Ir. Bambang Sutrisno, M.Si.", "Bambang"), ("Dr. H. Ahmad Fauzi", "Ahmad"),
                                        ("Siti Rahmawati, S.Sos.", "Siti")])
def test_the_menu_greets_people_by_name_not_by_title(name, short):
    assert User(full_name=name, email="x@example.go.id").get_short_name() == short
