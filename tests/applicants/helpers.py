from django.core.files.uploadedfile import SimpleUploadedFile

from applicants import services
from applicants.models import Application, SelfAssessment, Status
from applicants.samples import sample_pdf, sample_png


def pdf_upload(name="dokumen.pdf", title="Dokumen"):
    return SimpleUploadedFile(name, sample_pdf(title), content_type="application/pdf")


def png_upload(name="foto.png"):
    return SimpleUploadedFile(name, sample_png(), content_type="image/png")


def fill_dossier(app: Application, user) -> Application:
    """Everything the wizard asks for, through the services (data, every document, every answer)."""
    services.application_save_data(app, user=user, purpose="certification", purpose_other="", experienced=True)
    for doc in app.documents.select_related("requirement"):
        services.document_upload(doc, user=user, upload=pdf_upload(f"{doc.requirement.name}.pdf"), kind="pdf")
    answers = []
    for link in app.scheme.scheme_units.select_related("unit").prefetch_related("unit__elements"):
        for element in list(link.unit.elements.all()) or [None]:
            answers.append((link.unit_id, element.pk if element else None, SelfAssessment.Answer.YES, "SK"))
    services.self_assessment_save(app, user=user, answers=answers)
    return app


def submitted_application(profile, scheme) -> Application:
    app = services.application_start(user=profile.user, scheme=scheme)
    fill_dossier(app, profile.user)
    services.application_submit(app, user=profile.user, declaration=True)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    return app


def accept_all(app: Application, verifier) -> None:
    for doc in app.documents.all():
        services.document_review(doc, actor=verifier, accepted=True)
