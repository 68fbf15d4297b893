"""The pages the scale benchmark measures, the bare list it measures them against, and a session per role."""

from __future__ import annotations

import datetime
import json
import random

from scale.page import Page
from scale.sizes import API_TOKEN, STAFF, UNITS, Sizes, code_of, name_of, nip_of

BENCH_URLS = '''
from django.contrib.auth import get_user_model
from django.template import engines
from django.urls import path
from django.views.generic import ListView

from certportal.urls import urlpatterns as portal

TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html><body><table>{% for u in object_list %}<tr><td>{{ u.pk }}</td><td>{{ u.full_name }}"
    "</td><td>{{ u.email }}</td><td>{{ u.date_joined|date }}</td></tr>"
    "{% endfor %}</table><p>{{ page_obj.number }} / {{ paginator.num_pages }}</p></body></html>")


class Bare(ListView):
    """The textbook Django list: a model, an ordering, 50 per page, a plain template (no layout, no menus)."""

    paginate_by = 50

    def get_queryset(self):
        return get_user_model().objects.order_by("-id")

    def get_template_names(self):
        return []

    def render_to_response(self, context, **kwargs):
        from django.http import HttpResponse

        return HttpResponse(TEMPLATE.render(context))


def sla_changed(request):
    """The SLA dashboard as a reader finds it after a clock stopped: its kept figures forgotten (what a clock saved
    today does), the closed months' kept ones read back, everything else counted and drawn again."""
    from certportal import versions
    from certportal.sla import selectors
    from certportal.sla.views import dashboard

    versions.move_now(selectors.DASHBOARD_VERSION_KEY)
    return dashboard(request)


def drawn(request, page):
    """A detail page as its first view finds it (and the first after a change of what it shows): nothing kept,
    its body drawn (certportal.kept_pages), and the header's count read too."""
    from django.test.utils import override_settings
    from django.urls import resolve

    match = resolve("/" + page)
    with override_settings(REPORT_FIGURES_CACHE_SECONDS=0):
        return match.func(request, *match.args, **match.kwargs)


urlpatterns = [path("bench/bare/", Bare.as_view()), path("bench/sla-changed/", sla_changed),
               path("bench/drawn/<path:page>", drawn), *portal]
'''

BENCH_SETTINGS = '''
from certportal.settings.dev import *  # noqa
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
'''


