"""The awards' panel on a project's page (``projects.panels``): the project's tier and subsidy
once its roadshow is finalised, with the payout's status. Registered in ``apps.py``."""

from django.template.loader import render_to_string

from evaluations.enums import RoadshowStatus
from projects.enums import ProjectStatus

from .models import Result

# The project states in which a project can have a published tier.
AWARDED_STATES = {ProjectStatus.AWARDED, ProjectStatus.CLOSING, ProjectStatus.CLOSED, ProjectStatus.CLOSURE_FAILED}


def project_award(request, project):
    """The published result of ``project`` (one query): its roadshow, rank, tier and subsidy,
    with the payout's status. Nothing before the roadshow is finalised."""
    if project.status not in AWARDED_STATES:
        return ""
    result = (Result.objects.filter(entry__project_id=project.pk, roadshow__status=RoadshowStatus.FINALIZED)
              .exclude(tier="").select_related("roadshow").prefetch_related("payouts")
              .order_by("-roadshow__finalized_at", "-id").first())
    if result is None:
        return ""
    payout = next(iter(result.payouts.all()), None)
    return render_to_string("awards/_project_award.html", {"result": result, "payout": payout}, request=request)
