"""gunicorn settings for deploy/web, each from the environment with a production default.

WEB_BIND (127.0.0.1:8000: this machine only), WEB_WORKERS (CPUs + 1), WEB_THREADS (4), WEB_TIMEOUT (30 s),
WEB_MAX_REQUESTS (1000, with up to 10 % jitter so workers do not all restart at once),
FORWARDED_ALLOW_IPS (127.0.0.1,::1: the addresses whose X-Forwarded-Proto gunicorn believes; set it to the
reverse proxy's address, or * when the web port is reachable only by the proxy, as in docker-compose).
The client address itself is read by the portal from X-Forwarded-For (TRUSTED_PROXY_COUNT, certportal/net.py).
deploy/web exports the project's .env first (deploy/dotenv.py), so each may be set there too.

gunicorn speaks plain HTTP. Listening on anything but this machine (0.0.0.0, a public address) is refused unless
WEB_TLS_IN_FRONT=true says that a TLS-terminating proxy is the only way to reach that address (docker compose:
the web port is published on 127.0.0.1 and the compose network only).
"""

import importlib.util
import ipaddress
import logging
import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _loopback(address: str) -> bool:
    """Whether a gunicorn bind (host:port, [v6]:port, unix:path, fd://n) is reachable from this machine only."""
    if address.startswith(("unix:", "fd://")):
        return True
    host = address.rsplit(":", 1)[0].strip("[]") if ":" in address else address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        return False


bind = [b.strip() for b in (os.environ.get("WEB_BIND", "").strip() or "127.0.0.1:8000").split(",") if b.strip()]
_open = [address for address in bind if not _loopback(address)]
if _open and os.environ.get("WEB_TLS_IN_FRONT", "").strip().lower() not in ("1", "true", "yes", "on"):
    sys.exit(f"deploy/web refuses to listen on {', '.join(_open)}: gunicorn speaks plain HTTP, so people's passwords "
             "and documents would cross the network unencrypted. Listen on 127.0.0.1 behind the TLS proxy "
             "(WEB_BIND=127.0.0.1:8000), or set WEB_TLS_IN_FRONT=true when a TLS proxy is the only way to reach "
             "that address (docs/operations/deployment.md).")
# gthread: CPUs + 1 processes of 4 threads (3 x 4 on the 2 production cores). 200 participants of a written test
# autosave at once; a request is mostly a wait on PostgreSQL, which the threads of a process overlap, and 12 slots
# instead of 5 sync ones keep a few slow requests (a PDF, an export) from holding every one. Measured against
# 5 sync workers and 2 x 8 threads in docs/benchmarks.md (the written test under load); WEB_THREADS=1 is sync.
workers = _int("WEB_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("WEB_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"  # what gunicorn would pick itself, said here
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _int("WEB_MAX_REQUESTS", 1000)
max_requests_jitter = max(max_requests // 10, 0)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1,::1"
# Heartbeat files in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


# /metrics with several workers (certportal/metrics.py): each worker writes its request-latency histogram to a file
# in PROMETHEUS_MULTIPROC_DIR (default var/prometheus in the project folder) and a scrape, answered by any worker,
# sums them (prometheus_client's multiprocess mode). The folder is emptied here, when gunicorn starts, so a restart
# begins the counts again (Prometheus reads that as a counter reset); a worker that exits is marked dead below.
def _metrics_dir() -> str:
    import tempfile

    wanted = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
                  or Path(__file__).resolve().parent.parent / "var" / "prometheus")
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        for old in wanted.glob("*.db"):
            old.unlink()
        return str(wanted)
    except OSError:  # a read-only project folder: a fresh folder of our own instead
        return tempfile.mkdtemp(prefix="certportal-metrics-")


os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


accesslog = "-"
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL", "").strip() or "info").lower()
# The proxy's address, the forwarded chain (the portal takes the client from it), request, status, size, time (µs).
access_log_format = '%(h)s fwd="%({x-forwarded-for}i)s" "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'


# The portal's rule for every log line (docs/security.md): one-time links and secrets [redacted] (the same
# certportal/logrules.py, loaded by path: the portal's package is not imported into gunicorn's master), and times in
# ISO 8601 with the offset; the access lines carry their time too.
_spec = importlib.util.spec_from_file_location("logrules", Path(__file__).resolve().parent.parent / "certportal" /
                                               "logrules.py")
_logrules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_logrules)


class _PortalFormatter(logging.Formatter):
    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return _logrules.iso_time(record.created)

    def format(self, record):
        return _logrules.redact(super().format(record))


class PortalLogger(Logger):
    error_fmt = "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"
    access_fmt = "%(asctime)s %(message)s"

    def setup(self, cfg):
        super().setup(cfg)
        for log, fmt in ((self.error_log, self.error_fmt), (self.access_log, self.access_fmt)):
            for handler in log.handlers:
                handler.setFormatter(_PortalFormatter(fmt))


logger_class = PortalLogger
