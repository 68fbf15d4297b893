"""A scheme version is validated before use and reviewed on a schedule (ISO/IEC 17024 8): the LSP admin records
who reviewed it, what they found, the conclusion and the next review; the public scheme page says when it was
validated and next reviewed; a scheme never validated, to be revised, or past its review date is among the LSP
admin's periodic duties until a record clears it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certportal.audit.models import AuditEntry
from schemes.models import SchemeReview
from schemes.reviews import reviews_due
from tests.schemes.factories import SchemeFactory

pytestmark = pytest.mark.django_db


def _form(**extra):
    today = timezone.localdate()
    return {"kind": "validation", "held_on": (today - datetime.timedelta(days=3)).isoformat(),
            "reviewers": "Komite Skema: Dr. Rahmat (ketua), Ir. Lestari", "findings": "Unit sesuai SKKNI yang berlaku.",
            "outcome": "fit", "next_review_on": (today + datetime.timedelta(days=362)).isoformat(), **extra}


def _url(scheme):
    return reverse("schemes:manage-scheme-reviews", args=[scheme.pk])


def test_the_lsp_admin_validates_a_scheme_and_the_public_page_says_so(lina, client, login):
    scheme = SchemeFactory()
    assert scheme in reviews_due()  # never validated: due
    duties = login(lina).get(reverse("quality:system-duties")).content.decode()  # the LSP admin's periodic duties
    assert 'data-duty="scheme-review"' in duties and scheme.code in duties
    page = login(lina).post(_url(scheme), _form(), follow=True).content.decode()
    assert "Komite Skema: Dr. Rahmat (ketua), Ir. Lestari" in page and "Unit sesuai SKKNI yang berlaku." in page
    review = SchemeReview.objects.get(scheme=scheme)
    assert review.kind == "validation" and review.recorded_by == lina
    assert AuditEntry.objects.filter(action="scheme_validated", object_id=str(scheme.pk), actor=lina).exists()
    assert scheme not in reviews_due()
    assert 'data-duty="scheme-review"' not in login(lina).get(reverse("quality:system-duties")).content.decode()
    public = client.get(reverse("schemes:scheme-detail", args=[scheme.pk])).content.decode()
    section = public[public.index('id="scheme-review"'):][:600]
    assert "Divalidasi pada" in section and "Kaji ulang berikutnya" in section


@pytest.mark.parametrize("change, message", [
    ({"held_on": "2099-01-01"}, "masih akan datang"),
    ({"next_review_on": ""}, "tanggal kaji ulang berikutnya"),
    ({"next_review_on": "2000-01-01"}, "sesudah kaji ulang ini"),
    ({"next_review_on": "2099-01-01"}, "paling lama 5 tahun"),
    ({"reviewers": "  "}, "tidak boleh kosong"),
])
def test_a_record_that_cannot_be_true_is_refused_and_what_was_typed_stays(lina, login, change, message):
    scheme = SchemeFactory()
    page = login(lina).post(_url(scheme), _form(**change)).content.decode()
    assert message in page, page[page.find("<main"):][:3000]
    assert "Unit sesuai SKKNI yang berlaku." in page
    assert not SchemeReview.objects.exists()


def test_a_version_is_validated_once_then_reviewed_and_a_revise_conclusion_keeps_it_due(lina, login):
    scheme = SchemeFactory()
    client = login(lina)
    client.post(_url(scheme), _form())
    page = client.post(_url(scheme), _form()).content.decode()  # the same validation again (a second tab)
    assert "sudah divalidasi pada" in page
    client.post(_url(scheme), _form(kind="review", outcome="revise", next_review_on="",
                                    findings="Dua unit diganti SKKNI baru."))
    assert list(scheme.reviews.values_list("kind", flat=True)) == ["review", "validation"] or \
        sorted(scheme.reviews.values_list("kind", flat=True)) == ["review", "validation"]
    assert scheme in reviews_due()  # to be revised: still due until a new version is validated
    assert AuditEntry.objects.filter(action="scheme_reviewed", object_id=str(scheme.pk)).count() == 1


def test_a_review_past_its_date_makes_the_scheme_due_again(lina):
    from schemes.reviews import review_record

    scheme = SchemeFactory()
    today = timezone.localdate()
    review_record(actor=lina, scheme=scheme, kind="validation", held_on=today - datetime.timedelta(days=400),
                  reviewers="Komite Skema", findings="Layak.", outcome="fit",
                  next_review_on=today - datetime.timedelta(days=35))
    assert scheme in reviews_due(today)
    assert scheme not in reviews_due(today - datetime.timedelta(days=40))


def test_only_the_lsp_admin_opens_and_records(lina, quinn, sofia, alice, client, login):
    scheme = SchemeFactory()
    assert client.get(_url(scheme)).status_code == 302
    for user in (quinn, sofia, alice):
        assert login(user).get(_url(scheme)).status_code == 403
        assert login(user).post(_url(scheme), _form()).status_code == 403
    assert login(lina).get(_url(scheme)).status_code == 200
    assert not SchemeReview.objects.exists()
