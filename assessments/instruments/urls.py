"""The assessment instruments' addresses (names in the ``assessments`` namespace, composed in
:mod:`assessments.urls`)."""

from django.urls import path

from assessments.instruments.views import (
    assessment_file,
    bank,
    bank_keepers,
    feedback,
    instruments,
    plans,
    records,
    written_test,
)

urlpatterns = [
    path("saya/<int:pk>/umpan-balik/", feedback.my_feedback, name="my-feedback"),
    path("peserta/<int:pk>/fr-ak-03.pdf", feedback.feedback_pdf, name="feedback-pdf"),
    *plans.urls, *bank.urls, *bank_keepers.urls, *written_test.urls, *instruments.urls, *records.urls,
    path("peserta/<int:pk>/berkas-asesmen/", assessment_file.start, name="assessment-file"),
    path("acara/<int:pk>/berkas-asesmen/", assessment_file.event_start, name="event-assessment-files"),
]
