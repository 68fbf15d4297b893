"""The test event's addresses (names in the ``assessments`` namespace, composed in :mod:`assessments.urls`)."""

from django.urls import path

from assessments.events.views import (
    adoption,
    appeals,
    assessors,
    events,
    grid,
    mine,
    participants,
    planning,
    pleno,
    readiness,
)

STEP_ACTS = ("schedule_distributed", "site_prepared", "candidates_reminded", "confirmed", "held", "report_signed",
             "archived")

urlpatterns = [
    path("", events.events, name="events"),
    path("asesor/", events.assessor_home, name="assessor-home"),
    path("asesor/kelola/", assessors.assessors, name="assessors"),
    path("asesor/kelola/baru/", assessors.assessor_create, name="assessor-create"),
    path("asesor/kelola/<int:pk>/", assessors.assessor_edit, name="assessor-edit"),
    path("adopsi/", adoption.adoption, name="adoption"),
    path("adopsi/<uuid:public_id>/", adoption.adoption_import, name="adoption-import"),
    path("adopsi/<uuid:public_id>/<slug:action>/", adoption.adoption_action, name="adoption-import-action"),
    path("tinjauan/", events.reviews, name="reviews"),
    path("acara/baru/", events.event_create, name="event-create"),
    path("acara/<int:pk>/", events.event_detail, name="event"),
    path("acara/<int:pk>/asesor/", events.event_add_assessor, name="event-add-assessor"),
    path("acara/<int:pk>/peserta/", events.event_add_participants, name="event-add-participants"),
    path("acara/<int:pk>/langkah/<int:number>/", events.event_step, name="event-step"),
    *[path(f"acara/<int:pk>/aksi/{name}/", events.event_act, {"name": name}, name=f"event-act-{name}")
      for name in STEP_ACTS],
    path("acara/<int:pk>/konfirmasi/", events.event_confirm, name="event-confirm"),
    path("acara/<int:pk>/rencana-asesmen/", events.event_plan_adopt, name="event-plan-adopt"),
    path("acara/<int:pk>/kontak-peserta/", events.event_reached, name="event-reached"),
    path("acara/<int:pk>/kaji-ulang/", events.event_review, name="event-review"),
    path("acara/<int:pk>/kehadiran/", events.event_attendance, name="event-attendance"),
    path("acara/<int:pk>/nilai/", grid.event_grid, name="event-grid"),
    path("acara/<int:pk>/nilai/simpan/", grid.event_grid_save, name="event-grid-save"),
    path("acara/<int:pk>/tanda-tangan/", events.event_sign, name="event-sign"),
    path("acara/<int:pk>/notulen/", events.event_minutes, name="event-minutes"),
    path("acara/<int:pk>/kesiapan/", readiness.readiness_form, name="event-readiness"),
    path("acara/<int:pk>/perencanaan/", planning.event_planning, name="event-planning"),
    path("acara/<int:pk>/dokumentasi/", readiness.documentation_add, name="event-documentation"),
    path("dokumentasi/<int:pk>/", readiness.documentation_file, name="documentation-file"),
    path("acara/<int:pk>/pleno/", pleno.event_plenos, name="event-pleno"),
    path("pleno/<int:pk>/", pleno.pleno_detail, name="pleno"),
    path("pleno/<int:pk>/peserta/<int:participant>/keputusan/", pleno.pleno_decide, name="pleno-decide"),
    path("pleno/<int:pk>/tutup/", pleno.pleno_close, name="pleno-close"),
    path("peserta/<int:pk>/", participants.participant_detail, name="participant"),
    path("peserta/<int:pk>/konflik/", assessors.conflict_declare, name="conflict"),
    path("peserta/<int:pk>/asesor/", participants.participant_assign, name="participant-assign"),
    path("peserta/<int:pk>/keputusan/", participants.participant_decide, name="decide"),
    path("hasil/<int:pk>/koreksi/", participants.result_correct, name="result-correct"),
    path("banding/", appeals.appeal_list, name="appeals"),
    path("banding/<int:pk>/", appeals.appeal_detail, name="appeal"),
    path("saya/", mine.mine, name="mine"),
    path("saya/<int:pk>/", mine.my_participation, name="my-participation"),
]
