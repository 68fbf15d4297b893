"""One full stop at the end of a sentence that ends on a name with a title ("S.Sos.", "M.Si."): issue 43 saw
"S.Sos.." wherever a sentence put such a name last. ``certportal.sentences.one_full_stop`` is applied where such a
sentence is formed; these tests hold the helper, a template using it, and pages and refusals that end on a name."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe

from certportal.accounts.models import Role
from certportal.sentences import one_full_stop
from tests.factories import UserFactory


def test_a_title_s_full_stop_ends_the_sentence_once_and_an_ellipsis_stays():
    assert one_full_stop("Hanya entri oleh Drs. Syamsul Bahri, M.Si..") == "Hanya entri oleh Drs. Syamsul Bahri, M.Si."
    assert one_full_stop("Seperti pada permohonan: Andi Saputra, S.Sos.. Ketik") == (
        "Seperti pada permohonan: Andi Saputra, S.Sos. Ketik")
    assert one_full_stop("Menunggu konfirmasi dari: Budi Santoso.") == "Menunggu konfirmasi dari: Budi Santoso."
    assert one_full_stop("Tunggu...") == "Tunggu..." and one_full_stop("") == "" and one_full_stop(None) == ""
    kept = one_full_stop(mark_safe("oleh <b>Ir. A, M.T.</b>."))
    assert isinstance(kept, SafeData) and kept == "oleh <b>Ir. A, M.T.</b>."


def test_a_template_sentence_ending_on_a_name_with_a_title_has_one_full_stop():
    template = Template("{% load i18n %}{% blocktranslate asvar s with name=n %}Entries by {{ name }} only."
                        "{% endblocktranslate %}{{ s|one_full_stop }}")
    with translation.override("id"):
        shown = template.render(Context({"n": "Drs. Syamsul Bahri, M.Si."}))
    assert shown == "Hanya entri oleh Drs. Syamsul Bahri, M.Si."


@pytest.mark.django_db
def test_the_audit_search_for_a_person_with_a_title_says_so_with_one_full_stop(login):
    sofia = UserFactory(full_name="Ir. Sofia Pimpinan, M.Si.", roles=[Role.SUPERVISOR], preferred_language="id")
    page = login(sofia).get(reverse("audit:search"), {"actor": sofia.pk}).content.decode()
    said = page.split('id="audit-actor"')[1].split("<a")[0]
    assert "oleh Ir. Sofia Pimpinan, M.Si." in said and "M.Si.." not in said, said


@pytest.mark.django_db
def test_a_refusal_that_ends_on_the_signer_s_name_has_one_full_stop():
    from quality.impartiality.services import ImpartialityError, declaration_sign

    asa = UserFactory(full_name="Asa Asesor, S.Sos.", roles=[Role.ASSESSOR])
    with translation.override("id"), pytest.raises(ImpartialityError) as refused:
        declaration_sign(asa, interests="", signed_name="Orang Lain")
    assert str(refused.value.message).endswith(": Asa Asesor, S.Sos."), refused.value.message
