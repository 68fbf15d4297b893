"""Ship the four SLA policies and the national calendar (current and next years) with ``migrate``."""

from django.db import migrations


def forwards(apps, schema_editor):
    from certportal.sla.reference import seed_calendar, seed_policies

    seed_policies(apps.get_model("sla", "SlaPolicy"))
    seed_calendar(apps.get_model("sla", "CalendarDay"), apps.get_model("sla", "SeededYear"),
                  apps.get_model("sla", "WorkWeek"))


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_calendar_notices")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
