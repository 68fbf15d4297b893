"""Uploads and private files shared by every app.

Files are recognised by their content (magic bytes), never by their name or the browser's word.
They are stored with random names in the private storage — the folder ``PRIVATE_MEDIA_ROOT`` by default, or a
private S3-compatible bucket when ``PRIVATE_STORAGE_S3_BUCKET`` is set — and are only ever sent by a view that has
already checked the viewer may see them (:func:`private_file_response`). Code reads stored files through the storage
API (``open``/``save``/``delete``/``exists``), never through ``.path``, so every web and worker host sees the same files.
"""

import mimetypes
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

KINDS = {
    "pdf": ("application/pdf", _("PDF")),
    "jpeg": ("image/jpeg", _("JPEG image")),
    "png": ("image/png", _("PNG image")),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")


def sniff_kind(head: bytes) -> str | None:
    """The file kind given its first bytes, or None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB * 1024 * 1024)


def validate_upload(upload, kinds: tuple[str, ...] = DEFAULT_KINDS) -> str:
    """Check size and content; return the kind ('pdf', 'jpeg', 'png') or raise ValidationError."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; the limit is %(limit).0f MB. Please upload a smaller file."),
            code="too_large",
            params={"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_kind(head)
    if kind not in kinds:
        allowed = ", ".join(str(KINDS[k][1]) for k in kinds)
        raise ValidationError(
            _("“%(name)s” is not a real %(allowed)s file (its content was checked, not its name)."),
            code="bad_type",
            params={"name": upload.name, "allowed": allowed},
        )
    return kind


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


private_storage = PrivateStorage()


@deconstructible
class RandomPath:
    """``upload_to`` giving an unguessable path under ``prefix``; the original name is kept on the row."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        ext = PurePath(filename).suffix.lower()[:8]
        return f"{self.prefix}/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomPath) and other.prefix == self.prefix


def private_file_response(fieldfile, download_name: str, *, inline: bool = True) -> FileResponse:
    """Stream a private file. Call only after the permission check."""
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=not inline, filename=download_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Our own pages may show the document side by side (verification screen); nobody else may frame it.
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response
