"""Each change of a written-test answer is a row of its own (``WrittenAnswer``), no longer an audit row per
autosave. The changes written before are copied from their audit rows ("question 3: B", "soal 3: B", at the
row's time), which stay in the append-only trail; reversing drops the copies only."""

import re

import django.db.models.deletion
from django.db import migrations, models

ANSWERED = re.compile(r"(\d+)\s*:\s*([A-F])\s*$")
LETTERS = "ABCDEF"


def copy_answers(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    WrittenTest = apps.get_model("assessments", "WrittenTest")
    WrittenAnswer = apps.get_model("assessments", "WrittenAnswer")
    kind = ContentType.objects.filter(app_label="assessments", model="writtentest").first()
    if kind is None:
        return
    rows = (AuditEntry.objects.filter(content_type=kind, action="assessments.writtentest.answered")
            .order_by("created_at", "id").values_list("object_id", "note", "created_at"))
    tests, batch = {}, []
    for object_id, note, at in rows.iterator(chunk_size=2000):
        match = ANSWERED.search(note or "")
        if match is None or not object_id.isdigit():
            continue
        if object_id not in tests:
            test = WrittenTest.objects.filter(pk=int(object_id)).values_list("questions", flat=True).first()
            tests[object_id] = test or []
        questions, position = tests[object_id], int(match.group(1))
        if not 1 <= position <= len(questions):
            continue
        batch.append(WrittenAnswer(test_id=int(object_id), item=int(questions[position - 1]["item"]),
                                   choice=LETTERS.index(match.group(2)), at=at))
        if len(batch) >= 2000:
            WrittenAnswer.objects.bulk_create(batch)
            batch = []
    WrittenAnswer.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0015_assessment_instruments'),
        ('audit', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='WrittenAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.PositiveIntegerField(verbose_name='question')),
                ('choice', models.PositiveSmallIntegerField(verbose_name='answer')),
                ('at', models.DateTimeField(verbose_name='answered at')),
                ('test', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='assessments.writtentest')),
            ],
            options={
                'verbose_name': 'answer change (FR.IA.05)',
                'verbose_name_plural': 'answer changes (FR.IA.05)',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['test', 'item', 'at'], name='writtenanswer_test_item_at')],
            },
        ),
        migrations.RunPython(copy_answers, migrations.RunPython.noop),
    ]
