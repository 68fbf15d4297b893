"""Uploads and private files shared by every app.

Files are recognised by their content, never by their name or the browser's word: the first bytes say what a file
claims to be (PDF, JPEG, PNG) and a real parser (pikepdf, Pillow) must then read it as that kind. A PDF that carries
scripts, automatic actions, links outside the file (other files, network shares, web addresses), forms that post,
or embedded files is refused. Files are stored under ``PRIVATE_MEDIA_ROOT``
with random names ending in the extension of the kind found (never the uploader's), and are only ever sent by a view
that has already checked the viewer may see them (:func:`private_file_response`), with the type read again from the
stored bytes, ``nosniff``, and the site's Content-Security-Policy tightened (``sandbox`` for PDFs).

The private storage is the folder ``PRIVATE_MEDIA_ROOT`` by default, or a private S3-compatible bucket when
``PRIVATE_STORAGE_S3_BUCKET`` is set. Code reads stored files through the storage
API (``open``/``save``/``delete``/``exists``), never through ``.path``, so every web and worker host sees the same files.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import NoReturn, cast

from csp.constants import SELF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str | Promise  # a lazy translation
    extension: str


KINDS = {
    "pdf": FileKind("application/pdf", _("PDF"), ".pdf"),
    "jpeg": FileKind("image/jpeg", _("JPEG image"), ".jpg"),
    "png": FileKind("image/png", _("PNG image"), ".png"),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")

# Markup a browser would run if it ever took the bytes for a web page. None of it belongs at the start or the end of
# a scan; finding it there means someone built a polyglot (a file that is a "PDF" and a web page at once). Tags that
# real files carry there (XMP metadata: ``<?xpacket``, ``<x:xmpmeta``, ``<rdf:``) are deliberately not in the list.
MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<body", b"<iframe", b"<object", b"<embed", b"javascript:")
EDGE_BYTES = 2048

# PDF names that make a reader run something, act by itself (on opening the file or a page), reach outside the file
# (another file, a network share — a Windows reader sends the account's password hash to one —, a web address),
# post data, or carry another file. Read in every object of the file, those inside compressed object streams
# included (qpdf decodes them). What stays accepted: links and bookmarks to a page of the same file (``/GoTo`` or
# a ``/Dest``), and an ``/OpenAction`` that is a destination (``[page /Fit]``, written by office suites to open at
# a page); an ``/OpenAction`` that is an action dictionary is refused whatever the action.
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA", "/EF"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/URI", "/Named",
                      "/Hide", "/RichMediaExecute", "/Rendition", "/Movie", "/Sound"}
PDF_ACTIVE_SUBTYPES = {"/RichMedia", "/FileAttachment", "/Movie", "/Sound", "/Screen", "/3D"}
# what a person is told was found (their language)
PDF_ACTIVE_WORDS = {
    "/JS": _("a script"), "/JavaScript": _("a script"), "javascript:": _("a script"),
    "/AA": _("an action that runs by itself when the file or a page opens"),
    "/OpenAction": _("an action that runs by itself when the file opens"),
    "/Launch": _("a command that starts a program"),
    "/GoToR": _("a link to another file or a network share"), "/GoToE": _("a link to another file"),
    "/URI": _("a link to a web address"),
    "/SubmitForm": _("a form that sends or reads data"), "/ImportData": _("a form that sends or reads data"),
    "/Named": _("a command to the PDF reader"), "/Hide": _("a command to the PDF reader"),
    "/EmbeddedFile": _("an embedded file"), "/EmbeddedFiles": _("an embedded file"), "/EF": _("an embedded file"),
    "/FileAttachment": _("an embedded file"), "/XFA": _("a dynamic form"),
}
PDF_OBJECT_LIMIT = 200_000  # a scanned dossier has a few hundred objects; far more is a parser bomb


def sniff_kind(head: bytes) -> str | None:
    """The kind a file's first bytes claim ('pdf', 'jpeg', 'png'), or None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB * 1024 * 1024)


def _has_markup(data: bytes) -> bool:
    edges = (data[:EDGE_BYTES] + b" " + data[-EDGE_BYTES:]).lower()
    return any(tag in edges for tag in MARKUP)


