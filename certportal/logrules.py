"""Rules for every log line, the portal's and gunicorn's: its time, and what it may not hold (docs/security.md).

Plain Python with no import of Django or the portal, so that gunicorn's configuration (deploy/gunicorn.conf.py)
loads this file too: its access and error lines follow the same rules as the portal's own.

``iso_time(created)``: ISO 8601 with the offset, in the portal's zone (settings.TIME_ZONE, WIB), whichever zone
the process runs in (gunicorn's master runs in the host's, often UTC).

``redact(text)`` replaces the secret part of
  * e-mail confirmation, password-reset, complaint-tracking and survey links, agency invitations and the links
    to an Open Badges credential (each a bearer token: whoever has the link may act on it),
  * ``token=``, ``password=``, ``secret=``, ``key=``, ``signature=`` and ``passphrase=`` values in a query string
    or a form body,
by ``[redacted]``, leaving the rest of the line (the page asked for, the status) for the operator.
"""

import datetime
import re
from zoneinfo import ZoneInfo

LOG_TIME_ZONE = ZoneInfo("Asia/Jakarta")  # settings.TIME_ZONE
REDACTED = "[redacted]"
_SEGMENT = r"[^/\s\"'?#<>&.,;]+"
_LINKS = re.compile(
    r"(/akun/konfirmasi/|/akun/sandi/atur/" + _SEGMENT + r"/|/pengaduan/lacak/|/pengaduan/survei/"
    r"|/perangkat-daerah/undangan/|/asesmen/kredensial/(?!status/|logo/))" + _SEGMENT)
_PARAMS = re.compile(r"(?i)([?&;\s]|^)((?:token|password\d?|secret|key|signature|passphrase)=)[^&\s\"']+")


def redact(text: str) -> str:
    if "/" not in text and "=" not in text:
        return text
    text = _LINKS.sub(lambda m: m.group(1) + REDACTED, text)
    return _PARAMS.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)


def iso_time(created: float) -> str:
    return datetime.datetime.fromtimestamp(created, LOG_TIME_ZONE).isoformat(timespec="milliseconds")
