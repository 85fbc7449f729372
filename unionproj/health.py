"""``/healthz/``: is this app server able to serve? For load balancers and monitoring.

``GET /healthz/`` checks the database and the cache (cheap, open, no login needed) and answers
``200 {"database": "ok", "cache": "ok", "celery": "eager"|"not checked"}``, or ``503`` with the
failing part's error.

``GET /healthz/?worker=1`` also sends a ``ping`` task through the broker and waits (a few
seconds at most) for a worker to answer: ``"celery": "ok"`` and ``"worker"``. That probe holds a
server thread while it waits, so (issue 21, item 3) it is only for monitoring:

- it needs the monitoring secret (``HEALTHZ_SECRET``, sent as the ``X-Healthz-Secret`` header)
  or an address of ``HEALTHZ_ALLOWED_IPS``; anyone else gets ``403`` at once (with neither set,
  the worker probe is off);
- its answer is cached for ``HEALTHZ_WORKER_CACHE_SECONDS`` (in the cache every app server
  shares when ``CACHE_URL`` is set), so monitors polling often send one ping per period;
- at most one probe is in flight per server process: a request arriving meanwhile waits for
  that probe's answer instead of sending another ping.

The worker check is opt-in so that app servers are not taken out of a load balancer just
because the workers are busy or down.
"""

import hmac
import ipaddress
import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .client import client_ip
from .tasks import ping

WORKER_TIMEOUT_SECONDS = 5
SECRET_HEADER = "X-Healthz-Secret"
WORKER_CACHE_KEY = "healthz:worker"
logger = logging.getLogger(__name__)

# One worker probe in flight per process; the others wait for its answer (then cached).
_probe_lock = threading.Lock()


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")
    return "ok"


def _worker():
    result = ping.apply_async(expires=WORKER_TIMEOUT_SECONDS)
    answer = result.get(timeout=WORKER_TIMEOUT_SECONDS, propagate=True)
    if answer.get("reply") != "pong":
        raise RuntimeError(f"unexpected answer {answer!r}")
    return answer["hostname"]


def may_probe_worker(request):
    """Whether ``request`` may run the worker probe: it carries the monitoring secret, or comes
    from an allow-listed address (single addresses or networks, ``10.0.0.0/8``)."""
    secret = settings.HEALTHZ_SECRET
    sent = request.headers.get(SECRET_HEADER, "")
    if secret and sent and hmac.compare_digest(sent.encode(), secret.encode()):
        return True
    allowed = settings.HEALTHZ_ALLOWED_IPS
    address = client_ip(request)
    if not (allowed and address):
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(_within(ip, net) for net in allowed)


def _within(ip, network):
    try:
        return ip in ipaddress.ip_network(network.strip(), strict=False)
    except ValueError:  # a typo in HEALTHZ_ALLOWED_IPS allows nobody, and breaks nothing
        logger.warning("healthz: HEALTHZ_ALLOWED_IPS entry %r is not an address or network", network)
        return False


def _cached(key):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage is reported by the cache check
        return None


def _store(key, value):
    try:
        cache.set(key, value, settings.HEALTHZ_WORKER_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("healthz: the worker report could not be cached")


def worker_report():
    """``{"celery": …, "worker"?: …}``: the cached answer of the last probe, or a new probe
    (one at a time in this process; whoever waited reads its answer)."""
    report = _cached(WORKER_CACHE_KEY)
    if report is not None:
        return report
    with _probe_lock:
        report = _cached(WORKER_CACHE_KEY)
        if report is not None:
            return report
        eager = settings.CELERY_TASK_ALWAYS_EAGER
        try:
            report = {"worker": _worker(), "celery": "eager" if eager else "ok"}
        except Exception as exc:  # noqa: BLE001
            logger.exception("healthz: worker check failed")
            report = {"celery": f"error: {exc.__class__.__name__}"}
        _store(WORKER_CACHE_KEY, report)
        return report


@never_cache
@require_safe
def healthz(request):
    if request.GET.get("worker") and not may_probe_worker(request):
        return JsonResponse({"detail": "the worker probe needs the monitoring secret"}, status=403)
    report, healthy = {}, True
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never a 500
            # The answer is public: name the failure, log the details (they may name hosts).
            logger.exception("healthz: %s check failed", name)
            report[name], healthy = f"error: {exc.__class__.__name__}", False
    report["celery"] = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "not checked"
    if request.GET.get("worker"):
        report.update(worker_report())
        healthy = healthy and "worker" in report
    return JsonResponse(report, status=200 if healthy else 503)


urlpatterns = [path("", healthz, name="healthz")]
