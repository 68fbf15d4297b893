"""The nightly heal of the agency stamped on each application (issue 47): beat's ``agencies-restamp`` sends
``agencies.tasks.restamp`` to a real worker, which writes the stamp the roster's rule gives now on the applications
whose stamp is stale (as two changes committed at once can leave it), and on those only."""

import pytest
from django.conf import settings as django_settings

from agencies.tasks import restamp
from applicants.models import Application
from assessments.certificates.models import Certificate

from .people_factory import application, certificate, staff

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_beat_sends_the_heal_once_a_night():
    entry = django_settings.CELERY_BEAT_SCHEDULE["agencies-restamp"]
    assert entry["task"] == restamp.name and entry["schedule"] == 24 * 3600


def test_a_real_worker_heals_the_stale_stamps_and_writes_no_other_row(dinkes, disdik, scheme, celery_worker_process):
    ana, budi = staff(dinkes, "Ana Arsip", "Arsiparis"), staff(disdik, "Budi Guru", "Guru")
    stale, also_stale, right = application(ana, scheme), application(budi, scheme), application(ana, scheme)
    held = certificate(budi, scheme)
    # what a lost race leaves behind: a stamp of another agency, and none at all
    Application.objects.filter(pk=stale.pk).update(agency=disdik)
    Application.objects.filter(pk=also_stale.pk).update(agency=None)
    Certificate.objects.filter(pk=held.pk).update(agency=dinkes)

    assert restamp.delay().get(timeout=60) == 3  # the three stale rows written, not the right ones
    assert {a.pk: a.agency_id for a in Application.objects.all()} == {
        stale.pk: dinkes.pk, also_stale.pk: disdik.pk, right.pk: dinkes.pk, held.application_id: disdik.pk}
    assert Certificate.objects.get(pk=held.pk).agency == disdik
    assert restamp.delay().get(timeout=60) == 0  # nothing stale is left
