"""One queued or running print job per event and kind (issue 45 item 4). Duplicates already active (the double
clicks of before) are failed first, all but the newest, with the reason on the row."""

from django.db import migrations, models
from django.utils import timezone

REASON = "Dicetak dua kali: pekerjaan cetak terbaru untuk acara ini yang dilanjutkan."


def fail_duplicates(apps, schema_editor):
    PrintJob = apps.get_model("assessments", "PrintJob")
    seen = set()
    for job in PrintJob.objects.filter(status__in=["queued", "running"]).order_by("-created_at", "-pk"):
        if (job.event_id, job.kind) in seen:
            PrintJob.objects.filter(pk=job.pk).update(status="failed", error=REASON, finished_at=timezone.now())
        seen.add((job.event_id, job.kind))


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0027_bank_items_order_index"),
    ]

    operations = [
        migrations.RunPython(fail_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="printjob",
            constraint=models.UniqueConstraint(condition=models.Q(("status__in", ["queued", "running"])),
                                               fields=("event", "kind"), name="printjob_one_active_per_event_kind"),
        ),
    ]
