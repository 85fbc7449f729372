"""Pages of campaigns (年度项目): list and detail for everyone signed in, create and edit for
admins. Reads go through ``projects.queries``, writes through ``projects.services``."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from members.forms import add_service_error
from members.rules import may
from members.queries import unions_managed_by
from unionproj.money import format_money

from . import services
from .campaign_forms import CampaignForm
from .enums import ProjectStatus
from .queries import campaigns_visible_to, projects_visible_to, status_counts

CAMPAIGNS_PER_PAGE = 50


def format_yuan(amount):
    """``¥1,234,567.80``: Decimal all the way, two places, grouped by thousands."""
    return f"¥{format_money(Decimal(amount))}"


@login_required
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).order_by("-year", "-id")
    page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "campaigns/campaign_list.html", {
        "page": page,
        "can_create": may(request.user, "projects.add_campaign"),
    })


@login_required
def campaign_detail(request, pk):
    user = request.user
    campaign = get_object_or_404(campaigns_visible_to(user), pk=pk)
    counts = status_counts(projects_visible_to(user).filter(campaign=campaign))
    rows = [(s.value, s.label, counts[s.value]) for s in ProjectStatus if counts.get(s.value)]
    can_file = bool(
        may(user, "projects.add_project")
        and user.union_id
        and user.union.is_within(campaign.owner_union)
        and campaign.filing_is_open()
    )
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "budget": format_yuan(campaign.budget),
        "rows": rows,
        "total": sum(counts.values()),
        "can_file": can_file,
        "can_edit": may(user, "projects.change_campaign", campaign),
        "today": timezone.localdate(),
    })


def _campaign_form_page(request, campaign=None):
    user = request.user
    owner_unions = unions_managed_by(user).order_by("path")
    if campaign is not None:
        initial = CampaignForm.initial_from(campaign)
    else:
        today = timezone.localdate()
        initial = {
            "year": today.year, "owner_union": user.union, "budget": Decimal("0.00"),
            "filing_opens": today, "filing_deadline": today + timedelta(days=30),
        }
    form = CampaignForm(request.POST or None, initial=initial, owner_unions=owner_unions)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_campaign(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您无权执行此操作。"))
        else:
            messages.success(request, _("已保存年度项目“%(title)s”。") % {"title": saved.title})
            return redirect("campaigns:detail", pk=saved.pk)
    if request.method == "POST":
        messages.error(request, _("保存失败,请检查下面标出的问题。"))
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_create(request):
    if not may(request.user, "projects.add_campaign"):
        raise PermissionDenied
    return _campaign_form_page(request)


@login_required
def campaign_edit(request, pk):
    campaign = get_object_or_404(campaigns_visible_to(request.user), pk=pk)
    if not may(request.user, "projects.change_campaign", campaign):
        raise PermissionDenied
    return _campaign_form_page(request, campaign)
