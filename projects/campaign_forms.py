"""The campaign form. It checks the shape of the input; the rules (window order, quota, who may
own a campaign) are ``projects.services.save_campaign``'s."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.forms import UnionChoiceField
from unionproj.inputs import CleanInputMixin


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class CampaignForm(CleanInputMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    owner_union = UnionChoiceField(label=_("主办工会"), queryset=None, empty_label=None)
    filing_opens = forms.DateField(label=_("申报开始"), widget=_date_input())
    filing_deadline = forms.DateField(label=_("申报截止"), widget=_date_input())
    budget = forms.DecimalField(label=_("补贴预算（元）"), max_digits=14, decimal_places=2, min_value=0)
    categories = forms.CharField(
        label=_("领域"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("每行一个领域。"),
    )
    require_recommendation = forms.BooleanField(
        label=_("需区县推荐"), required=False,
        help_text=_("勾选后，区县以下单位申报的项目须先经区县管理员推荐。"),
    )
    recommendation_quota = forms.IntegerField(
        label=_("每区县推荐名额"), min_value=1, max_value=32767, required=False
    )
    progress_report_due = forms.DateField(
        label=_("中期报告截止"), widget=_date_input(), required=False,
        help_text=_("立项项目须在此日期前提交中期报告；临近和逾期时系统会发邮件提醒。"),
    )
    closing_report_due = forms.DateField(label=_("结项报告截止"), widget=_date_input(), required=False)

    def __init__(self, *args, owner_unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_union"].queryset = owner_unions
        self.fields["categories"].initial = "\n".join(settings.DEFAULT_CATEGORIES)

    def clean_categories(self):
        lines = [line.strip() for line in self.cleaned_data["categories"].splitlines()]
        categories = [line for line in lines if line]
        if not categories:
            raise forms.ValidationError(_("请至少填写一个领域。"))
        return categories

    @staticmethod
    def initial_from(campaign):
        return {
            "year": campaign.year, "title": campaign.title, "owner_union": campaign.owner_union,
            "filing_opens": campaign.filing_opens, "filing_deadline": campaign.filing_deadline,
            "budget": campaign.budget, "categories": "\n".join(campaign.categories),
            "require_recommendation": campaign.require_recommendation,
            "recommendation_quota": campaign.recommendation_quota,
            "progress_report_due": campaign.progress_report_due,
            "closing_report_due": campaign.closing_report_due,
        }
