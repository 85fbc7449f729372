"""Writes to campaigns (年度项目)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.rules import require_perm

from ..models import Campaign


CAMPAIGN_FIELDS = (
    "year", "title", "owner_union", "filing_opens", "filing_deadline", "budget", "categories",
    "require_recommendation", "recommendation_quota", "progress_report_due", "closing_report_due",
)


def _clean_categories(categories):
    cleaned = [str(c).strip() for c in (categories or []) if str(c).strip()]
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"categories": _("领域名称不能重复。")})
    return cleaned


# --- campaigns ------------------------------------------------------------------------------


@transaction.atomic
def save_campaign(*, actor, campaign=None, **fields):
    """Create or change a campaign (a year's programme). Side effects: a history row.

    Raises ``PermissionDenied`` unless ``actor`` is an admin of the (new) owner union.
    """
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    if campaign is None:
        require_perm(actor, "projects.add_campaign")
        campaign = Campaign()
    else:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_perm(actor, "projects.change_campaign", campaign)
    if "categories" in fields:
        fields["categories"] = _clean_categories(fields["categories"]) or None
        if fields["categories"] is None:
            del fields["categories"]
    for key, value in fields.items():
        setattr(campaign, key, value)
    require_perm(actor, "projects.change_campaign", campaign)
    if campaign.filing_deadline < campaign.filing_opens:
        raise ValidationError({"filing_deadline": _("申报截止日期不能早于开始日期。")})
    if campaign.require_recommendation and not campaign.recommendation_quota:
        raise ValidationError({"recommendation_quota": _("需要区县推荐时，请填写每区县推荐名额。")})
    campaign._history_user = actor
    campaign.save()
    return campaign
