"""工会工作先进单位: the yearly unit ranking."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import aggregation
from evaluations.enums import RoadshowStatus
from evaluations.services._common import ROW_LOCK
from members.rules import may
from projects.models import Campaign
from unionproj.errors import NOT_ALLOWED

from ..enums import UNIT_POINTS, UNIT_POINTS_BY_NAME, JobKind
from ..models import Result, UnitRanking
from .jobs import new_job
from .jobs import register as register_job

# --- 工会工作先进单位 ---------------------------------------------------------------------------


def top_level_union_id(path):
    """The union directly under the root on ``path`` ("/root/top/…/"): the county or direct
    unit a union belongs to; the root itself for the root."""
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids[1] if len(ids) > 1 else ids[0]


def tier_points(tier, tier_order):
    """A tier's points for the unit ranking: by name (特优 5, 一等 3, 二等 2, 三等 1), else by the
    rule's position."""
    if tier in UNIT_POINTS_BY_NAME:
        return UNIT_POINTS_BY_NAME[tier]
    if tier_order is None:
        return 0
    return UNIT_POINTS[tier_order - 1] if 1 <= tier_order <= len(UNIT_POINTS) else 1


def rank_units(*, year, progress=None):
    """Rank the top-level units (市(县)区总工会 and direct units) by the points of their
    projects' tiers in the year's finalised roadshows (:func:`tier_points`); equal points share a
    rank. Replaces the year's ``UnitRanking`` rows. The year's campaigns are locked meanwhile,
    so two rankings of one year at once run one after the other. Returns a summary."""
    report = progress or (lambda percent: None)
    with transaction.atomic():
        list(Campaign.objects.select_for_update(**ROW_LOCK).filter(year=year).order_by("pk").values_list("pk"))
        rows = (Result.objects.filter(roadshow__campaign__year=year, roadshow__status=RoadshowStatus.FINALIZED,
                                      tier_order__isnull=False)
                .values_list("tier", "tier_order", "entry__project_id", "entry__project__applicant_union__path")
                .order_by("entry__project_id"))
        points, breakdown = {}, {}
        for tier, tier_order, project_id, path in rows:
            unit = top_level_union_id(path)
            points[unit] = points.get(unit, 0) + tier_points(tier, tier_order)
            detail = breakdown.setdefault(unit, {"tiers": {}, "projects": []})
            detail["tiers"][tier] = detail["tiers"].get(tier, 0) + 1
            detail["projects"].append(project_id)
        report(50)
        ranked = aggregation.rank({unit: Decimal(p) for unit, p in points.items()})
        UnitRanking.objects.filter(year=year).delete()
        now = timezone.now()
        UnitRanking.objects.bulk_create(
            UnitRanking(year=year, union_id=r.key, points=int(r.score), rank=r.rank, breakdown=breakdown[r.key],
                        computed_at=now)
            for r in ranked
        )
    report(95)
    return {"year": year, "units": len(ranked),
            "top": [{"union": r.key, "points": int(r.score), "rank": r.rank} for r in ranked[:10]]}


def request_unit_ranking(*, actor, year):
    """Ask for the year's unit ranking (admins). Returns the ``ComputeJob`` (see
    :func:`request_compute` for how it reaches the worker)."""
    if not may(actor, "evaluations.rank_units"):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        year = int(year)
        valid = 2000 <= year <= 2100
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError({"year": _("年度无效。")})
    with transaction.atomic():
        job = new_job(actor=actor, kind=JobKind.UNIT_RANKING, year=year)
    job.refresh_from_db()
    return job


register_job(JobKind.UNIT_RANKING, lambda job, progress: rank_units(year=job.year, progress=progress))
