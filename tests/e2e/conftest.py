"""Browser journeys: Playwright driving Debian's chromium against pytest-django's live server.

Run with ``pytest -m e2e`` (they are ordinary tests otherwise too). Screenshots go to
``<repo>/test-artifacts/screenshots/`` so CI can keep them.
"""

import os

from .browser import (  # noqa: F401 - the browser's fixtures, for every journey
    browser_context_args,
    browser_type_launch_args,
    desktop,
    phone,
)

# Playwright's sync API runs an event loop in this thread; the live server's database calls
# from the test itself would otherwise raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
