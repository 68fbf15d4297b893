"""The KKNI decree importer in the browser, for the LSP admin: upload → review of the warnings → confirm.

The same three steps as the SKKNI importer (schemes/views/manage.py). The upload goes through the portal's safe
file checks (certportal.files); the parse is kept in the session until the admin confirms or cancels, and nothing is
written before the confirmation. Saving is one transaction (save_kkni), audited with the admin's name.
"""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.permissions import role_required

from ..forms import KkniUploadForm
from ..importers.kkni import KkniFormatError, fingerprint, parse_kkni, save_kkni
from ..importers.skkni import SkkniFormatError, text_of
from ..models import Decree

lsp_admin = role_required(Role.LSP_ADMIN)
SESSION_KEY = "schemes_kkni_upload"


@lsp_admin
def kkni_upload(request):
    form = KkniUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            parsed = parse_kkni(text_of(form.content))
        except (KkniFormatError, SkkniFormatError) as exc:
            form.add_error("file", str(exc))
        else:
            request.session[SESSION_KEY] = json.dumps(parsed)
            return redirect("schemes:manage-kkni-review")
    return render(request, "schemes/manage/kkni_upload.html", {"form": form})


@lsp_admin
def kkni_review(request):
    raw = request.session.get(SESSION_KEY)
    if not raw:
        messages.info(request, _("Upload a decree first."))
        return redirect("schemes:manage-kkni-upload")
    parsed = json.loads(raw)
    if request.method == "POST":
        request.session.pop(SESSION_KEY, None)
        if "cancel" in request.POST:
            messages.info(request, _("Import cancelled; nothing was written."))
            return redirect("schemes:manage-kkni-upload")
        result = save_kkni(parsed, actor=request.user)
        messages.success(request, result.message)
        return redirect("schemes:manage-qualifications")
    d = parsed["decree"]
    existing = Decree.objects.filter(kind=Decree.Kind.KKNI, number=d["number"], year=d["year"]).first()
    qualifications = {q["letter"]: q["title"] for q in parsed["qualifications"]}
    variants = [{**v, "titles": [{**t, "names": [f"{x} · {qualifications.get(x, '')}" for x in t["qualifications"]]}
                                 for t in v["titles"]]} for v in parsed.get("title_variants", [])]
    return render(request, "schemes/manage/kkni_review.html", {
        "parsed": parsed, "existing": existing, "variants": variants,
        "unchanged": bool(existing and existing.fingerprint == fingerprint(parsed))})
