"""Platform tasks that belong to no app: a ``ping`` used by the health check (``/healthz/?worker=1``)
and by the tests to prove that a real worker picks up work and stores its result."""

import socket

from celery import shared_task


@shared_task(bind=True, name="unionproj.ping")
def ping(self):
    """Answer "pong" with the name of the worker that ran it. No side effects besides the stored
    result (the django-db result backend)."""
    return {"reply": "pong", "hostname": self.request.hostname or socket.gethostname()}
