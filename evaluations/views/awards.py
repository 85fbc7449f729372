"""Pages of the awards (评定等次 → 以奖代拨): the admin's 评定等次 page of a roadshow (tier rules,
compute with a progress bar, ranking, charts, what-if, 公示, objections, finalise, reopen), the
published results (公示 with objections, then the final list), payouts, and the unit ranking.

Thin: reads through ``evaluations.queries``, writes through ``evaluations.services``; a
``WorkflowError``/``ValidationError`` becomes a message, ``PermissionDenied`` the 403 page, a
roadshow the user cannot see the 404 page. Every page runs a constant number of queries,
whatever the number of entries or payouts. The forms here check shape only (plain text in,
the services validate and word the errors, as for the API).
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from projects.queries import campaigns_visible_to
from unionproj.inputs import CleanInputMixin, parse_id, parse_int
from unionproj.money import format_money

from .. import queries, services
from ..enums import (
    PUBLICITY_MAX_DAYS,
    TIER_STATES,
    Aggregation,
    BudgetPolicy,
    JobKind,
    JobState,
    PayoutStatus,
    RoadshowStatus,
)
from ..models import ComputeJob
from ._common import (
    SERVICE_ERRORS,
    admin_roadshow,
    may,
    report,
    visible_roadshow_or_404,
)
from .quorum import QuorumNotMet, override_reason, refusal

TIER_ROWS = 6
PAYOUTS_PER_PAGE = 25
# Tier colours of the chart and the badges, highest tier first; entries without a tier grey.
TIER_COLOURS = ("#b8860b", "#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d35400")
NO_TIER_COLOUR = "#adb5bd"
TIER_BADGES = ("text-bg-warning", "text-bg-danger", "text-bg-primary", "text-bg-success", "text-bg-info",
               "text-bg-dark")
PAYOUT_BADGE = {PayoutStatus.PENDING: "text-bg-secondary", PayoutStatus.APPROVED: "text-bg-info",
                PayoutStatus.PAID: "text-bg-success"}
JOB_BAR = {JobState.PENDING: "bg-secondary", JobState.RUNNING: "bg-info", JobState.SUCCEEDED: "bg-success",
           JobState.FAILED: "bg-danger"}


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


# --- helpers --------------------------------------------------------------------------------


def _awards_url(roadshow, anchor=""):
    return redirect(reverse("evaluations:awards", args=[roadshow.pk]) + anchor)


def _tier_styles(tiers):
    """``{tier name: (badge class, colour)}`` by the rules' order."""
    return {t.name: (TIER_BADGES[i % len(TIER_BADGES)], TIER_COLOURS[i % len(TIER_COLOURS)])
            for i, t in enumerate(tiers)}


def _decorate(rows, styles):
    """Give each result row (a ``Result`` or a ``PlanRow``) its tier name, badge and colour."""
    for row in rows:
        name = row.tier if isinstance(row.tier, str) else (row.tier.name if row.tier else "")
        row.tier_name = name
        row.tier_badge, row.tier_colour = styles.get(name, ("text-bg-light", NO_TIER_COLOUR)) if name else (
            "", NO_TIER_COLOUR)
    return rows


def _chart_data(rows, jurors):
    """What ``static/js/awards.js`` draws, handed over in a ``json_script`` tag."""
    return {
        "entries": [{"label": f"{r.rank}. {r.entry.project.title}", "score": str(r.final_score),
                     "tier": r.tier_name or _("无等次"), "colour": r.tier_colour,
                     "spread": None if r.spread is None else str(r.spread)}
                    for r in rows if r.final_score is not None],  # 无有效评分: nothing to draw
        "jurors": [{"label": j["name"], "mean": str(j["mean"]), "min": str(j["min"]), "max": str(j["max"]),
                    "cards": j["cards"]} for j in jurors],
        "labels": {"score": _("最终得分"), "range": _("评委总分范围（最低–最高）"), "mean": _("平均总分")},
        # The legend: each tier present, in the rules' order, then "no tier" when some have none.
        "tiers": [{"name": name, "colour": colour} for name, colour in dict.fromkeys(
            (r.tier_name or _("无等次"), r.tier_colour) for r in sorted(rows, key=lambda r: not r.tier_name))],
    }


