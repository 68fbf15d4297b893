"""``manage.py extension_points [--check]``: write docs/extension-points.md from the declared extension points
and their providers (see certportal/registry_page.py)."""

from django.core.management.base import BaseCommand, CommandError

from certportal import registry, registry_page


class Command(BaseCommand):
    help = "Write docs/extension-points.md (who provides what) from the declared extension points."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail when the page differs instead of writing it.")

    def handle(self, *args, check: bool = False, **options):
        page, text = registry_page.path(), registry_page.render()
        if check:
            if not page.exists() or page.read_text(encoding="utf-8") != text:
                raise CommandError(f"{registry_page.PAGE} is out of date: run python manage.py extension_points")
            self.stdout.write(f"{registry_page.PAGE} is up to date.")
            return
        page.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {registry_page.PAGE} ({len(registry.points())} points)."))
