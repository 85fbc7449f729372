"""Forms of the roadshow pages. They validate shape only; every rule (who may, in which state,
what a legal score is) lives in ``evaluations.services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import User
from projects.models import Campaign, Project
from unionproj.inputs import CleanInputMixin

from .enums import Aggregation
from .models import Entry, JurorGroup, JurySeat

SEARCH_MAX_LENGTH = 60
REASON_MAX_LENGTH = 300


class RoadshowForm(CleanInputMixin, forms.Form):
    """Create a roadshow, or change its settings (``campaign`` only when creating)."""

    campaign = forms.ModelChoiceField(label=_("年度项目"), queryset=Campaign.objects.none(), empty_label=None)
    title = forms.CharField(label=_("名称"), max_length=200)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.CharField(label=_("地点"), max_length=200, required=False)
    aggregation = forms.ChoiceField(label=_("计分方法"), choices=Aggregation.choices, initial=Aggregation.TRIMMED_MEAN)
    live = forms.BooleanField(label=_("现场亮分（逐个项目开始评分，大屏实时显示得分）"), required=False)
    # Settings only (筹备中): the quorum; empty is the default rule (evaluations.quorum).
    min_cards = forms.IntegerField(label=_("最少有效评分表数"), required=False, min_value=1, max_value=999)

    # Creation only: the category whose rubric the roadshow scores on (the service checks that
    # it is one of the chosen campaign's categories).
    category = forms.ChoiceField(label=_("领域"), required=False,
                                 help_text=_("选择领域时使用该领域的评分标准；不选则使用年度项目的评分标准。"))

    def __init__(self, *args, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaigns is None:
            del self.fields["campaign"]
            del self.fields["category"]
        else:
            del self.fields["min_cards"]
            self.fields["campaign"].queryset = campaigns
            categories = sorted({c for campaign in campaigns for c in campaign.categories})
            self.fields["category"].choices = [("", _("整个年度")), *((c, c) for c in categories)]

    def service_fields(self):
        data = self.cleaned_data
        return {key: data[key] for key in ("title", "date", "venue", "aggregation", "live")}


class RubricForm(CleanInputMixin, forms.Form):
    """A campaign's rubric: its name and whom it is for (the whole year or one category); the
    criteria come from :data:`CriterionFormSet`."""

    name = forms.CharField(label=_("名称"), max_length=100)
    category = forms.ChoiceField(label=_("适用范围"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("整个年度")), *((c, c) for c in campaign.categories)]


class CriterionRowForm(CleanInputMixin, forms.Form):
    """One criterion row; a blank row is ignored. The values are checked by the service."""

    name = forms.CharField(label=_("评分项"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    # Text: the service checks the number and says which criterion is wrong.
    max_points = forms.CharField(label=_("满分"), max_length=10, required=False,
                                 widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                                               "inputmode": "decimal"}))
    description = forms.CharField(label=_("说明"), max_length=2000, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def criterion(self):
        data = getattr(self, "cleaned_data", None) or {}
        if not any(str(data.get(key) or "").strip() for key in ("name", "max_points", "description")):
            return None
        return {key: str(data.get(key) or "").strip() for key in ("name", "max_points", "description")}


CRITERION_ROWS = 6
CriterionFormSet = forms.formset_factory(CriterionRowForm, extra=CRITERION_ROWS, max_num=50, validate_max=True)


def criteria_from(formset):
    """The filled rows of a valid :data:`CriterionFormSet`, in order."""
    return [c for c in (form.criterion() for form in formset.forms) if c is not None]


class EntriesForm(CleanInputMixin, forms.Form):
    """Add shortlisted projects of the campaign to the running order."""

    projects = forms.ModelMultipleChoiceField(label=_("入围项目"), queryset=Project.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = projects


class JurorSearchForm(CleanInputMixin, forms.Form):
    q = forms.CharField(label=_("搜索评委"), required=False, max_length=SEARCH_MAX_LENGTH)


class AddJurorForm(CleanInputMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("评委"), queryset=User.objects.none())
    group = forms.ModelChoiceField(label=_("评审组"), queryset=JurorGroup.objects.none(), required=False)

    def __init__(self, *args, pool, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = pool
        self.fields["group"].queryset = groups


class GroupForm(CleanInputMixin, forms.Form):
    name = forms.CharField(label=_("评审组名称"), max_length=60)
    # Text: the service checks the number and says what is wrong with it.
    weight = forms.CharField(label=_("权重"), max_length=20)


class SeatGroupForm(CleanInputMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("评审组"), queryset=JurorGroup.objects.none())

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class RecusalForm(CleanInputMixin, forms.Form):
    seat = forms.ModelChoiceField(label=_("评委"), queryset=JurySeat.objects.none())
    entry = forms.ModelChoiceField(label=_("路演项目"), queryset=Entry.objects.none())
    reason = forms.CharField(label=_("回避理由"), max_length=REASON_MAX_LENGTH)

    def __init__(self, *args, seats, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats
        self.fields["seat"].label_from_instance = lambda seat: seat.user.display_name
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda entry: f"{entry.order}. {entry.project.title}"


class ReasonForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def score_field_name(criterion):
    return f"c{criterion.pk}"


def scores_from_post(data, criteria):
    """``{criterion id: raw text}`` of the criteria filled in (blank ones are left out: a draft
    may be partial). The values are checked by ``services.clean_scores``."""
    scores = {}
    for criterion in criteria:
        raw = data.get(score_field_name(criterion), "")
        if raw.strip():
            scores[criterion.pk] = raw.strip()
    return scores