def _terms(sizes: Sizes):
    """Term makers drawing from the first tenth of the data: found at a tenth of the size and at full size."""
    today = datetime.date.today()
    users = max(sizes.users // 10, 1)

    span = min(sizes.audit // 10, 1_051_200) // 1440  # days back the first tenth's audit rows reach

    def week(r: random.Random) -> str:
        start = today - datetime.timedelta(days=r.randint(6, max(6, min(span, 700))))
        return f"date_from={start}&date_to={start + datetime.timedelta(days=6)}"

    def name(r: random.Random) -> str:
        first, last = name_of(r.randrange(users))
        return f"{first}+{last[:r.randint(3, 6)]}"

    def nip(r: random.Random) -> str:
        return nip_of(r.randrange(users))[: r.randint(8, 12)]

    def cert(r: random.Random) -> str:
        return code_of(r.randint(1, max(sizes.certificates // 10, 1)))

    def obj(r: random.Random) -> int:
        return r.randint(1, max(sizes.applications // 10, 1))

    return week, name, nip, cert, obj


BATCH = 100  # the employers' API: codes per call (its maximum)
SINGLE = "public verification JSON (new code)"


def _instrument_pages(ref: dict) -> list[Page]:
    """The LSP admin's plans and question banks: the lists, one scheme's bank, one unit's items of an instrument."""
    schemes, units = ref["schemes"], ref["units"]

    def cell(r: random.Random) -> str:
        scheme = r.choice(schemes)
        return f"/asesmen/bank-soal/{scheme}/unit/{r.choice(units[scheme])}/IA.05/"

    other = f"/asesmen/bank-soal/{schemes[7]}/unit/{units[schemes[7]][-1]}/IA.07/?page=2"
    return [
        Page("LSP assessment plans", "lsp_admin", lambda r: "/asesmen/rencana/", "/asesmen/rencana/?page=2"),
        Page("LSP question banks", "lsp_admin", lambda r: "/asesmen/bank-soal/", "/asesmen/bank-soal/?page=2"),
        Page("question bank of a scheme", "lsp_admin", lambda r: f"/asesmen/bank-soal/{r.choice(schemes)}/",
             f"/asesmen/bank-soal/{schemes[7]}/"),
        Page("question bank items (a unit, FR.IA.05)", "lsp_admin", cell, other),
    ]


def _lookup_pages(sizes: Sizes) -> list[Page]:
    """The public JSON look-up of one certificate, and the employers' API batch of 100 against it."""
    cert, api = _terms(sizes)[3], "/api/v1/certificates/lookup"
    tenth = max(sizes.certificates // 10, 1)
    fixed = json.dumps({"codes": [code_of(1 + (i * 7) % tenth) for i in range(BATCH)]})  # found at both sizes
    return [
        Page(SINGLE, "", lambda r: f"/asesmen/cek/{cert(r)}.json", f"/asesmen/cek/{code_of(tenth)}.json"),
        Page(f"employers' API, {BATCH} codes a call", "", lambda r: api, api,
             body=lambda r: json.dumps({"codes": [cert(r) for _ in range(BATCH)]}), other_body=fixed,
             headers=(("Authorization", f"Bearer {API_TOKEN}"), ("Content-Type", "application/json")),
             per_request=BATCH, against=SINGLE),
    ]


def pages(sizes: Sizes, ref: dict) -> list[Page]:
    from scale import desks  # the homes and desks

    week, name, nip, cert, obj = _terms(sizes)
    scheme, schemes, staff = ref["schemes"][3], ref["schemes"], ref["staff"]
    q, recap = "/permohonan/antrian/", "/permohonan/rekap-unit/"
    return [
        Page(f"bare list (50 of {sizes.users // 1000}k users)", "verifier", lambda r: "/bench/bare/", "/bench/bare/?page=2"),
        Page("queue", "verifier", lambda r: q, q + "?page=2"),
        Page("queue ?status", "verifier", lambda r: q + "?status=complete", q + "?status=verified"),
        Page("queue ?scheme", "verifier", lambda r: f"{q}?scheme={r.choice(schemes)}", f"{q}?scheme={scheme}"),
        Page("queue ?unit", "verifier", lambda r: f"{q}?unit={r.choice(UNITS).split()[1][:5]}", q + "?unit=Dinas"),
        Page("queue ?deadline=due_soon", "verifier", lambda r: q + "?deadline=due_soon",
             q + "?deadline=due_soon&page=2"),
        Page("queue ?deadline=overdue", "verifier", lambda r: q + "?deadline=overdue", q + "?deadline=overdue&page=2"),
        Page("queue ?deadline=on_track", "verifier", lambda r: q + "?deadline=on_track",
             q + "?deadline=on_track&page=2"),
        Page("queue search name (new term)", "verifier", lambda r: f"{q}?q={name(r)}", q + "?q=Siti"),
        Page("queue search NIP (new term)", "verifier", lambda r: f"{q}?q={nip(r)}", q + "?q=1900"),
        Page("queue deadline + name", "verifier", lambda r: f"{q}?deadline=on_track&q={name(r)}",
             q + "?deadline=overdue&q=Siti"),
        Page("recap per unit", "verifier", lambda r: recap, f"{recap}?scheme={scheme}"),
        Page("recap per unit, one scheme", "verifier", lambda r: f"{recap}?scheme={r.choice(schemes)}", recap),
        Page("LSP certificates", "lsp_admin", lambda r: "/asesmen/sertifikat/", "/asesmen/sertifikat/?page=2"),
        Page("LSP test events", "lsp_admin", lambda r: "/asesmen/", "/asesmen/?page=2"),
        Page("LSP appeal decisions", "lsp_admin", lambda r: "/asesmen/banding/", "/asesmen/banding/?page=2"),
        *_instrument_pages(ref),
        Page("complaint list", "supervisor", lambda r: "/pengaduan/daftar/", "/pengaduan/daftar/?page=2"),
        Page("complaint reports", "supervisor", lambda r: "/pengaduan/laporan/", "/pengaduan/laporan/?page=2"),
        Page("IKM (survey index)", "supervisor", lambda r: "/pengaduan/ikm/", "/pengaduan/ikm/?page=2"),
        Page("audit search by person (picked)", "lsp_admin", lambda r: f"/audit/?actor={r.choice(staff)}",
             f"/audit/?actor={staff[17]}"),
        Page("audit search by name (text)", "lsp_admin", lambda r: f"/audit/?person=Petugas+{r.randrange(STAFF):03d}",
             "/audit/?person=Petugas+017"),
        Page("audit search by object", "lsp_admin", lambda r: f"/audit/?obj={obj(r)}", "/audit/?obj=12345"),
        Page("audit search by week", "lsp_admin", lambda r: f"/audit/?{week(r)}",
             "/audit/?date_from=2026-01-05&date_to=2026-01-11"),
        Page("SLA dashboard", "supervisor", lambda r: "/tenggat/", "/tenggat/?months=3"),
        Page("SLA dashboard, a clock stopped", "supervisor", lambda r: "/bench/sla-changed/",
             "/bench/sla-changed/?months=3", diagnostic=True),
        Page("public catalogue", "", lambda r: "/skema/", "/skema/?page=2"),
        Page("public verification (new code)", "", lambda r: f"/asesmen/verifikasi/{cert(r)}/",
             "/asesmen/verifikasi/X/", (200, 404)),
        *_lookup_pages(sizes),
        *desks.pages(sizes, ref),
        *_home_pages(),
    ]


def _home_pages() -> list[Page]:
    from scale.homes import home_pages

    return home_pages()


def sessions() -> dict[str, str]:
    """A logged-in session per role (cookie value), made directly in the session store."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from certportal.accounts.models import User
    from scale.desks import ROLES as DESK_ROLES
    from scale.homes import ROLES as HOME_ROLES

    found = {"": ""}
    for role in dict.fromkeys(("verifier", "lsp_admin", "supervisor", *DESK_ROLES, *HOME_ROLES)):
        user = User.objects.get(email=f"bench.{role.replace('_', '-')}@bench.go.id")
        s = SessionStore()
        s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.save()
        found[role] = s.session_key
    return found
