"""The portal's own lines on a complaint's tracking page are stored as a code and its parameters, and shown in the
reader's language; until now they were stored as text in the complainant's language.

Existing lines that read exactly as one of the portal's messages (in Indonesian or English, the complainant's
language when it was written) get that code and parameters; the words first written stay in ``text``. Anything
else (what officers wrote: answers, progress notes, closing notes) stays free text, shown as written."""

import re

from django.db import migrations, models
from django.utils import translation

# The English source texts as the services wrote them (frozen here: later wording changes do not move old rows).
MESSAGES = {
    "acknowledged": "We received your report as %(kind)s %(number)s. We will follow it up within 3 working days "
                    "and answer within 14 working days.",
    "classified": "Your report has been examined and classified (%(component)s).",
    "analysing": "We are analysing your complaint.",
    "routed": "Your complaint is being resolved: %(route)s.",
    "closed": "Your report has been formally closed. Thank you.",
}
CHOICES = {
    "kind": {"complaint": "Complaint", "suggestion": "Suggestion"},
    "component": {"requirements": "Requirements", "procedure": "System, mechanism and procedure",
                  "time": "Completion time", "cost": "Cost", "product": "Product", "facilities": "Facilities",
                  "competence": "Staff competence", "conduct": "Staff conduct", "handling": "Complaint handling",
                  "other": "Other"},
    "route": {"internal": "Inside the office (level by level up to the head)",
              "technical": "Technical team or another agency", "apip": "Internal government auditor (APIP)"},
}


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(regex)


def _readings() -> list[tuple[str, re.Pattern, dict]]:
    """(code, pattern, {parameter: {label as written: value}}) in each language a line may have been written in."""
    readings = []
    for language in ("id", "en"):
        with translation.override(language):
            labels = {name: {(translation.gettext(label).lower() if name == "kind" else translation.gettext(label)):
                             value for value, label in choices.items()} for name, choices in CHOICES.items()}
            readings += [(code, _pattern(translation.gettext(msgid)), labels) for code, msgid in MESSAGES.items()]
    return readings


def _read(text: str, readings) -> tuple[str, dict] | None:
    for code, pattern, labels in readings:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        params = {}
        for name, written in match.groupdict().items():
            if name in labels:
                if written not in labels[name]:
                    break
                params[name] = labels[name][written]
            else:
                params[name] = written
        else:
            return code, params
    return None


def codes_from_text(apps, schema_editor):
    Update = apps.get_model("complaints", "Update")
    readings = _readings()
    for update in Update.objects.filter(code="").exclude(kind="answer").iterator():
        found = _read(update.text, readings)
        if found is not None:
            update.code, update.params = found
            update.save(update_fields=["code", "params"])


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0003_fidelity_address_helpdesk_paper_imports'),
    ]

    operations = [
        migrations.AddField(
            model_name='update',
            name='code',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name='update',
            name='params',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='update',
            name='text',
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(codes_from_text, migrations.RunPython.noop),
    ]
