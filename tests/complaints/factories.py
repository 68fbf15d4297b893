"""Complaints are created through the intake service, so every test row has its clocks and acknowledgement."""

import datetime

import factory
from django.utils import timezone

from complaints import services
from complaints.models import Channel, SurveyInvitation, SurveyResponse


def identified(**overrides) -> dict:
    data = {
        "name": "Citra Lestari", "email": "citra@example.go.id", "phone": "0812 3456 7890",
        "object_text": "Verifikasi berkas permohonan", "reference": "",
        "service_date": timezone.localdate() - datetime.timedelta(days=5),
        "message": "Berkas saya dikembalikan tanpa alasan yang jelas.",
    }
    data.update(overrides)
    return data


def file_complaint(*, actor=None, channel: str = Channel.WEB, files=None, **overrides):
    return services.complaint_file(data=identified(**overrides), actor=actor, channel=channel, files=files)


def anonymous_suggestion(**overrides):
    return services.complaint_file(data={"message": "Ruang tunggu terlalu sempit.", **overrides})


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    reference = factory.Sequence(lambda n: f"certificate:{n + 1}")
    email = factory.Sequence(lambda n: f"holder{n}@example.go.id")
    name = "Pemegang Sertifikat"
    scheme_code = "SS-02/LSP-BPSDM DKI/2017"


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    answered_on = factory.LazyFunction(timezone.localdate)
    scheme_code = "SS-02/LSP-BPSDM DKI/2017"
    u1 = u2 = u3 = u4 = u5 = u6 = u7 = u8 = u9 = 3

    @classmethod
    def with_scores(cls, scores: list[int], **kwargs):
        return cls(**{f"u{i + 1}": s for i, s in enumerate(scores)}, **kwargs)


def walk_to(complaint, state: str, officer, head=None):
    """Push a complaint along the happy path up to ``state`` (internal route unless a head approves APIP)."""
    order = ["classified", "in_analysis", "routed", "answered", "closed"]
    for step in order[: order.index(state) + 1]:
        complaint.refresh_from_db()
        if step == "classified":
            services.complaint_classify(complaint=complaint, actor=officer, service="application",
                                        component="procedure")
        elif step == "in_analysis":
            services.complaint_start_analysis(complaint=complaint, actor=officer)
            services.complaint_record_analysis(complaint=complaint, actor=officer, core_problem="Inti",
                                               standard_concerned="SP butir 2", planned_handling="Klarifikasi",
                                               findings="Terbukti")
        elif step == "routed":
            services.complaint_route(complaint=complaint, actor=officer, route="internal")
        elif step == "answered":
            services.complaint_answer(complaint=complaint, actor=officer, answer="Jawaban kami.",
                                      superior_report="Laporan.")
        elif step == "closed":
            services.complaint_close(complaint=complaint, actor=officer)
    complaint.refresh_from_db()
    return complaint
