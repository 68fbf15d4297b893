"""Stand-in views for ``test_private_downloads``: one of each kind of download a view of the portal returns, none of
them setting a cache header itself (as the holder's credential download did not)."""

import io

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import include, path

from certportal import exports


@login_not_required
def _json_attachment(request):
    response = HttpResponse('{"name": "Alice"}', content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="credential.json"'
    return response


@login_not_required
def _json(request):
    return HttpResponse('{"name": "Alice"}', content_type="application/json")


def _pdf(request):
    return FileResponse(io.BytesIO(b"%PDF-1.7 Alice"), content_type="application/pdf")


def _csv(request):
    return StreamingHttpResponse(iter(["Nama\n", "Alice\n"]), content_type="text/csv")


def _zip(request):
    return HttpResponse(b"PK\x05\x06" + b"\0" * 18, content_type="application/zip")


def _broken_csv(request):
    """An export whose third row fails (a state without a label did this): the file must not go out cut short."""
    def rows():
        yield ["Pegawai 1"]
        yield ["Pegawai 2"]
        raise KeyError("reduced")
    return exports.csv_response("rows.csv", rows(), ["Nama"])


def _page(request):
    return HttpResponse("<p>Alice</p>", content_type="text/html; charset=utf-8")


def _public(request):
    response = HttpResponse('{"list": []}', content_type="application/json")
    response["Cache-Control"] = "public, max-age=300"
    return response


DOWNLOADS = {"credential.json": _json_attachment, "data.json": _json, "paper.pdf": _pdf, "rows.csv": _csv,
             "data.zip": _zip}
urlpatterns = [
    *(path(f"unduh/{name}", view) for name, view in DOWNLOADS.items()),
    path("halaman/", _page),
    path("unduh/broken.csv", _broken_csv),
    path("status.json", _public),
    path("", include("certportal.urls")),
]
