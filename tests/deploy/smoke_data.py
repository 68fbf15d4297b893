"""Data for the production smoke test, loaded into the smoke deployment's own database with its own settings:

    python tests/deploy/smoke_data.py   (DJANGO_SETTINGS_MODULE=certportal.settings.prod and the smoke environment)

The demo accounts (load_demo), an event whose PRINT_COUNT participants are certified (the whole-event print), and
an SLA clock breached 40 days ago (beat's sweep must notice it). Prints the ids the test needs as JSON.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
PRINT_COUNT = 20


def print_event() -> int:
    from django.utils import timezone

    from applicants.models import Application
    from assessments.certificates.models import Certificate
    from assessments.certificates.services import add_years, new_verification_code
    from assessments.events.models import Event, Participant
    from certportal.accounts.models import User
    from schemes.models import Scheme, SchemeUnit, TestSite, Unit

    scheme = Scheme.objects.create(code="SMOKE-01/LSP-BPSDM DKI/2026", name="Pelayanan Prima (uji produksi)",
                                   kind="occupation")
    units = []
    for i, title in enumerate(["Memberikan Layanan Kepada Pelanggan", "Menerapkan Etika Profesi"]):
        unit = Unit.objects.create(code=f"N.821100.{i + 90:03d}.02", sector="N", field="821100",
                                   number=f"{i + 90:03d}", version=2, title=title)
        SchemeUnit.objects.create(scheme=scheme, unit=unit, position=i + 1)
        units.append({"code": unit.code, "title": title, "result": "K", "explanation": ""})
    site = TestSite.objects.create(registration_number="TUK-SMOKE", name="TUK Sewaktu Uji Produksi")
    event = Event.objects.create(scheme=scheme, test_site=site, starts_at=timezone.now())
    today = timezone.localdate()
    for i in range(PRINT_COUNT):
        user = User.objects.create(email=f"peserta{i}@smoke.go.id", full_name=f"Peserta Uji {i}", password="!")
        app = Application.objects.create(applicant=user, scheme=scheme, status="certified",
                                         applicant_name=f"Peserta Uji Produksi {i:02d}", nip=f"19850314201001{i:04d}",
                                         org_unit="Dinas Penanaman Modal dan PTSP")
        part = Participant.objects.create(event=event, application=app, decision="K")
        Certificate.objects.create(
            participant=part, application=app, number=f"{i + 1:05d}/SKK/SMOKE/{today.year}", year=today.year,
            sequence=9000 + i, verification_code=new_verification_code(), issued_on=today,
            expires_on=add_years(today, 3), holder_name=app.applicant_name, holder_nip=app.nip,
            holder_unit=app.org_unit, scheme_code=scheme.code, scheme_name=scheme.name,
            snapshot={"units": units, "test_site": site.name, "validity_years": 3,
                      "holder": {"name": app.applicant_name}})
    return event.pk


def breached_clock() -> int:
    from django.utils import timezone

    from certportal.accounts.models import User
    from certportal.sla import services as sla

    item = User.objects.create(email="berkas.terlambat@smoke.go.id", full_name="Berkas Terlambat", password="!")
    return sla.start_clock(item, "complaint-followup", at=timezone.now() - timedelta(days=40)).pk


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "certportal.settings.prod")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(json.dumps({"event": print_event(), "clock": breached_clock()}))


if __name__ == "__main__":
    main()
