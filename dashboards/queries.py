"""The figures of the dashboards, aggregated in the database: every function runs a fixed
number of queries whatever the number of projects (grouped counts and sums, never a loop over
projects).

Scope: an admin sees everything of the campaigns its union owns; a county admin only the
projects of its own subtree (whatever the campaign); a superuser everything. Figures "by
county" group the projects by the union right under the scope's root (for an admin the
市(县)区总工会 and 直属单位 under the 市总; for a county admin its towns), computed from the
materialised ``Union.path`` in SQL.

Tiers and subsidies come from two places: ``awards.Payout`` (campaigns run in this system,
one per awarded project) and ``projects.HistoricAward`` (past years imported from Excel).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils.translation import gettext as _

from unionproj.labels import label
from awards.models import Payout, UnitRanking
from members.models import Union
from projects.enums import APPROVED_OR_LATER, ProjectStatus
from projects.models import (
    Campaign,
    HistoricAward,
    Project,
    ProjectEvent,
    ReplicationPlan,
)

ZERO = Decimal("0.00")


@dataclass
class Scope:
    """What a user's dashboards cover: ``projects`` (filed projects, drafts never count),
    ``campaigns`` and the ``root`` union under which figures are grouped."""

    projects: object
    campaigns: object
    root: Union | None
    county_view: bool


def scope_for(user):
    """The dashboards' scope of ``user``, or ``None`` when it has no dashboard."""
    filed = Project.objects.exclude(status=ProjectStatus.DRAFT)
    if user.is_superuser:
        root = Union.objects.filter(parent__isnull=True).order_by("path").first()
        return Scope(filed, Campaign.objects.all(), root, False)
    if user.is_admin_role and user.union_id:
        path = user.union.path
        return Scope(filed.filter(campaign__owner_union__path__startswith=path),
                     Campaign.objects.filter(owner_union__path__startswith=path), user.union, False)
    if user.is_county_admin_role and user.union_id:
        union = user.union
        return Scope(filed.filter(applicant_union__path__startswith=union.path),
                     Campaign.objects.filter(owner_union_id__in=union.ancestor_ids()), union, True)
    return None


def group_key(path_field, root):
    """SQL: the id (as text) of the union right under ``root`` that holds the row's union —
    or ``root``'s own id for a row of ``root`` itself."""
    rest = Substr(path_field, len(root.path) + 1)
    child = Substr(rest, 1, StrIndex(rest, Value("/")) - 1)
    return Case(When(**{path_field: root.path}, then=Value(str(root.pk))), default=child)


def _by_key(queryset, path_field, root, **aggregates):
    rows = (queryset.order_by().annotate(unit=group_key(path_field, root)).values("unit")
            .annotate(**aggregates).order_by("unit"))
    return {int(row.pop("unit")): row for row in rows if row["unit"]}


def _names(ids):
    return {u.pk: u.short_name or u.name for u in Union.objects.filter(pk__in=ids).only("pk", "name", "short_name")}


