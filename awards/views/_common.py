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

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ..enums import JobState, PayoutStatus

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




# --- helpers --------------------------------------------------------------------------------


def awards_url(roadshow, anchor=""):
    return redirect(reverse("evaluations:awards", args=[roadshow.pk]) + anchor)


def tier_styles(tiers):
    """``{tier name: (badge class, colour)}`` by the rules' order."""
    return {t.name: (TIER_BADGES[i % len(TIER_BADGES)], TIER_COLOURS[i % len(TIER_COLOURS)])
            for i, t in enumerate(tiers)}


def decorate_rows(rows, styles):
    """Give each result row (a ``Result`` or a ``PlanRow``) its tier name, badge and colour."""
    for row in rows:
        name = row.tier if isinstance(row.tier, str) else (row.tier.name if row.tier else "")
        row.tier_name = name
        row.tier_badge, row.tier_colour = styles.get(name, ("text-bg-light", NO_TIER_COLOUR)) if name else (
            "", NO_TIER_COLOUR)
    return rows


def chart_data(rows, jurors):
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


def totals_of(rows):
    return sum((row.amount for row in rows), Decimal("0.00"))


def job_context(job, poll=False):
    return {"job": job, "bar_class": JOB_BAR.get(job.state, "bg-secondary") if job else "",
            "running": bool(job and job.state in (JobState.PENDING, JobState.RUNNING)), "poll": poll}


