"""``/healthz/``: a JSON answer for load balancers and monitoring, no login needed."""

import socket

import pytest
from django.conf import settings
from django.core.cache import cache

from unionproj import health
from unionproj.celery import app


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_cache(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok" and body["cache"] == "ok"
    assert body["celery"] == ("eager" if settings.CELERY_TASK_ALWAYS_EAGER else "not checked")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_head_but_refuses_post(client):
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


@pytest.fixture
def in_process_ping():
    """The ping runs in this process (as in the embedded default, even where CI sets a broker);
    no cached worker report from another test."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    cache.delete(health.WORKER_CACHE_KEY)
    yield
    app.conf.task_always_eager = saved
    cache.delete(health.WORKER_CACHE_KEY)


@pytest.mark.django_db
def test_healthz_worker_check_runs_the_ping_task_for_the_monitor(client, settings, in_process_ping):
    settings.HEALTHZ_SECRET = "monitor-secret-0123456789"
    response = client.get("/healthz/?worker=1", headers={"X-Healthz-Secret": "monitor-secret-0123456789"})
    assert response.status_code == 200
    body = response.json()
    assert body["worker"] == socket.gethostname() and body["database"] == "ok" and body["cache"] == "ok"


# --- issue 21 item 3: the worker probe is for monitoring only ---------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("secret", ["", "monitor-secret-0123456789"])
@pytest.mark.parametrize("sent", [None, "", "wrong", "monitor-secret-012345678"])
def test_the_worker_probe_is_refused_without_the_secret(client, settings, in_process_ping, secret, sent):
    settings.HEALTHZ_SECRET = secret
    headers = {} if sent is None else {"X-Healthz-Secret": sent}
    response = client.get("/healthz/?worker=1", headers=headers)
    assert response.status_code == 403
    assert "worker" not in response.json()
    assert cache.get(health.WORKER_CACHE_KEY) is None  # no probe was made
    assert client.get("/healthz/").status_code == 200  # the plain check stays open


@pytest.mark.django_db
@pytest.mark.parametrize("allowed, address, status", [
    (["203.0.113.5"], "203.0.113.5", 200), (["10.0.0.0/8"], "10.20.30.40", 200),
    (["10.0.0.0/8", "not-an-address"], "10.1.1.1", 200), (["10.0.0.0/8"], "203.0.113.5", 403),
    (["not-an-address"], "203.0.113.5", 403), ([], "127.0.0.1", 403),
])
def test_the_worker_probe_is_allowed_from_listed_addresses(client, settings, in_process_ping, allowed, address,
                                                           status):
    settings.HEALTHZ_ALLOWED_IPS = allowed
    assert client.get("/healthz/?worker=1", REMOTE_ADDR=address).status_code == status


@pytest.mark.django_db
def test_the_worker_report_is_cached(client, settings, in_process_ping):
    settings.HEALTHZ_SECRET = "monitor-secret-0123456789"
    headers = {"X-Healthz-Secret": "monitor-secret-0123456789"}
    client.get("/healthz/?worker=1", headers=headers)
    stored = cache.get(health.WORKER_CACHE_KEY)
    assert stored["worker"] == socket.gethostname()
    cache.set(health.WORKER_CACHE_KEY, {"celery": "ok", "worker": "cached-node"}, 30)
    assert client.get("/healthz/?worker=1", headers=headers).json()["worker"] == "cached-node"
