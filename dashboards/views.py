"""The dashboards (统计): one campaign's figures and the figures across the years. Thin: the
scope and every figure come from ``dashboards.queries``; the charts are drawn by
``static/js/dashboards.js`` from JSON given with ``json_script``."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import queries


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
