"""Every uploaded file gets its slot: which of the requirement's files it is (photo 1, 2, 3), so a requirement that
asks for three photos shows three photos, not "v3, v2, v1" of one file. Existing files are placed as the upload rule
placed them when they came: a new file took the first free slot (a file removed or replaced before it came frees
its slot), and with every slot full it replaced the oldest file, taking that file's slot. No file, version or date
changes; reversing drops the column."""

from django.db import migrations, models


def _place(files, limit: int) -> dict[int, int]:
    """file id -> slot, replaying the uploads of one requirement in the order they came."""
    slots, held = {}, {}  # held: slot -> the file in it now
    for f in sorted(files, key=lambda f: (f.uploaded_at, f.pk)):
        for slot, other in list(held.items()):  # removed or replaced before this upload: the slot is free
            if other.superseded_at is not None and other.superseded_at <= f.uploaded_at:
                del held[slot]
        free = [n for n in range(1, max(limit, len(held) + 1) + 1) if n not in held]
        if len(held) >= limit and held:  # every slot full: the oldest file in one is replaced
            slot = min(held, key=lambda n: (held[n].uploaded_at, held[n].pk))
        else:
            slot = free[0]
        held[slot] = f
        slots[f.pk] = slot
    return slots


def place_files(apps, schema_editor):
    ApplicationDocument = apps.get_model("applicants", "ApplicationDocument")
    DocumentFile = apps.get_model("applicants", "DocumentFile")
    documents = ApplicationDocument.objects.filter(files__isnull=False).distinct().select_related("requirement")
    for document in documents.iterator(chunk_size=500):
        files = list(DocumentFile.objects.filter(document=document))
        placed = _place(files, max(document.requirement.max_files, 1))
        changed = [f for f in files if placed[f.pk] != f.slot]
        for f in changed:
            f.slot = placed[f.pk]
        DocumentFile.objects.bulk_update(changed, ["slot"])


class Migration(migrations.Migration):
    dependencies = [("applicants", "0009_profile_nik")]
    operations = [
        migrations.AddField(
            model_name="documentfile", name="slot",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="file number"),
        ),
        migrations.RunPython(place_files, migrations.RunPython.noop),
    ]
