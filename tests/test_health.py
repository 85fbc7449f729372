"""``/healthz/``: a JSON answer for load balancers and monitoring, no login needed."""

import socket

import pytest
from django.conf import settings


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


@pytest.mark.skipif(not settings.CELERY_TASK_ALWAYS_EAGER, reason="with a broker the worker test covers ping")
@pytest.mark.django_db
def test_healthz_worker_check_runs_the_ping_task(client):
    body = client.get("/healthz/?worker=1").json()
    assert body == {"database": "ok", "cache": "ok", "celery": "eager", "worker": socket.gethostname()}
