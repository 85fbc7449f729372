"""The Celery application. Tasks live in each app's ``tasks.py``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionproj.settings")

app = Celery("unionproj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# ``unionproj`` is not an installed app, so its tasks (the health-check ``ping``) are named here.
app.autodiscover_tasks(["unionproj"])
