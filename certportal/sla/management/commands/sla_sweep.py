"""Run the SLA reminder sweep now, in this process (the same work Celery beat schedules)."""

from django.core.management.base import BaseCommand

from certportal.sla.sweep import run_sweep


class Command(BaseCommand):
    help = "Send every due-soon, overdue and escalation notice not sent yet (idempotent)."

    def handle(self, *args, **options):
        result = run_sweep()
        self.stdout.write(f"sent {dict(result.sent)}, skipped {result.skipped}")
