"""Reads of the awards for pages and API: results, tier rules, jobs, objections, payouts, the
unit ranking. Visibility lives here once, so "not yours" is always 404."""

from decimal import Decimal

from django.db.models import F, Q, Sum

from evaluations.models import Roadshow
from evaluations.queries import PUBLISHED_STATES, administered_roadshows_q, roadshows_visible_to
from members.queries import subtree_q

from .enums import JobKind
from .models import ComputeJob, Objection, Payout, Result, UnitRanking

# --- awards: reads for pages and API ---------------------------------------------------------


def results_of(roadshow):
    """The stored results in rank order, with what a row shows (one query)."""
    return (Result.objects.filter(roadshow=roadshow)
            .select_related("entry__project__applicant_union")
            .order_by(F("rank").asc(nulls_last=True), "entry__order", "entry_id"))




def may_see_results(user, roadshow):
    """Admins any time; everybody who may read the roadshow once its results are published
    (公示 or final)."""
    if not user.is_authenticated:
        return False
    if Roadshow.objects.filter(administered_roadshows_q(user), pk=roadshow.pk).exists():
        return True
    return roadshow.status in PUBLISHED_STATES and roadshows_visible_to(user).filter(pk=roadshow.pk).exists()


def tiers_of(roadshow):
    return list(roadshow.tiers.order_by("order", "id"))


def jobs_visible_to(user):
    """Compute jobs ``user`` may follow: those of the roadshows they administer, and the unit
    rankings for admins."""
    if not user.is_authenticated:
        return ComputeJob.objects.none()
    q = Q(roadshow__in=Roadshow.objects.filter(administered_roadshows_q(user)))
    if user.is_superuser or user.is_admin_role:
        q |= Q(kind=JobKind.UNIT_RANKING)
    return ComputeJob.objects.filter(q).select_related("roadshow")


def latest_job(roadshow):
    return roadshow.jobs.filter(kind=JobKind.COMPUTE).order_by("-created_at", "-id").first()


def objections_of(roadshow):
    return (Objection.objects.filter(roadshow=roadshow)
            .select_related("entry__project__applicant_union", "filed_by", "union", "answered_by")
            .order_by("created_at", "id"))


def payouts_visible_to(user, campaign=None):
    """Payouts of the campaigns ``user`` administers, a county admin's those of the projects filed
    in the county's subtree, and a union's staff their own projects'."""
    if not user.is_authenticated:
        return Payout.objects.none()
    q = Q(roadshow__in=Roadshow.objects.filter(administered_roadshows_q(user)))
    if user.is_county_admin_role and user.union_id:
        q |= subtree_q(user.union, "project__applicant_union")
    if user.is_staff_role and user.union_id:
        q |= Q(project__applicant_union_id=user.union_id)
    payouts = Payout.objects.filter(q)
    if campaign is not None:
        payouts = payouts.filter(roadshow__campaign=campaign)
    return (payouts.select_related("project__applicant_union", "roadshow", "result", "approved_by", "paid_by")
            .order_by("roadshow_id", "result__rank", "id"))


def unit_ranking(year):
    return UnitRanking.objects.filter(year=year).select_related("union").order_by("rank", "union__path")




def objections_visible_to(user, roadshow=None):
    """Objections ``user`` may read: every objection of the roadshows they administer; their
    own union's on published roadshows otherwise (another union's objection is not theirs to
    read). Restricted to ``roadshow`` when given."""
    if not user.is_authenticated:
        return Objection.objects.none()
    q = Q(roadshow__in=Roadshow.objects.filter(administered_roadshows_q(user)))
    if user.union_id:
        q |= Q(union_id=user.union_id, roadshow__status__in=PUBLISHED_STATES)
    objections = Objection.objects.filter(q)
    if roadshow is not None:
        objections = objections.filter(roadshow=roadshow)
    return (objections.select_related("roadshow", "entry__project__applicant_union", "filed_by", "union",
                                      "answered_by")
            .order_by("created_at", "id"))


def unanswered_count(roadshow):
    return roadshow.objections.filter(answered_at__isnull=True).count()


def payout_totals(payouts):
    """``{"count", "amount", "pending", "approved", "paid"}`` of a payout queryset (one query;
    amounts are ``Decimal``)."""
    from django.db.models import Count as _Count

    zero = Decimal("0.00")
    rows = payouts.order_by().values("status").annotate(n=_Count("id"), s=Sum("amount"))
    totals = {"count": 0, "amount": zero, "pending": zero, "approved": zero, "paid": zero}
    for row in rows:
        totals["count"] += row["n"]
        totals["amount"] += row["s"] or zero
        totals[row["status"]] = row["s"] or zero
    return totals


