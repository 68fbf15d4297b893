"""Print the satisfaction index of a period: ``manage.py skm_index --from DATE --to DATE [--scheme CODE] [--json]``."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from complaints.queries import skm_index


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not an ISO date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "The SKM index (PermenPANRB 14/2017) from online and paper answers in a period."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("--scheme", default=None, help="only this scheme code ('' = answers without a scheme)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, date_from: str, date_to: str, scheme, json: bool = False, **options):
        start, end = iso_date(date_from), iso_date(date_to)
        if start > end:
            raise CommandError("--from must not be after --to")
        result = skm_index(start, end, scheme)
        data = {
            "respondents": result.respondents,
            "elements": [{"element": e["code"].lower(), "mean": float(e["mean"])} for e in result.elements()],
            "index": float(result.index) if result.index is not None else None,
            "grade": result.grade or None,
        }
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"{start} – {end}: {data['respondents']} respondents")
        for e in data["elements"]:
            self.stdout.write(f"  {e['element'].upper()}  {e['mean']:.2f}")
        self.stdout.write(f"Index {data['index']}  grade {data['grade']}")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
