"""Forms of the project pages. They validate shape only; every rule is in ``projects.services``."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members.models import Union
from unionproj.inputs import CleanInputMixin
from unionproj.labels import label

from .enums import SCREENING_STATES, SUBMIT_REQUIRED, Action, ProjectStatus, ReplicationStatus
from .models import Campaign, Project
from .services import PROJECT_FIELDS

SEARCH_MAX_LENGTH = 100


class ProjectFilterForm(CleanInputMixin, forms.Form):
    """The list page's filters. An invalid value is reported on its field and ignored."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=SEARCH_MAX_LENGTH,
                        widget=forms.SearchInput(attrs={"placeholder": _("项目名称或简介")}))
    campaign = forms.ModelChoiceField(label=_("年度项目"), queryset=Campaign.objects.none(), required=False,
                                      empty_label=_("全部年度"))
    status = forms.ChoiceField(label=_("状态"), required=False)
    union = forms.ModelChoiceField(label=_("申报单位"), queryset=Union.objects.none(), required=False,
                                   empty_label=_("全部单位"))
    category = forms.ChoiceField(label=_("领域"), required=False)
    scope = forms.ChoiceField(label=_("范围"), required=False, choices=[
        ("", _("全部可见项目")), ("mine", _("本单位及下级单位")), ("library", _("项目库（各单位已结项项目）")),
    ])

    def __init__(self, *args, campaigns, unions, categories, union=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.fields["campaign"].queryset = campaigns
        self.fields["union"].queryset = unions
        self.fields["status"].choices = [("", _("全部状态")), *ProjectStatus.choices]
        self.fields["category"].choices = [("", _("全部领域")), *((c, label(c)) for c in categories)]

    def filter(self, queryset):
        """``queryset`` narrowed by every valid filter (invalid ones are left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            queryset = queryset.filter(Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"]))
        if data.get("campaign"):
            queryset = queryset.filter(campaign=data["campaign"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("union"):
            queryset = queryset.filter(applicant_union=data["union"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("scope") == "mine":
            queryset = (queryset.filter(applicant_union__path__startswith=self.union.path) if self.union
                        else queryset.none())
        elif data.get("scope") == "library":
            queryset = queryset.filter(status=ProjectStatus.CLOSED)
        return queryset


def category_choices(campaigns):
    """Every category of ``campaigns`` plus the defaults, each once, in a stable order."""
    seen = dict.fromkeys(settings.DEFAULT_CATEGORIES)
    for categories in campaigns.values_list("categories", flat=True):
        seen.update(dict.fromkeys(str(c) for c in categories or []))
    return list(seen)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the attachment service judges each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ".pdf,.doc,.docx,.ppt,.pptx,.xls,.xlsx,.jpg,.jpeg,.png,.mp4"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProjectForm(CleanInputMixin, forms.ModelForm):
    """The filing form (申报表). Saving goes through the services, never ``form.save()``."""

    category = forms.ChoiceField(label=_("领域"))
    files = MultipleFileField(label=_("申报材料"), help_text=_("可一次选择多个文件，随草稿一起上传。"))

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "plan": forms.Textarea(attrs={"rows": 5}),
            "expected_outcomes": forms.Textarea(attrs={"rows": 4}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {
            "budget_requested": _("单位：元，保留两位小数。"),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        categories = list(campaign.categories or [])
        current = self.instance.category if self.instance.pk else ""
        if current and current not in categories:
            categories.append(current)
        self.fields["category"].choices = [("", "---------"), *((c, label(c)) for c in categories)]
        self.fields["budget_requested"].widget.attrs.setdefault("inputmode", "decimal")
        for name in SUBMIT_REQUIRED:
            field = self.fields[name]
            # The page checks these before it asks to confirm the submission (static/js/app.js).
            field.widget.attrs["data-required-for-submit"] = "1"
            if not field.required:  # required for submitting, not for saving a draft: mark it all the same
                field.label = format_html('{}<span class="asteriskField">*</span>', field.label)

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in PROJECT_FIELDS if name in self.cleaned_data}


class AttachmentForm(CleanInputMixin, forms.Form):
    # Empty and odd files are judged by the attachment service, which names the reason.
    file = forms.FileField(label=_("上传附件"), allow_empty_file=True,
                           error_messages={"required": _("请选择要上传的文件。")})


class ReasonForm(CleanInputMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenFilingForm(CleanInputMixin, forms.Form):
    until = forms.DateField(label=_("补报截止日期"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("请输入有效的日期。")})
    reason = forms.CharField(label=_("理由（申报单位可见）"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ScreeningFilterForm(CleanInputMixin, forms.Form):
    campaign = forms.ModelChoiceField(label=_("年度项目"), queryset=Campaign.objects.none(), required=False,
                                      empty_label=_("全部年度"))
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["status"].choices = [
            ("", _("全部状态")), *((s.value, s.label) for s in ProjectStatus if s in SCREENING_STATES)
        ]

    def filter(self, queryset, *, with_status=True):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("campaign"):
            queryset = queryset.filter(campaign=data["campaign"])
        if with_status and data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


BULK_ACTIONS = (Action.APPROVE, Action.RETURN, Action.REJECT, Action.RECOMMEND, Action.SHORTLIST,
                Action.ACCEPT_CLOSURE)


class BulkActionForm(CleanInputMixin, forms.Form):
    projects = forms.TypedMultipleChoiceField(
        label=_("项目"), coerce=int, error_messages={"required": _("请先勾选项目。")}
    )
    action = forms.ChoiceField(label=_("批量操作"), choices=[(a.value, a.label) for a in BULK_ACTIONS])
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer id is accepted here; what the user may touch is decided by the query and
        # the services.
        self.fields["projects"].valid_value = lambda value: True

    def clean_projects(self):
        ids = self.cleaned_data["projects"]
        return list(dict.fromkeys(ids))


# --- after the award ----------------------------------------------------------------------------


class ClosingReportForm(CleanInputMixin, forms.Form):
    report = forms.CharField(label=_("结项报告"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("项目实施情况、取得的成效、经费使用和可复制推广的经验。"))
    files = MultipleFileField(label=_("结项材料（可多选）"))


class ProgressReportForm(CleanInputMixin, forms.Form):
    text = forms.CharField(label=_("中期报告"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("项目进展、阶段成效和下一步计划。"))
    files = MultipleFileField(label=_("中期报告材料（可多选）"))


class ReplicationPlanForm(CleanInputMixin, forms.Form):
    plan = forms.CharField(label=_("推广计划"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("本单位准备如何借鉴、复制这个项目。"))


class ReplicationUpdateForm(CleanInputMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=ReplicationStatus.choices)
    plan = forms.CharField(label=_("推广计划"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    adoption_report = forms.CharField(label=_("推广成效报告"), max_length=20000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}),
                                      help_text=_("推广完成时必填。"))


class ReplicationFilterForm(CleanInputMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1900, max_value=2999)
    adopting_union = forms.ModelChoiceField(label=_("推广单位"), queryset=Union.objects.none(), required=False,
                                            empty_label=_("全部单位"))
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopting_union"].queryset = unions
        self.fields["status"].choices = [("", _("全部状态")), *ReplicationStatus.choices]

    def filter(self, queryset):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("year"):
            queryset = queryset.filter(year=data["year"])
        if data.get("adopting_union"):
            queryset = queryset.filter(adopting_union=data["adopting_union"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


class HistoryImportForm(CleanInputMixin, forms.Form):
    file = forms.FileField(label=_("历史数据文件（.xlsx）"), error_messages={"required": _("请选择要导入的文件。")})

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = settings.HISTORY_IMPORT_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(_("文件过大（%(size)s MB），历史数据文件最大 %(limit)s MB，请分成几个文件导入。")
                                        % {"size": f"{file.size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"})
        return file
