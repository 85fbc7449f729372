"""The admin's 评定等次 page of a roadshow: tier rules, compute with a progress bar, ranking,
charts, what-if, 公示, objections, finalise, reopen."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations import queries as scoring_queries
from evaluations import services as scoring_services
from evaluations.enums import Aggregation, RoadshowStatus
from evaluations.views.common import SERVICE_ERRORS, admin_roadshow, report
from evaluations.views.quorum import QuorumNotMet, override_reason, refusal

from .. import queries, services
from ..enums import PUBLICITY_MAX_DAYS, TIER_STATES, JobState
from ..forms import (
    AnswerForm,
    BudgetPolicyForm,
    PublicizeForm,
    ReopenForm,
    TierFormSet,
    WhatIfForm,
    tier_initial,
    tiers_of_formset,
)
from ._common import awards_url, chart_data, decorate_rows, job_context, tier_styles, totals_of


def _awards_context(request, roadshow, *, tier_formset=None, whatif_formset=None, whatif_form=None, plan=None):
    tiers = services.tiers_for(roadshow)
    tiers_saved = bool(queries.tiers_of(roadshow))
    styles = tier_styles(tiers)
    results = decorate_rows(list(queries.results_of(roadshow)), styles)
    jurors = scoring_queries.juror_spread(roadshow) if results else []
    objections = list(queries.objections_of(roadshow))
    for objection in objections:
        objection.form = AnswerForm(prefix=f"o{objection.pk}")
    unanswered = sum(1 for o in objections if not o.answered)
    stale = bool(results) and roadshow.results_signature != services.settings_signature(
        roadshow.aggregation, roadshow.budget_policy, tiers)
    # The budget in four figures that add up: the campaign's budget, what its other roadshows
    # have committed (their payouts), this roadshow's awards, and what is left after both.
    available = services.remaining_budget(roadshow)
    total = totals_of(results)
    budget = {"campaign": roadshow.campaign.budget, "others": roadshow.campaign.budget - available,
              "this": total, "remaining": available - total}
    if plan is not None:
        decorate_rows(plan.rows, tier_styles(plan.tiers))
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
        "quorum_overrides": scoring_queries.quorum_overrides_of(roadshow),
        "budget": budget,
        "total": total,
        "over_budget": total > available,
        "chart": chart_data(results, jurors) if results else None,
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
        **job_context(queries.latest_job(roadshow)),
    }


# --- the admin's 评定等次 page ------------------------------------------------------------------


@login_required
def awards(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    return render(request, "awards/awards.html", _awards_context(request, roadshow))


@require_POST
@login_required
def tiers_save(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    formset = TierFormSet(request.POST, prefix="tiers")
    policy = BudgetPolicyForm(request.POST)
    if not (formset.is_valid() and policy.is_valid()):
        messages.error(request, _("奖项等次填写有误，请检查。"))
        return render(request, "awards/awards.html",
                      _awards_context(request, roadshow, tier_formset=formset), status=400)
    try:
        with transaction.atomic():
            services.save_tiers(actor=request.user, roadshow=roadshow, tiers=tiers_of_formset(formset))
            scoring_services.update_roadshow(actor=request.user, roadshow=roadshow,
                                     budget_policy=policy.cleaned_data["budget_policy"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
        return render(request, "awards/awards.html",
                      _awards_context(request, roadshow, tier_formset=formset), status=400)
    messages.success(request, _("奖项等次已保存。"))
    return awards_url(roadshow, "#tiers")


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
        return awards_url(roadshow)
    if job.state == JobState.PENDING and job.enqueued_at is None and job.note:
        messages.warning(request, job.note)
    elif job.state == JobState.FAILED:
        messages.error(request, job.error)
    else:
        messages.info(request, _("计算任务已提交。"))
    return awards_url(roadshow, "#job")


@login_required
def job_progress(request, pk):
    """The progress bar of the roadshow's latest compute job, polled by htmx every second while
    the job is pending or running. When a polled job has finished, the page reloads
    (``HX-Refresh``) to show the ranking or the error."""
    roadshow = admin_roadshow(request.user, pk)
    job = queries.latest_job(roadshow)
    response = render(request, "awards/_job.html",
                      {"roadshow": roadshow, **job_context(job, poll=True)})
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
    return render(request, "awards/awards.html", context, status=200 if plan else 400)


@require_POST
@login_required
def publicize(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = PublicizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("公示天数须为 1 到 %(n)s 之间的整数。") % {"n": PUBLICITY_MAX_DAYS})
        return awards_url(roadshow, "#publicity")
    try:
        services.publicize(actor=request.user, roadshow=roadshow, days=form.cleaned_data["days"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("评定结果已公示。"))
    return awards_url(roadshow, "#publicity")


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
        return awards_url(roadshow, "#objections")
    try:
        services.answer_objection(actor=request.user, objection=objection, answer=form.cleaned_data["answer"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("异议已答复。"))
    return awards_url(roadshow, "#objections")


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
    return awards_url(roadshow)


@require_POST
@login_required
def reopen(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销定稿的理由。"))
        return awards_url(roadshow, "#reopen")
    try:
        services.reopen_results(actor=request.user, roadshow=roadshow, reason=form.cleaned_data["reason"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已撤销定稿，可重新计算结果。"))
    return awards_url(roadshow)


