"""``/healthz/``: is this app server able to serve? For load balancers and monitoring.

``GET /healthz/`` checks the database and the cache (cheap, no login needed) and answers
``200 {"database": "ok", "cache": "ok", "celery": "eager"|"not checked"}``, or ``503`` with the
failing part's error. ``GET /healthz/?worker=1`` also sends a ``ping`` task through the broker
and waits (a few seconds at most) for a worker to answer: ``"celery": "ok"`` and ``"worker"``.
The worker check is opt-in so that app servers are not taken out of a load balancer just
because the workers are busy or down.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .tasks import ping

WORKER_TIMEOUT_SECONDS = 5
logger = logging.getLogger(__name__)


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


@never_cache
@require_safe
def healthz(request):
    report, healthy = {}, True
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never a 500
            # The answer is public: name the failure, log the details (they may name hosts).
            logger.exception("healthz: %s check failed", name)
            report[name], healthy = f"error: {exc.__class__.__name__}", False
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    report["celery"] = "eager" if eager else "not checked"
    if request.GET.get("worker"):
        try:
            report["worker"] = _worker()
            report["celery"] = "eager" if eager else "ok"
        except Exception as exc:  # noqa: BLE001
            logger.exception("healthz: worker check failed")
            report["celery"], healthy = f"error: {exc.__class__.__name__}", False
    return JsonResponse(report, status=200 if healthy else 503)


urlpatterns = [path("", healthz, name="healthz")]
