"""Forms of the award pages (shape only: the services validate and word the errors)."""


from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.enums import Aggregation, BudgetPolicy
from unionproj.inputs import CleanInputMixin

from .enums import PUBLICITY_MAX_DAYS, PayoutStatus
from .views._common import TIER_ROWS

# --- forms (shape only) ---------------------------------------------------------------------


class TierRowForm(CleanInputMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("等次"), max_length=30, required=False)
    quota_count = forms.CharField(label=gettext_lazy("名额"), max_length=12, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    quota_percent = forms.CharField(label=gettext_lazy("名额比例（%）"), max_length=12, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    min_score = forms.CharField(label=gettext_lazy("最低分"), max_length=12, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    amount = forms.CharField(label=gettext_lazy("奖补金额（元）"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))


TierFormSet = forms.formset_factory(TierRowForm, extra=0, max_num=TIER_ROWS, absolute_max=TIER_ROWS,
                                    validate_max=True)


def tier_initial(tiers):
    rows = [{"name": t.name, "quota_count": t.quota_count or "",
             "quota_percent": "" if t.quota_percent is None else t.quota_percent,
             "min_score": "" if t.min_score is None else t.min_score, "amount": t.amount} for t in tiers]
    return rows + [{}] * max(0, TIER_ROWS - len(rows))


def tiers_of_formset(formset):
    """The filled rows as ``[{name, quota_count, quota_percent, min_score, amount}]`` (empty rows
    dropped), for ``services.clean_tiers``."""
    rows = []
    for form in formset.forms:
        data = {key: (form.cleaned_data.get(key) or "").strip() for key in TierRowForm.base_fields}
        if any(data.values()):
            rows.append(data)
    return rows


class BudgetPolicyForm(CleanInputMixin, forms.Form):
    budget_policy = forms.ChoiceField(label=gettext_lazy("超预算处理"), choices=BudgetPolicy.choices)


class WhatIfForm(CleanInputMixin, forms.Form):
    aggregation = forms.ChoiceField(label=gettext_lazy("计分方法"), choices=Aggregation.choices)


class PublicizeForm(CleanInputMixin, forms.Form):
    days = forms.IntegerField(label=gettext_lazy("公示天数"), min_value=1, max_value=PUBLICITY_MAX_DAYS, initial=7)


class AnswerForm(CleanInputMixin, forms.Form):
    answer = forms.CharField(label=gettext_lazy("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销定稿的理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(CleanInputMixin, forms.Form):
    entry = forms.TypedChoiceField(label=gettext_lazy("异议项目"), coerce=int, choices=())
    text = forms.CharField(label=gettext_lazy("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, e.project.title) for e in entries]


class PayoutFilterForm(CleanInputMixin, forms.Form):
    campaign = forms.TypedChoiceField(label=gettext_lazy("年度项目"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部"))] + list(PayoutStatus.choices))

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", _("全部"))] + [(c.pk, str(c)) for c in campaigns]