def _totals(rows):
    return sum((row.amount for row in rows), Decimal("0.00"))


def _job_context(job, poll=False):
    return {"job": job, "bar_class": JOB_BAR.get(job.state, "bg-secondary") if job else "",
            "running": bool(job and job.state in (JobState.PENDING, JobState.RUNNING)), "poll": poll}


def _awards_context(request, roadshow, *, tier_formset=None, whatif_formset=None, whatif_form=None, plan=None):
    tiers = services.tiers_for(roadshow)
    tiers_saved = bool(queries.tiers_of(roadshow))
    styles = _tier_styles(tiers)
    results = _decorate(list(queries.results_of(roadshow)), styles)
    jurors = queries.juror_spread(roadshow) if results else []
    objections = list(queries.objections_of(roadshow))
    for objection in objections:
        objection.form = AnswerForm(prefix=f"o{objection.pk}")
    unanswered = sum(1 for o in objections if not o.answered)
    stale = bool(results) and roadshow.results_signature != services.settings_signature(
        roadshow.aggregation, roadshow.budget_policy, tiers)
    # The budget in four figures that add up: the campaign's budget, what its other roadshows
    # have committed (their payouts), this roadshow's awards, and what is left after both.
    available = services.remaining_budget(roadshow)
    total = _totals(results)
    budget = {"campaign": roadshow.campaign.budget, "others": roadshow.campaign.budget - available,
              "this": total, "remaining": available - total}
    if plan is not None:
        _decorate(plan.rows, _tier_styles(plan.tiers))
        plan.aggregation_label = Aggregation(plan.aggregation).label
    status = roadshow.status
    return {
        "roadshow": roadshow,
        "tab": "awards",
        "tiers": tiers,
        "tiers_saved": tiers_saved,
        "tiers_editable": status in TIER_STATES,
        "tier_formset": tier_formset or TierFormSet(prefix="tiers", initial=tier_initial(tiers)),
        "policy_form": BudgetPolicyForm(initial={"budget_policy": roadshow.budget_policy}),
        "whatif_form": whatif_form or WhatIfForm(initial={"aggregation": roadshow.aggregation}),
        "whatif_formset": whatif_formset or TierFormSet(prefix="whatif", initial=tier_initial(tiers)),
        "plan": plan,
        "results": results,
        "stale": stale,
        "quorum_overrides": queries.quorum_overrides_of(roadshow),
        "budget": budget,
        "total": total,
        "over_budget": total > available,
        "chart": _chart_data(results, jurors) if results else None,
        "jurors": jurors,
        "objections": objections,
        "unanswered": unanswered,
        "can_compute": status == RoadshowStatus.CLOSED,
        "can_publicize": status == RoadshowStatus.CLOSED and bool(results) and not stale,
        "can_finalize": status in (RoadshowStatus.CLOSED, RoadshowStatus.PUBLICITY) and bool(results)
        and not stale and unanswered == 0,
        "finalize_blocked": status in (RoadshowStatus.CLOSED, RoadshowStatus.PUBLICITY) and (
            not results or stale or unanswered > 0),
        "can_reopen": status == RoadshowStatus.FINALIZED,
        "publicize_form": PublicizeForm(),
        "reopen_form": ReopenForm(),
        **_job_context(queries.latest_job(roadshow)),
    }


# --- the admin's 评定等次 page ------------------------------------------------------------------


