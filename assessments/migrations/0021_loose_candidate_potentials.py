"""FR.MAPA.02 distinguishes BNSP's five candidate potentials (issue 30 item 7): the two old values move to theirs,
in the plans' rows and in the validated plans' frozen snapshots (what their forms print)."""

from django.db import migrations, models

FORWARD = {"experienced": "worker_std", "inexperienced": "training_std"}
BACKWARD = {new: old for old, new in FORWARD.items()}


def _move(apps, mapping):
    PlanEvidence = apps.get_model("assessments", "PlanEvidence")
    AssessmentPlan = apps.get_model("assessments", "AssessmentPlan")
    for old, new in mapping.items():
        PlanEvidence.objects.filter(group=old).update(group=new)
    for plan in AssessmentPlan.objects.exclude(snapshot={}).exclude(snapshot__isnull=True).only("pk", "snapshot"):
        rows = plan.snapshot.get("rows") if isinstance(plan.snapshot, dict) else None
        if not rows or not any(r.get("group") in mapping for r in rows):
            continue
        for r in rows:
            r["group"] = mapping.get(r.get("group"), r.get("group"))
        AssessmentPlan.objects.filter(pk=plan.pk).update(snapshot=plan.snapshot)


def forward(apps, schema_editor):
    _move(apps, FORWARD)


def backward(apps, schema_editor):
    _move(apps, BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0020_appeal_list_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='planevidence',
            name='group',
            field=models.CharField(choices=[('training_std', 'Training or education graduate, curriculum and practice facilities traceable to the competency standard'), ('training', 'Training or education graduate, curriculum not yet competency-based'), ('worker_std', 'Experienced worker from a workplace whose operations are traceable to the competency standard'), ('worker', 'Experienced worker from a workplace whose operations are not yet competency-based'), ('self_taught', 'Self-directed learning or self-taught')], max_length=16, verbose_name='candidate group'),
        ),
        migrations.RunPython(forward, backward),
    ]
