"""Template tags of the awards for other apps' pages: ``{% load award_tags %}{% project_award project %}``
shows a project's tier on its page once its roadshow is finalised (so that ``projects`` shows it
without importing ``evaluations``)."""

from django import template

from evaluations.enums import RoadshowStatus

from ..models import Result

register = template.Library()


@register.inclusion_tag("awards/_project_award.html")
def project_award(project):
    """The published result of ``project`` (one query): its roadshow, rank, tier and subsidy,
    with the payout's status. Nothing before the roadshow is finalised."""
    result = (Result.objects.filter(entry__project_id=project.pk, roadshow__status=RoadshowStatus.FINALIZED)
              .exclude(tier="").select_related("roadshow").prefetch_related("payouts")
              .order_by("-roadshow__finalized_at", "-id").first())
    payout = next(iter(result.payouts.all()), None) if result is not None else None
    return {"result": result, "payout": payout}