@login_required
def awards(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    return render(request, "evaluations/awards/awards.html", _awards_context(request, roadshow))


@require_POST
@login_required
def tiers_save(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    formset = TierFormSet(request.POST, prefix="tiers")
    policy = BudgetPolicyForm(request.POST)
    if not (formset.is_valid() and policy.is_valid()):
        messages.error(request, _("奖项等次填写有误，请检查。"))
        return render(request, "evaluations/awards/awards.html",
                      _awards_context(request, roadshow, tier_formset=formset), status=400)
    try:
        with transaction.atomic():
            services.save_tiers(actor=request.user, roadshow=roadshow, tiers=tiers_of_formset(formset))
            services.update_roadshow(actor=request.user, roadshow=roadshow,
                                     budget_policy=policy.cleaned_data["budget_policy"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
        return render(request, "evaluations/awards/awards.html",
                      _awards_context(request, roadshow, tier_formset=formset), status=400)
    messages.success(request, _("奖项等次已保存。"))
    return _awards_url(roadshow, "#tiers")


@require_POST
@login_required
def compute(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    try:
        job = services.request_compute(actor=request.user, roadshow=roadshow, override_reason=override_reason(request))
    except QuorumNotMet as exc:
        return refusal(request, roadshow, exc, back_url=f"/roadshows/{roadshow.pk}/awards/",
                       button=_("填写理由后计算结果"))
    except SERVICE_ERRORS as exc:
        report(request, exc)
        return _awards_url(roadshow)
    if job.state == JobState.PENDING and job.enqueued_at is None and job.note:
        messages.warning(request, job.note)
    elif job.state == JobState.FAILED:
        messages.error(request, job.error)
    else:
        messages.info(request, _("计算任务已提交。"))
    return _awards_url(roadshow, "#job")


@login_required
def job_progress(request, pk):
    """The progress bar of the roadshow's latest compute job, polled by htmx every second while
    the job is pending or running. When a polled job has finished, the page reloads
    (``HX-Refresh``) to show the ranking or the error."""
    roadshow = admin_roadshow(request.user, pk)
    job = queries.latest_job(roadshow)
    response = render(request, "evaluations/awards/_job.html",
                      {"roadshow": roadshow, **_job_context(job, poll=True)})
    if request.GET.get("poll") and job is not None and job.state in (JobState.SUCCEEDED, JobState.FAILED):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def preview(request, pk):
    """What-if: the awards page with the preview next to the current results. Writes nothing."""
    roadshow = admin_roadshow(request.user, pk)
    form = WhatIfForm(request.POST)
    formset = TierFormSet(request.POST, prefix="whatif")
    plan = None
    if form.is_valid() and formset.is_valid():
        try:
            plan = services.preview(actor=request.user, roadshow=roadshow,
                                    aggregation=form.cleaned_data["aggregation"], tiers=tiers_of_formset(formset))
        except SERVICE_ERRORS as exc:
            report(request, exc)
    else:
        messages.error(request, _("模拟条件填写有误，请检查。"))
    context = _awards_context(request, roadshow, whatif_formset=formset, whatif_form=form, plan=plan)
    return render(request, "evaluations/awards/awards.html", context, status=200 if plan else 400)


@require_POST
@login_required
def publicize(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = PublicizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("公示天数须为 1 到 %(n)s 之间的整数。") % {"n": PUBLICITY_MAX_DAYS})
        return _awards_url(roadshow, "#publicity")
    try:
        services.publicize(actor=request.user, roadshow=roadshow, days=form.cleaned_data["days"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("评定结果已公示。"))
    return _awards_url(roadshow, "#publicity")


@require_POST
@login_required
def objection_answer(request, pk, objection_pk):
    roadshow = admin_roadshow(request.user, pk)
    objection = queries.objections_of(roadshow).filter(pk=objection_pk).first()
    if objection is None:
        raise Http404(_("异议不存在。"))
    form = AnswerForm(request.POST, prefix=f"o{objection.pk}")
    if not form.is_valid():
        messages.error(request, _("请填写答复内容。"))
        return _awards_url(roadshow, "#objections")
    try:
        services.answer_objection(actor=request.user, objection=objection, answer=form.cleaned_data["answer"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("异议已答复。"))
    return _awards_url(roadshow, "#objections")


@require_POST
@login_required
def finalize(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    try:
        services.finalize(actor=request.user, roadshow=roadshow)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("评定结果已定稿，补贴拨付记录已生成。"))
    return _awards_url(roadshow)


@require_POST
@login_required
def reopen(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销定稿的理由。"))
        return _awards_url(roadshow, "#reopen")
    try:
        services.reopen_results(actor=request.user, roadshow=roadshow, reason=form.cleaned_data["reason"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已撤销定稿，可重新计算结果。"))
    return _awards_url(roadshow)


# --- published results: 公示 (with objections) and the final list ---------------------------


def _published_roadshow(user, pk):
    """The roadshow whose results ``user`` may read (404 when they cannot see it, 403 when they
    see it but its results are not published to them)."""
    roadshow = visible_roadshow_or_404(user, pk)
    if not queries.may_see_results(user, roadshow):
        raise PermissionDenied(_("评定结果尚未公布。"))
    return roadshow


def _public_context(request, roadshow, form=None):
    tiers = services.tiers_for(roadshow)
    results = _decorate(list(queries.results_of(roadshow)), _tier_styles(tiers))
    in_publicity = roadshow.status == RoadshowStatus.PUBLICITY
    open_for_objections = in_publicity and (roadshow.publicity_until is None
                                           or timezone.now() <= roadshow.publicity_until)
    may_object = open_for_objections and may(request.user, "evaluations.file_objection", roadshow)
    entries = [r.entry for r in results]
    return {
        "roadshow": roadshow,
        "results": results,
        "in_publicity": in_publicity,
        "may_object": may_object,
        "objection_form": form or (ObjectionForm(entries=entries) if may_object else None),
        "objections": list(queries.objections_visible_to(request.user, roadshow)),
        "quorum_overrides": queries.quorum_overrides_of(roadshow),
        "is_admin": may(request.user, "evaluations.manage_awards", roadshow),
        "own_union": request.user.union_id,
    }


@login_required
def public_results(request, pk):
    roadshow = _published_roadshow(request.user, pk)
    return render(request, "evaluations/awards/public_results.html", _public_context(request, roadshow))


@require_POST
@login_required
def objection_file(request, pk):
    roadshow = _published_roadshow(request.user, pk)
    # Permission before the form: an admin sent an empty form is refused (403), not corrected (400).
    if not may(request.user, "evaluations.file_objection", roadshow):
        raise PermissionDenied(_("只有工会工作人员可以提出异议。"))
    entries = list(queries.entries_of(roadshow))
    form = ObjectionForm(request.POST, entries=entries)
    if not form.is_valid():
        messages.error(request, _("请选择项目并填写异议内容。"))
        return render(request, "evaluations/awards/public_results.html",
                      _public_context(request, roadshow, form=form), status=400)
    entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
    try:
        services.file_objection(actor=request.user, roadshow=roadshow, entry=entry, text=form.cleaned_data["text"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("异议已提交，管理员答复后将在此显示。"))
    return redirect(reverse("evaluations:public-results", args=[roadshow.pk]) + "#objections")


# --- payouts --------------------------------------------------------------------------------


@login_required
def payout_list(request):
    user = request.user
    if not (user.is_superuser or user.is_admin_role or user.is_county_admin_role or user.is_staff_role):
        raise PermissionDenied(_("您无权查看补贴拨付。"))
    campaigns = list(campaigns_visible_to(user).order_by("-year", "-id"))
    form = PayoutFilterForm(request.GET or None, campaigns=campaigns)
    payouts = queries.payouts_visible_to(user).select_related("roadshow__campaign")
    if form.is_valid():
        if form.cleaned_data.get("campaign"):
            payouts = payouts.filter(roadshow__campaign_id=form.cleaned_data["campaign"])
        if form.cleaned_data.get("status"):
            payouts = payouts.filter(status=form.cleaned_data["status"])
    totals = queries.payout_totals(payouts)
    page = Paginator(payouts, PAYOUTS_PER_PAGE).get_page(request.GET.get("page"))
    administered = set(queries.roadshows_administered_by(user).filter(
        pk__in={p.roadshow_id for p in page.object_list}).values_list("pk", flat=True)) if page.object_list else set()
    for payout in page.object_list:
        payout.badge_class = PAYOUT_BADGE.get(payout.status, "text-bg-light")
        payout.manageable = payout.roadshow_id in administered
    query = request.GET.copy()
    query.pop("page", None)
    bulk = any(p.manageable and p.status == PayoutStatus.PENDING for p in page.object_list)
    return render(request, "evaluations/awards/payouts.html",
                  {"page": page, "form": form, "totals": totals, "query": query.urlencode(), "bulk": bulk})


def _payout_step(request, pk, service, done):
    payout = queries.payouts_visible_to(request.user).filter(pk=pk).first()
    if payout is None:
        raise Http404(_("拨付记录不存在。"))
    if not may(request.user, "evaluations.manage_awards", payout.roadshow):
        raise PermissionDenied(_("只有本次路演的管理员可以执行此操作。"))
    try:
        service(actor=request.user, payout=payout)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, done % {"p": payout.project.title})
    back = request.POST.get("next") or ""
    return redirect(back if back.startswith("/payouts/") else reverse("evaluations:payouts"))


@require_POST
@login_required
def payout_approve(request, pk):
    return _payout_step(request, pk, services.approve_payout, _("已审批补贴：%(p)s。"))


@require_POST
@login_required
def payout_mark_paid(request, pk):
    return _payout_step(request, pk, services.mark_paid, _("已确认拨付补贴：%(p)s。"))


@require_POST
@login_required
def payout_bulk_approve(request):
    """批量审批: the ticked pending payouts approved in one transaction (all or none), each
    audited; the page asked one confirmation naming the total. Not an admin, 403 (before the
    form); a payout the user cannot see, 404; one of a roadshow they do not run, 403."""
    if not may(request.user, "evaluations.approve_payouts"):
        raise PermissionDenied(_("只有管理员可以审批补贴。"))
    raw = request.POST.getlist("ids")
    ids = {parse_id(v) for v in raw}
    back = request.POST.get("next") or ""
    back = back if back.startswith("/payouts/") else reverse("evaluations:payouts")
    if None in ids or len(ids) != len(set(raw)):
        messages.error(request, _("所选补贴有误，请重新选择。"))
        return redirect(back)
    payouts = list(queries.payouts_visible_to(request.user).filter(pk__in=ids))
    if len(payouts) != len(ids):
        raise Http404(_("拨付记录不存在。"))
    try:
        approved, total = services.approve_payouts(actor=request.user, payouts=payouts)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已审批 %(n)s 笔补贴，合计 %(t)s 元。") % {"n": len(approved),
                                                                       "t": format_money(total)})
    return redirect(back)


# --- 工会工作先进单位 ---------------------------------------------------------------------------


def _year(value):
    return parse_int(value, low=2000, high=2100) or timezone.localdate().year


def _latest_ranking_job(year):
    return ComputeJob.objects.filter(kind=JobKind.UNIT_RANKING, year=year).order_by("-created_at", "-id").first()


@login_required
def unit_ranking(request):
    year = _year(request.GET.get("year"))
    rows = list(queries.unit_ranking(year))
    may_compute = may(request.user, "evaluations.rank_units")
    job = _latest_ranking_job(year) if may_compute else None
    return render(request, "evaluations/awards/unit_ranking.html", {
        "year": year, "rows": rows, "may_compute": may_compute, "years": range(timezone.localdate().year, 2014, -1),
        **_job_context(job),
    })


@require_POST
@login_required
def unit_ranking_compute(request):
    year = _year(request.POST.get("year"))
    try:
        job = services.request_unit_ranking(actor=request.user, year=year)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        if job.state == JobState.PENDING and job.enqueued_at is None and job.note:
            messages.warning(request, job.note)
        elif job.state == JobState.FAILED:
            messages.error(request, job.error)
        else:
            messages.info(request, _("排名任务已提交。"))
    return redirect(f"{reverse('evaluations:unit-ranking')}?year={year}")


@login_required
def unit_ranking_job(request):
    if not may(request.user, "evaluations.rank_units"):
        raise PermissionDenied(_("您无权执行此操作。"))
    year = _year(request.GET.get("year"))
    job = _latest_ranking_job(year)
    response = render(request, "evaluations/awards/_job.html",
                      {"year": year, "unit": True, **_job_context(job, poll=True)})
    if request.GET.get("poll") and job is not None and job.state in (JobState.SUCCEEDED, JobState.FAILED):
        response["HX-Refresh"] = "true"
    return response

