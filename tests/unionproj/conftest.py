import datetime

import pytest


@pytest.fixture
def closed_roadshow_for_jobs(people, campaign):
    """A roadshow for job rows to hang on (its state does not matter to the runner)."""
    from evaluations import services

    return services.create_roadshow(actor=people["admin"], campaign=campaign, title="任务",
                                    date=datetime.date(2026, 12, 5))
