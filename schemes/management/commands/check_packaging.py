"""``manage.py check_packaging --qualification 3/2021-C --units CODE ... [--json]``."""

import json

from django.core.management.base import BaseCommand, CommandError

from schemes.engine import evaluate, explain, rule_for
from schemes.selectors import qualification_by_name


class Command(BaseCommand):
    help = "Check a set of competency units against a KKNI qualification's packaging rule."

    def add_arguments(self, parser):
        parser.add_argument("--qualification", required=True, help="decree number/year and section, e.g. 3/2021-C")
        parser.add_argument("--units", nargs="*", default=[], help="unit codes held")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, qualification, units, json: bool, **options):
        qual = qualification_by_name(qualification)
        if qual is None:
            raise CommandError(f"No qualification {qualification!r} (expected e.g. 3/2021-C).")
        verdict = evaluate(rule_for(qual), units)
        if json:
            self.stdout.write(_dumps(verdict.as_dict()))
            return
        self.stdout.write(f"{verdict.qualification} {qual.title}: " + ("MET" if verdict.met else "NOT MET"))
        for line in explain(verdict):
            self.stdout.write(f"- {line}")
        if verdict.suggested_units:
            self.stdout.write("Suggested: " + " ".join(verdict.suggested_units))


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
