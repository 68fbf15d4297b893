"""Seed 001 item 1's "9. Formulir pendaftaran" is the FR.APL.01 the portal generates: it is no longer asked as an
upload. Drafts and returned dossiers lose the empty slot; a requirement no application still refers to is removed,
one that is referred to (files already uploaded) becomes optional. Reversible: the requirement is put back."""

from django.db import migrations

NAME = "Formulir pendaftaran"
EDITABLE = ["draft", "returned"]


def drop_upload(apps, schema_editor):
    RequiredDocument = apps.get_model("schemes", "RequiredDocument")
    ApplicationDocument = apps.get_model("applicants", "ApplicationDocument")
    for req in RequiredDocument.objects.filter(name=NAME, category="service"):
        ApplicationDocument.objects.filter(requirement=req, application__status__in=EDITABLE,
                                           files__isnull=True).delete()
        if ApplicationDocument.objects.filter(requirement=req).exists():
            RequiredDocument.objects.filter(pk=req.pk).update(
                mandatory=False, description="Dibuat oleh portal (FR.APL.01); tidak perlu diunggah.")
        else:
            req.delete()


def put_back(apps, schema_editor):
    RequiredDocument = apps.get_model("schemes", "RequiredDocument")
    Scheme = apps.get_model("schemes", "Scheme")
    for scheme in Scheme.objects.filter(code="SS-02/LSP-BPSDM DKI/2017"):
        if not RequiredDocument.objects.filter(scheme=scheme, name=NAME).exists():
            last = RequiredDocument.objects.filter(scheme=scheme).order_by("-position").first()
            RequiredDocument.objects.create(scheme=scheme, category="service", name=NAME,
                                            description="Standar pelayanan, persyaratan nomor 9.",
                                            accepted_kinds=["pdf"], min_files=1, max_files=1,
                                            position=(last.position + 1) if last else 1)
    RequiredDocument.objects.filter(name=NAME, category="service").update(mandatory=True)


class Migration(migrations.Migration):
    dependencies = [("applicants", "0004_fidelity_employer_government"), ("schemes", "0004_fidelity_requirement_government")]
    operations = [migrations.RunPython(drop_upload, put_back)]
