"""The home page (one card per role) and the dashboards (统计): one campaign's figures and the
figures across the years. Thin: the scope and every figure come from ``dashboards.queries``
and the apps' queries; the charts are drawn by ``static/js/dashboards.js`` from JSON given
with ``json_script``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from members.queries import subtree_q
from members.rules import has_admin_role, is_county_admin, is_juror, is_staff_member, is_superuser
from projects.enums import SCREENING_STATES, ProjectStatus
from projects.queries import campaigns_visible_to, project_list, projects_visible_to, screening_queue, status_counts

from . import queries


def _status_rows(counts):
    """``[(status, label, count)]`` in workflow order, only the statuses that occur."""
    return [(s.value, s.label, counts[s.value]) for s in ProjectStatus if counts.get(s.value)]


# --- home -----------------------------------------------------------------------------------


@login_required
def home(request):
    """One card per role the user holds; each card costs a fixed number of queries."""
    user = request.user
    context = {}
    if is_staff_member(user) and user.union_id:
        mine = projects_visible_to(user).filter(subtree_q(user.union, "applicant_union"))
        counts = status_counts(mine)
        today = timezone.localdate()
        context["staff_card"] = {
            "rows": _status_rows(counts),
            "total": sum(counts.values()),
            "latest": list(
                project_list(user).filter(subtree_q(user.union, "applicant_union")).order_by("-updated_at", "-id")[:5]
            ),
            "open_campaigns": list(
                campaigns_visible_to(user).filter(
                    filing_opens__lte=today, filing_deadline__gte=today,
                    owner_union_id__in=user.union.ancestor_ids(),
                )
            ),
        }
    if is_county_admin(user) and user.union_id:
        counts = status_counts(projects_visible_to(user).filter(subtree_q(user.union, "applicant_union")))
        context["county_card"] = {
            "queue": screening_queue(user).count(),
            "rows": _status_rows(counts),
            "total": sum(counts.values()),
        }
    if is_superuser(user) or (has_admin_role(user) and user.union_id):
        filed = projects_visible_to(user).exclude(status=ProjectStatus.DRAFT)
        if not user.is_superuser:
            filed = filed.filter(campaign__owner_union__path__startswith=user.union.path)
        counts = status_counts(filed)
        context["admin_card"] = {
            "pending": sum(counts.get(s.value, 0) for s in SCREENING_STATES),
            "pending_rows": [(s, label, n) for s, label, n in _status_rows(counts) if s in SCREENING_STATES],
            "rows": _status_rows(counts),
            "total": sum(counts.values()),
        }
    context["juror_card"] = is_juror(user)
    context["no_role"] = not (
        is_juror(user) or any(card in context for card in ("staff_card", "county_card", "admin_card"))
    )
    return render(request, "dashboards/home.html", context)


# --- dashboards ---------------------------------------------------------------------------


def _scope_or_403(user):
    scope = queries.scope_for(user)
    if scope is None:
        raise PermissionDenied(_("只有市总管理员和区县管理员可以查看统计。"))
    return scope


@login_required
def campaign_dashboard(request, pk=None):
    scope = _scope_or_403(request.user)
    campaigns = list(scope.campaigns.select_related("owner_union").order_by("-year", "-id"))
    if pk is None:
        campaign = campaigns[0] if campaigns else None
    else:
        campaign = next((c for c in campaigns if c.pk == pk), None)
        if campaign is None:
            raise Http404(_("年度项目不存在或不在您的统计范围内。"))
    figures = queries.campaign_figures(scope, campaign) if campaign else None
    context = {
        "campaigns": campaigns,
        "campaign": campaign,
        "figures": figures,
        "chart": queries.chart_data(figures, kind="campaign") if figures else None,
        "county_view": scope.county_view,
        "scope_root": scope.root,
    }
    return render(request, "dashboards/campaign.html", context)


@login_required
def year_dashboard(request):
    scope = _scope_or_403(request.user)
    figures = queries.year_figures(scope)
    context = {
        "figures": figures,
        "chart": queries.chart_data(figures, kind="years"),
        "county_view": scope.county_view,
        "scope_root": scope.root,
    }
    return render(request, "dashboards/years.html", context)