def _rate(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _shortlisted_q():
    # Shortlisted and later: its status says so, or (closing/closed after a roadshow) its
    # timeline has a shortlist event.
    return Q(status__in=[ProjectStatus.SHORTLISTED, ProjectStatus.AWARDED]) | Q(was_shortlisted=True)


def _with_shortlist_flag(queryset):
    return queryset.annotate(was_shortlisted=Exists(
        ProjectEvent.objects.filter(project=OuterRef("pk"), action="shortlist")))


def _funnel(queryset):
    """{filed, approved, shortlisted, closed} in one query."""
    return _with_shortlist_flag(queryset).aggregate(
        filed=Count("id"),
        approved=Count("id", filter=Q(status__in=APPROVED_OR_LATER)),
        shortlisted=Count("id", filter=_shortlisted_q()),
        closed=Count("id", filter=Q(status=ProjectStatus.CLOSED)),
    )


def _merge_sums(*dicts):
    out = {}
    for d in dicts:
        for key, value in d.items():
            out[key] = out.get(key, ZERO) + (value or ZERO)
    return out


def campaign_figures(scope, campaign):
    """Per campaign: by status, category and county; approval, shortlist and closure rates;
    tiers; subsidies per county; replication count. Ten queries."""
    projects = scope.projects.filter(campaign=campaign)
    root = scope.root if scope.county_view else campaign.owner_union
    ids = projects.values("pk")

    by_status = dict(projects.order_by().values_list("status").annotate(n=Count("id")))
    by_category = list(projects.order_by().values("category").annotate(n=Count("id")).order_by("-n", "category"))
    funnel = _funnel(projects)
    per_unit = _by_key(
        projects, "applicant_union__path", root,
        filed=Count("id"), approved=Count("id", filter=Q(status__in=APPROVED_OR_LATER)),
        closed=Count("id", filter=Q(status=ProjectStatus.CLOSED)),
    )
    payouts = Payout.objects.filter(project__in=ids)
    historic = HistoricAward.objects.filter(project__in=ids)
    tiers = {}
    for qs in (payouts, historic):
        for row in qs.order_by().values("tier").annotate(n=Count("id"), amount=Sum("amount")):
            entry = tiers.setdefault(row["tier"], {"n": 0, "amount": ZERO})
            entry["n"] += row["n"]
            entry["amount"] += row["amount"] or ZERO
    subsidy_by_unit = _merge_sums(
        {k: v["amount"] for k, v in _by_key(payouts, "project__applicant_union__path", root,
                                            amount=Sum("amount")).items()},
        {k: v["amount"] for k, v in _by_key(historic, "project__applicant_union__path", root,
                                            amount=Sum("amount")).items()},
    )
    replications = ReplicationPlan.objects.filter(source_project__in=ids).count()
    names = _names(set(per_unit) | set(subsidy_by_unit))

    units = sorted(set(per_unit) | set(subsidy_by_unit), key=lambda k: (-per_unit.get(k, {}).get("filed", 0), k))
    return {
        "campaign": campaign,
        "root": root,
        "status": [{"status": s.value, "label": str(s.label), "n": by_status.get(s.value, 0)}
                   for s in ProjectStatus if s != ProjectStatus.DRAFT],
        "category": [{"category": r["category"], "n": r["n"]} for r in by_category],
        "funnel": funnel,
        "rates": {
            "approval": _rate(funnel["approved"], funnel["filed"]),
            "shortlist": _rate(funnel["shortlisted"], funnel["approved"]),
            "closure": _rate(funnel["closed"], funnel["approved"]),
        },
        "units": [{
            "union": key, "name": names.get(key, str(key)),
            "filed": per_unit.get(key, {}).get("filed", 0),
            "approved": per_unit.get(key, {}).get("approved", 0),
            "closed": per_unit.get(key, {}).get("closed", 0),
            "subsidy": subsidy_by_unit.get(key, ZERO),
        } for key in units],
        "tiers": [{"tier": name, "n": v["n"], "amount": v["amount"]}
                  for name, v in sorted(tiers.items(), key=lambda item: _tier_order(item[0]))],
        "subsidy_total": sum(subsidy_by_unit.values(), ZERO),
        "replications": replications,
    }


TIER_ORDER = ["特优", "一等", "二等", "三等"]


def _tier_order(name):
    for i, tier in enumerate(TIER_ORDER):
        if name.startswith(tier):
            return (i, name)
    return (len(TIER_ORDER), name)


def year_figures(scope):
    """Across years: filed, approved, shortlisted and closed projects, replication plans,
    subsidy and tiers per year, and the 先进单位 ranking. Seven queries."""
    projects = scope.projects
    ids = projects.values("pk")
    funnel = {
        row["campaign__year"]: row for row in _with_shortlist_flag(projects).order_by().values("campaign__year").annotate(
            filed=Count("id"),
            approved=Count("id", filter=Q(status__in=APPROVED_OR_LATER)),
            shortlisted=Count("id", filter=_shortlisted_q()),
            closed=Count("id", filter=Q(status=ProjectStatus.CLOSED)),
        )
    }
    plans_q = Q(source_project__in=ids)
    if scope.county_view:
        plans_q |= Q(adopting_union__path__startswith=scope.root.path)
    plans = dict(ReplicationPlan.objects.filter(plans_q).order_by().values_list("year").annotate(n=Count("id")))
    subsidy = _merge_sums(
        dict(Payout.objects.filter(project__in=ids).order_by().values_list("project__campaign__year")
             .annotate(s=Sum("amount"))),
        dict(HistoricAward.objects.filter(project__in=ids).order_by().values_list("project__campaign__year")
             .annotate(s=Sum("amount"))),
    )
    tier_rows = {}
    for qs in (Payout.objects.filter(project__in=ids), HistoricAward.objects.filter(project__in=ids)):
        for row in qs.order_by().values("project__campaign__year", "tier").annotate(n=Count("id")):
            per_year = tier_rows.setdefault(row["project__campaign__year"], {})
            per_year[row["tier"]] = per_year.get(row["tier"], 0) + row["n"]
    tier_names = sorted({t for per_year in tier_rows.values() for t in per_year}, key=_tier_order)
    # Every year from the first to the last, a quiet one as zeros: an axis that jumps from 2020
    # to 2026 would draw the years as if they followed each other.
    seen = set(funnel) | set(plans) | set(subsidy)
    years = list(range(min(seen), max(seen) + 1)) if seen else []
    rows = []
    for year in years:
        f = funnel.get(year, {})
        rows.append({
            "year": year, "filed": f.get("filed", 0), "approved": f.get("approved", 0),
            "shortlisted": f.get("shortlisted", 0), "closed": f.get("closed", 0),
            "closure_rate": _rate(f.get("closed", 0), f.get("approved", 0)),
            "plans": plans.get(year, 0), "subsidy": subsidy.get(year, ZERO),
            "tiers": [tier_rows.get(year, {}).get(t, 0) for t in tier_names],
        })
    ranking = UnitRanking.objects.select_related("union").order_by("-year", "rank", "union__path")
    if scope.root is not None:
        ranking = ranking.filter(union__path__startswith=scope.root.path)
    ranking = list(ranking[:200])
    latest = ranking[0].year if ranking else None
    return {
        "years": rows,
        "tier_names": tier_names,
        "totals": {
            "approved": sum(r["approved"] for r in rows), "closed": sum(r["closed"] for r in rows),
            "plans": sum(r["plans"] for r in rows), "subsidy": sum((r["subsidy"] for r in rows), ZERO),
        },
        "ranking_year": latest,
        "ranking": [r for r in ranking if r.year == latest],
    }


def _series_names():
    return {"filed": _("申报"), "approved": _("立项"), "closed": _("结项"), "projects": _("项目数"),
            "plans": _("推广计划"), "subsidy": _("补贴（元）")}


def chart_data(figures, *, kind):
    """The JSON the charts draw (money as decimal strings), with the series' translated names."""
    if kind == "campaign":
        return {
            "names": _series_names(),
            "status": {"labels": [r["label"] for r in figures["status"]], "values": [r["n"] for r in figures["status"]]},
            "category": {"labels": [label(r["category"]) for r in figures["category"]],
                         "values": [r["n"] for r in figures["category"]]},
            "units": {"labels": [r["name"] for r in figures["units"]],
                      "filed": [r["filed"] for r in figures["units"]],
                      "approved": [r["approved"] for r in figures["units"]],
                      "closed": [r["closed"] for r in figures["units"]],
                      "subsidy": [str(r["subsidy"]) for r in figures["units"]]},
            "tiers": {"labels": [label(r["tier"]) for r in figures["tiers"]], "values": [r["n"] for r in figures["tiers"]]},
        }
    return {
        "names": _series_names(),
        "labels": [str(r["year"]) for r in figures["years"]],
        "approved": [r["approved"] for r in figures["years"]],
        "closed": [r["closed"] for r in figures["years"]],
        "plans": [r["plans"] for r in figures["years"]],
        "subsidy": [str(r["subsidy"]) for r in figures["years"]],
    }
