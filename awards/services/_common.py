"""Helpers shared by the award services: the permission, the roadshow transition, limits."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluations import queries as scoring_queries
from evaluations.enums import ROADSHOW_TRANSITIONS
from unionproj.errors import WorkflowError

log = logging.getLogger(__name__)

NO_VALID_SCORE = scoring_queries.NO_VALID_SCORE
MAX_AMOUNT = Decimal("9999999999.99")
MAX_SCORE = Decimal("9999.99")
# A job published but still pending after this long lost its message (e.g. Redis restarted
# without persistence): it is published again. A second delivery is harmless (idempotent).
LOST_AFTER = timedelta(hours=1)



def move_roadshow(roadshow, action):
    """Apply the roadshow transition ``action`` (state only; the caller saves). Returns the
    state it came from."""
    sources, target = ROADSHOW_TRANSITIONS[action]
    if roadshow.status not in sources:
        raise WorkflowError(
            _("路演展评当前状态为“%(s)s”，不能%(a)s。") % {"s": roadshow.get_status_display(), "a": action.label},
            state=roadshow.status,
        )
    from_state = roadshow.status
    roadshow.status = target
    return from_state