def pdf_active_content(data: bytes) -> str | None:
    """The first active thing found in a PDF (e.g. '/JavaScript'), or None. Raises on a PDF that cannot be read."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) == 0:
            raise ValueError("no pages")
        for n, obj in enumerate(pdf.objects):
            if n > PDF_OBJECT_LIMIT:
                raise ValueError("too many objects")
            found = _active_in(obj)
            if found:
                return found
        return _active_in(pdf.Root) or _active_in(pdf.trailer) or _open_action(pdf.Root)


def _open_action(root) -> str | None:
    """An /OpenAction that is an action (a dictionary), not a destination (an array naming a page)."""
    import pikepdf

    action = root.get("/OpenAction")
    return "/OpenAction" if isinstance(action, pikepdf.Dictionary) else None


def _is_javascript_uri(value) -> bool:
    import pikepdf

    if not isinstance(value, pikepdf.String):
        return False
    text = "".join(str(value).split()).casefold()
    return text.startswith(("javascript:", "vbscript:"))


def _active_in(obj, depth: int = 0) -> str | None:
    """Look at a dictionary and every direct (not indirect: those are visited on their own) value inside it."""
    import pikepdf

    if depth > 32:
        raise ValueError("nested too deep")
    if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        keys = set(obj.keys())
        found = keys & PDF_ACTIVE_KEYS
        if found:
            return sorted(found)[0]
        for key, names in (("/S", PDF_ACTIVE_ACTIONS), ("/Subtype", PDF_ACTIVE_SUBTYPES),
                           ("/Type", {"/EmbeddedFile"})):
            value = obj.get(key)
            if isinstance(value, pikepdf.Name) and str(value) in names:
                return str(value)
        if any(_is_javascript_uri(obj.get(k)) for k in ("/URI", "/F", "/D", "/Dest")):
            return "javascript:"
        children = [obj.get(k) for k in keys]
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return None
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
            inner = _active_in(child, depth + 1)
            if inner:
                return inner
    return None


def _image_is_readable(data: bytes, kind: str) -> bool:
    from PIL import Image

    expected = {"jpeg": "JPEG", "png": "PNG"}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != expected:
                    return False
                image.verify()
    except Exception:  # noqa: BLE001 - any failure to read means "not a real image of that kind"
        return False
    return True


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def validate_upload(upload, kinds: tuple[str, ...] = DEFAULT_KINDS) -> str:
    """Check size and content; return the kind ('pdf', 'jpeg', 'png') or raise ValidationError."""
    limit = max_upload_bytes()
    name = upload.name
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB. Please upload a smaller file."),
            code="too_large",
            params={"name": name, "size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
        )
    data = _read_all(upload)
    kind = sniff_kind(data[:16])
    if kind is None or kind not in kinds or _has_markup(data):
        _refuse_type(name, kinds)
    if kind == "pdf":
        _check_pdf(data, name, kinds)
    elif not _image_is_readable(data, kind):
        _refuse_type(name, kinds)
    return kind


def _refuse_type(name: str, kinds: tuple[str, ...]) -> NoReturn:
    allowed = ", ".join(str(KINDS[k].label) for k in kinds)
    raise ValidationError(
        _("“%(name)s” is not a real %(allowed)s file (its content was checked, not its name)."),
        code="bad_type",
        params={"name": name, "allowed": allowed},
    )


def _check_pdf(data: bytes, name: str, kinds: tuple[str, ...]) -> None:
    import pikepdf

    try:
        active = pdf_active_content(data)
    except pikepdf.PasswordError:
        raise ValidationError(
            _("“%(name)s” is protected by a password, so staff could not open it. Please upload it without a "
              "password."), code="pdf_password", params={"name": name}) from None
    except Exception:  # noqa: BLE001 - whatever qpdf cannot read is not a PDF we can show
        _refuse_type(name, kinds)
    if active:
        raise ValidationError(
            _("“%(name)s” contains active content (%(what)s), which the portal does not accept: scripts, actions "
              "that run by themselves, links to other files, network shares or web addresses, forms that send "
              "data and embedded files. Print it to a new PDF or scan it again, and upload that."),
            code="pdf_active", params={"name": name, "what": PDF_ACTIVE_WORDS.get(active, _("multimedia content"))})


def build_private_storage():
    """The configured backend: a private S3 bucket when ``PRIVATE_STORAGE_S3_BUCKET`` is set, else the local folder.

    Objects are written with the ``private`` ACL and no signed URLs are made (``querystring_auth`` off: an
    object's ``.url`` is a plain address the bucket refuses). Every download streams through a view that checked
    the viewer first, so each opening is audited and access ends the moment a role or a dossier changes; a signed
    URL would stay valid until it expires and could be forwarded. Our files are small (uploads are capped by
    ``MAX_UPLOAD_MB``), so streaming them through the web host costs little.
    """
    bucket = getattr(settings, "PRIVATE_STORAGE_S3_BUCKET", "")
    if not bucket:
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=bucket,
        endpoint_url=settings.PRIVATE_STORAGE_S3_ENDPOINT_URL or None,
        access_key=settings.PRIVATE_STORAGE_S3_ACCESS_KEY_ID or None,
        secret_key=settings.PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY or None,
        region_name=settings.PRIVATE_STORAGE_S3_REGION or None,
        location=settings.PRIVATE_STORAGE_S3_PREFIX,
        default_acl="private",
        querystring_auth=False,
        file_overwrite=False,
        addressing_style=settings.PRIVATE_STORAGE_S3_ADDRESSING_STYLE or None,
    )


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = build_private_storage()


# The storage's API (``open``, ``save``, ``delete``, ``exists``), built from the settings on first use.
private_storage = cast(Storage, PrivateStorage())


def private_files():
    """The private storage, as every private ``FileField`` names it (``storage=private_files``): a callable, so a
    migration records this one path and never the backend the settings chose."""
    return private_storage


@deconstructible
class RandomPath:
    """``upload_to`` giving an unguessable path under ``prefix`` (by default the model's ``upload_prefix``).

    The extension is that of the kind found in the content (the row's ``kind``), never the uploader's: a file
    named ``x.html`` that is a PDF is stored as ``….pdf``. The original name is kept on the row as data only.
    """

    def __init__(self, prefix: str = "", kind: str = ""):
        self.prefix = prefix
        self.kind = kind  # a field that only ever holds one kind (a PDF) names it here, not on the row

    def __call__(self, instance, filename: str) -> str:
        kind = KINDS.get(self.kind or getattr(instance, "kind", ""))
        if kind is None and filename.lower().endswith(".pdf"):  # files the portal writes itself (print jobs)
            kind = KINDS["pdf"]
        ext = kind.extension if kind else ".bin"
        prefix = self.prefix or getattr(instance, "upload_prefix", "")
        if not prefix:  # never the storage's root, where the folders of every model are
            raise ValueError(f"{type(instance).__name__} names no upload_prefix")
        return f"{prefix}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomPath) and (other.prefix, other.kind) == (self.prefix, self.kind)


class StoredFile(models.Model):
    """An uploaded file kept in the private storage: the file under a random name in the model's folder
    (``upload_prefix``), the name it was uploaded with (shown and offered on download, never a path) and the kind
    its content was found to be (:func:`validate_upload`). Served only by :meth:`response`, after the view's check."""

    upload_prefix = ""  # the folder of the private storage the model's files go to: each model names its own

    file = models.FileField(_("file"), storage=private_files, upload_to=RandomPath(), max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=8)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def response(self, *, inline: bool = True) -> FileResponse:
        """The file, streamed as :func:`private_file_response` sends it. Call only after the permission check."""
        return private_file_response(self.file, self.original_name, inline=inline)


def stored_kind(fieldfile) -> str | None:
    """What the stored bytes are, read again on every serve (files stored before the checks were tightened too)."""
    with fieldfile.open("rb") as handle:
        head = handle.read(EDGE_BYTES)
    kind = sniff_kind(head[:16])
    if kind is None or _has_markup(head):
        return None
    return kind


def private_file_response(fieldfile, download_name: str, *, inline: bool = True) -> FileResponse:
    """Stream a private file. Call only after the permission check.

    The type comes from the stored bytes, not from ``download_name``. Only a PDF or an image is shown in the browser
    (inline); anything else is sent as an opaque download. The site's Content-Security-Policy stays in force (the
    middleware builds it); a file response only narrows it: ``sandbox`` (no scripts, no origin) and framing by our
    own pages only, so the verification screen can show the document beside the checklist.
    """
    kind = stored_kind(fieldfile)
    content_type = KINDS[kind].content_type if kind else "application/octet-stream"
    name = _safe_download_name(download_name, kind)
    response = FileResponse(fieldfile.open("rb"), as_attachment=not (inline and kind), filename=name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response._csp_replace = {"frame-ancestors": [SELF]}  # type: ignore[attr-defined]  # read by django-csp
    response._csp_update = {"sandbox": []}  # type: ignore[attr-defined]
    return response


def _safe_download_name(name: str, kind: str | None) -> str:
    """The uploader's name with the extension of what the file really is (``cv.html`` that is a PDF → ``cv.pdf``)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'file'}{KINDS[kind].extension if kind else '.bin'}"


def stored_file_problem(fieldfile, kinds: tuple[str, ...] = DEFAULT_KINDS) -> str | None:
    """Why a stored file would be refused today (None when it passes): for files uploaded before the checks."""
    try:
        with fieldfile.open("rb") as handle:
            validate_upload(handle, kinds)
    except ValidationError as exc:
        return " ".join(exc.messages)
    except OSError as exc:
        return str(exc)
    return None


def validate_text_upload(upload) -> str:
    """Check a plain-text upload (a decree converted to text); return its text or raise ValidationError.

    Same size limit as every upload; a file with NUL bytes (a binary under a .txt name) or with web markup is
    refused like a disguised scan. UTF-8 is read first, then Windows-1252 (what office exports still produce).
    """
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB. Please upload a smaller file."),
            code="too_large",
            params={"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
        )
    data = _read_all(upload)
    if b"\x00" in data or _has_markup(data) or sniff_kind(data[:16]) in ("jpeg", "png"):
        raise ValidationError(_("“%(name)s” is not a plain text file (its content was checked, not its name)."),
                              code="bad_type", params={"name": upload.name})
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_document_upload(upload) -> tuple[str, bytes, int]:
    """A PDF (checked by :func:`validate_upload`) or a plain text file: ``("pdf", bytes, links removed)`` or
    ``("text", bytes, 0)``. A published document (a decree from the ministry's site) often carries links to web
    addresses: they are removed before the check (:func:`strip_web_links`), and how many is returned to be recorded;
    anything else active is refused as in every upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _read_all(upload)
    if sniff_kind(data[:16]) == "pdf":
        cleaned, removed = strip_web_links(data)
        validate_upload(SimpleUploadedFile(upload.name, cleaned), ("pdf",))
        return "pdf", cleaned, removed
    return "text", validate_text_upload(upload).encode("utf-8"), 0


def strip_web_links(data: bytes) -> tuple[bytes, int]:
    """The PDF without the links to web addresses a reader follows when a person clicks them (a link annotation
    whose action is a ``/URI`` to an http, https or mailto address, chaining nothing): each such annotation loses
    its action and stays as inert text. Returns the bytes (unchanged when there was none or the file cannot be read:
    the check then says why) and how many were removed."""
    import pikepdf

    removed = 0
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for annot in page.obj.get("/Annots") or []:
                    if _is_web_link(annot):
                        del annot["/A"]
                        removed += 1
            if not removed:
                return data, 0
            out = io.BytesIO()
            # only objects still referenced are written (the removed actions are gone); the file's /ID from its
            # content, not at random: the same file sent twice is the same file (an upload's job found by digest)
            pdf.save(out, deterministic_id=True)
            return out.getvalue(), removed
    except Exception:  # noqa: BLE001 - a file qpdf cannot read is refused by the check, with its reason
        return data, 0


def _is_web_link(annot) -> bool:
    import pikepdf

    if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != pikepdf.Name("/Link"):
        return False
    action = annot.get("/A")
    if not isinstance(action, pikepdf.Dictionary) or action.get("/S") != pikepdf.Name("/URI") or "/Next" in action:
        return False
    target = action.get("/URI")
    return isinstance(target, pikepdf.String) and str(target).strip().lower().startswith(
        ("http://", "https://", "mailto:"))
