"""A requirement that asks for three photos holds three photos: files go to slots 1..n (not versions of one file),
several go up at once, each checked on its own, and the migration places the files already stored as the upload
rule placed them."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applicants import services
from applicants.models import DocumentFile
from certportal.accounts.models import Role
from tests.factories import UserFactory

from .factories import ProfileFactory, scheme_with_parts
from .helpers import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photos(db):
    scheme = scheme_with_parts(units=1, elements=1, documents=1)
    requirement = scheme.required_documents.get()
    requirement.name, requirement.accepted_kinds, requirement.min_files, requirement.max_files = (
        "Pasfoto 3x4", ["png", "jpeg"], 3, 3)
    requirement.save()
    user = UserFactory(email="rina@example.go.id", roles=[Role.APPLICANT])
    ProfileFactory(user=user)
    app = services.application_start(user=user, scheme=scheme)
    return app.documents.get()


def _current(doc) -> list[tuple[int, str, int]]:
    return sorted(doc.files.filter(superseded_at__isnull=True).values_list("slot", "original_name", "version"))


def test_photos_fill_the_free_slots_a_removed_one_frees_its_slot_a_full_set_replaces_the_oldest(photos):
    user = photos.application.applicant
    for n in (1, 2, 3):
        services.document_upload(photos, user=user, upload=png_upload(f"foto-{n}.png"), kind="png")
    assert _current(photos) == [(1, "foto-1.png", 1), (2, "foto-2.png", 1), (3, "foto-3.png", 1)]
    services.document_remove_file(photos.files.get(original_name="foto-2.png"), user=user)
    services.document_upload(photos, user=user, upload=png_upload("foto-2-merah.png"), kind="png")
    assert _current(photos) == [(1, "foto-1.png", 1), (2, "foto-2-merah.png", 2), (3, "foto-3.png", 1)]
    services.document_upload(photos, user=user, upload=png_upload("foto-baru.png"), kind="png")
    assert _current(photos) == [(1, "foto-baru.png", 2), (2, "foto-2-merah.png", 2), (3, "foto-3.png", 1)]


def test_three_photos_in_one_post_and_a_fourth_is_refused_by_name(photos, client):
    client.force_login(photos.application.applicant)
    url = reverse("applicants:upload", args=[photos.application.pk, photos.pk])
    files = [SimpleUploadedFile(f"foto-{n}.png", png_upload().read(), content_type="image/png") for n in range(1, 5)]
    page = client.post(url, {"file": files}, follow=True).content.decode()
    assert "“Pasfoto 3x4”: 3 berkas tersimpan (foto-1.png, foto-2.png, foto-3.png)." in page
    assert "“foto-4.png” tidak disimpan: persyaratan ini menerima paling banyak 3 berkas." in page
    assert _current(photos) == [(1, "foto-1.png", 1), (2, "foto-2.png", 1), (3, "foto-3.png", 1)]
    for n in (1, 2, 3):
        assert f"Berkas {n} dari 3:" in page
    assert "versi sebelumnya" not in page  # three files side by side, none shown as replacing another


def test_a_post_with_only_hostile_files_keeps_nothing_and_says_why_for_each(photos, client):
    client.force_login(photos.application.applicant)
    url = reverse("applicants:upload", args=[photos.application.pk, photos.pk])
    bad = [SimpleUploadedFile("a.png", b"<html><script>x()</script>"), SimpleUploadedFile("b.png", b"MZ\x90\x00")]
    response = client.post(url, {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“a.png”" in page and "“b.png”" in page and "isinya yang diperiksa" in page
    assert not DocumentFile.objects.filter(document=photos).exists()


def _file(pk, uploaded, superseded=None):
    start = datetime.datetime(2026, 1, 1, 9, 0)
    return SimpleNamespace(pk=pk, uploaded_at=start + datetime.timedelta(minutes=uploaded),
                           superseded_at=None if superseded is None else start + datetime.timedelta(minutes=superseded))


def test_the_migration_places_stored_files_as_the_upload_rule_placed_them():
    place = importlib.import_module("applicants.migrations.0010_documentfile_slot")._place
    files = [
        _file(1, 0, superseded=3),  # photo 1, replaced by file 4 (every slot full)
        _file(2, 1, superseded=5),  # photo 2, removed by the applicant at minute 5
        _file(3, 2),  # photo 3
        _file(4, 3),  # the fourth upload: replaces the oldest (slot 1)
        _file(5, 6),  # after the removal: slot 2 is free
    ]
    assert place(files, 3) == {1: 1, 2: 2, 3: 3, 4: 1, 5: 2}
    # one file a time for a single document: every version in slot 1
    versions = [_file(1, 0, superseded=1), _file(2, 1, superseded=2), _file(3, 2)]
    assert place(versions, 1) == {1: 1, 2: 1, 3: 1}
