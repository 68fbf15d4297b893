"""``workdays add DATE N`` and ``workdays between START END`` against the calendar in the database."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from certportal.sla import calendar as cal


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Not an ISO date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = "Working-day arithmetic: 'add DATE N' (N-th working day after DATE), 'between START END'."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the N-th working day after DATE (DATE itself not counted)")
        add.add_argument("date")
        add.add_argument("n", type=int)
        between = sub.add_parser("between", help="how many working days d with START < d <= END")
        between.add_argument("start")
        between.add_argument("end")

    def handle(self, *args, **options):
        if options["action"] == "add":
            if options["n"] < 0:
                raise CommandError("N must be zero or more")
            self.stdout.write(cal.add_working_days(_date(options["date"]), options["n"]).isoformat())
        else:
            self.stdout.write(str(cal.working_days_between(_date(options["start"]), _date(options["end"]))))
