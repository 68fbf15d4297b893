"""gunicorn settings for deploy/web, each from the environment with a production default.

WEB_BIND (0.0.0.0:8000), WEB_WORKERS (2 x CPUs + 1), WEB_THREADS (1), WEB_TIMEOUT (30 s),
WEB_MAX_REQUESTS (1000, with up to 10 % jitter so workers do not all restart at once),
FORWARDED_ALLOW_IPS (127.0.0.1,::1: the addresses whose X-Forwarded-Proto gunicorn believes; set it to the
reverse proxy's address, or * when the web port is reachable only by the proxy, as in docker-compose).
The client address itself is read by the portal from X-Forwarded-For (TRUSTED_PROXY_COUNT, certportal/net.py).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("WEB_BIND", "0.0.0.0:8000").split(",")
workers = _int("WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("WEB_THREADS", 1)
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _int("WEB_MAX_REQUESTS", 1000)
max_requests_jitter = max(max_requests // 10, 0)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Heartbeat files in memory, not on a possibly slow container disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy's address, the forwarded chain (the portal takes the client from it), request, status, size, time (µs).
access_log_format = '%(h)s fwd="%({x-forwarded-for}i)s" "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
