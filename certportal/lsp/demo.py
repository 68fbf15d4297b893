"""Demo LSP profile: name, BNSP licence (its dates and scope), signatory and a generated logo (idempotent)."""

import datetime
import io

from django.core.files.base import ContentFile

from .models import LspProfile
from .services import profile_update

DEMO = {"name": "LSP BPSDM Provinsi DKI Jakarta", "licence_number": "BNSP-LSP-1207-ID",
        "address": "Jl. Abdul Muis No. 66, Jakarta Pusat 10160", "city": "Jakarta",
        "signatory_name": "Dr. Hj. Sri Haryati, M.Si.", "signatory_position": "Ketua LSP BPSDM Provinsi DKI Jakarta",
        "signatory_nip": "197205121998032004",
        "complaint_office": "Bidang Pengembangan Sumber Daya ASN, BPSDM Provinsi DKI Jakarta, Jl. Abdul Muis No. 66, "
                            "Jakarta Pusat (Senin–Jumat, 08.00–16.00 WIB)",
        "complaint_email": "pengaduan.lsp@demo.go.id", "helpdesk": "(021) 3865580 · WhatsApp 0812-0000-0000 (contoh)",
        "lapor_url": "https://www.lapor.go.id/"}


def demo_logo_png() -> bytes:
    """A round seal in the portal's blue with a gold star and the letters LSP (drawn, not a real emblem)."""
    from PIL import Image, ImageDraw

    size = 360
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(29, 63, 114, 255))
    draw.ellipse((26, 26, size - 26, size - 26), outline=(212, 175, 55, 255), width=8)
    cx, cy, outer, inner = size / 2, size * 0.42, 92, 38
    import math

    points = [(cx + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
               cy - (outer if i % 2 == 0 else inner) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(points, fill=(212, 175, 55, 255))
    bar = (size * 0.22, size * 0.68, size * 0.78, size * 0.80)
    draw.rectangle(bar, fill=(255, 255, 255, 255))
    for i, x in enumerate((0.30, 0.47, 0.64)):  # three pillars under the star: a stylised "LSP"
        draw.rectangle((size * x, size * 0.70, size * x + size * 0.06, size * 0.78), fill=(29, 63, 114, 255))
        del i
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


# The licensed scope: the Pelayanan Prima scheme of seed 000 only (the demo's KKNI scheme, schemes/demo.py, is
# outside it: its public page says no certificate can be issued for it). The licence was granted four years and
# seven months ago and runs out in five months, so the LSP admin's queue warns of it.
DEMO_SCOPE = ["SS-02/LSP-BPSDM DKI/2017"]


def _licence_dates() -> dict:
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    today = timezone.localdate()
    return {"licence_date": today - relativedelta(years=4, months=7),
            "licence_valid_until": today + relativedelta(months=5) - datetime.timedelta(days=1)}


def load(stdout=None) -> None:
    if LspProfile.objects.filter(pk=1).exclude(logo="").exists():
        if stdout:
            stdout.write("  lsp: profile already loaded")
        return
    profile_update(actor=None, logo=ContentFile(demo_logo_png(), name="logo-lsp.png"), logo_kind="png",
                   licence_scope=DEMO_SCOPE, **DEMO, **_licence_dates())
    if stdout:
        stdout.write("  lsp: LSP profile with logo, BNSP licence (expiring in five months, its scope) and signatory")
