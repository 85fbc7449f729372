"""A roadshow holds the status of its entries' projects until it is finalised (issue 21).

While a project is an entry of a roadshow that is not finalised, no status change of the
project is allowed but the roadshow's own (``finalize`` → awarded, ``reopen_results`` →
shortlisted, the recovery below): :func:`entry_guard` is registered into
``projects.guards`` at ``EvaluationsConfig.ready`` and refuses everything else with a 409
naming the roadshow. The roadshow's own transitions pass ``context={"roadshow": id}``.

The admin's recovery, for a roadshow whose entry nevertheless left its expected state (data
from before the guard, or two unfinished roadshows holding one project), is one of two audited
actions, each with a reason:

- :func:`restore_entry` puts the project back to ``shortlisted`` (from ``closing`` or
  ``closure_failed``). The entry, its scorecards, results and objections stay as they are, so
  the ranking and the 公示 remain valid and ``finalize`` proceeds with no recompute: this is
  the safe choice once results are computed or published, and the only one during 公示.
- :func:`withdraw_entry` takes the entry off the roadshow (with its cards, recusals, results
  and objections; the audit rows stay). The ranking without it is a different ranking, so the
  stored results are marked stale and ``finalize`` asks for a new compute. Allowed until the
  results are published (setup, scoring, closed): it is the way out for a project that is on
  two unfinished roadshows, or whose closure was already accepted (a closed project is never
  put back).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from members.rules import require_perm
from projects import services as project_services
from projects.enums import AWARD_TRANSITIONS, AwardAction, ProjectStatus
from unionproj.errors import WorkflowError
from unionproj.text import quoted

from ..enums import UNFINISHED_STATES, WITHDRAW_STATES, CardStatus, EventAction
from ..models import Entry, Score, Scorecard
from ..queries import unfinished_entries_of_project
from ..rules import MANAGE_AWARDS
from .common import ROW_LOCK, clean_text, lock_roadshow, record, require_status

REASON_LIMIT = 2000


def entry_guard(*, project, action, context):
    """The transition guard (``projects.guards``): refuse ``action`` on ``project`` while it
    is an entry of a roadshow not finalised, other than ``context["roadshow"]``. Raises
    ``WorkflowError`` naming that roadshow."""
    exempt = (context or {}).get("roadshow")
    entry = unfinished_entries_of_project(project, exclude_roadshow=exempt).first()
    if entry is None:
        return
    raise WorkflowError(
        _("项目%(p)s是路演展评%(r)s（%(s)s）的路演项目，该路演定稿前不能执行“%(a)s”。")
        % {"p": quoted(project.title), "r": quoted(entry.roadshow.title), "s": entry.roadshow.get_status_display(),
           "a": action.label},
        state=project.status,
    )


def _clean_reason(reason):
    return clean_text(reason, field="reason", empty=_("请填写理由。"), too_long=_("理由最多 %(n)s 字。"),
                      limit=REASON_LIMIT)


def _locked_entry(roadshow, entry):
    return Entry.objects.select_for_update(**ROW_LOCK).select_related("project").get(pk=entry.pk, roadshow=roadshow)


@transaction.atomic
def restore_entry(*, actor, roadshow, entry, reason):
    """Put the entry's project back to ``shortlisted`` (from ``closing`` or
    ``closure_failed``), so that the roadshow can be finalised; the admin of the campaign, any
    time before ``finalize``. Refused (409) when the project is already ``shortlisted``, is in
    a state that is never put back (``closed``: withdraw the entry instead), or is an entry of
    another unfinished roadshow too (withdraw it from one of them first).

    Side effects: the project's status, a ``restore_for_roadshow`` ``ProjectEvent`` and a
    history row (``projects.services.restore_for_roadshow``), and a ``restore_entry``
    ``EvaluationEvent`` with the reason."""
    roadshow = lock_roadshow(roadshow)
    require_perm(actor, MANAGE_AWARDS, roadshow)
    require_status(roadshow, UNFINISHED_STATES, _("路演展评已定稿，不能再恢复路演项目。"))
    entry = _locked_entry(roadshow, entry)
    reason = _clean_reason(reason)
    project = entry.project
    if project.status == ProjectStatus.SHORTLISTED:
        raise WorkflowError(_("项目%(p)s状态正常（已入围），无需恢复。") % {"p": quoted(project.title)}, state=project.status)
    if project.status not in AWARD_TRANSITIONS[AwardAction.RESTORE][0]:
        raise WorkflowError(
            _("项目%(p)s当前状态为“%(s)s”，不能恢复，请将其撤出本次路演。")
            % {"p": quoted(project.title), "s": project.get_status_display()},
            state=project.status,
        )
    from_status = project.status
    project = project_services.restore_for_roadshow(actor=actor, project=project, reason=reason,
                                                    context={"roadshow": roadshow.pk})
    record(actor=actor, obj=entry, action=EventAction.RESTORE_ENTRY, roadshow=roadshow, from_state=from_status,
           to_state=project.status, reason=reason, data={"project": project.pk})
    return entry


@transaction.atomic
def withdraw_entry(*, actor, roadshow, entry, reason):
    """Take an entry off a roadshow that has not published its results (setup, scoring,
    closed); the admin of the campaign. Its scorecards (with their scores), recusals, results
    and objections go with it; the stored results of the roadshow become stale (``finalize``
    asks for a new compute). The project's status does not change.

    Side effects: those deletions, ``results_signature`` cleared when results existed, a
    ``withdraw_entry`` ``EvaluationEvent`` (with the reason and what was deleted) and a
    ``withdraw_from_roadshow`` ``ProjectEvent`` in the project's history."""
    roadshow = lock_roadshow(roadshow)
    require_perm(actor, MANAGE_AWARDS, roadshow)
    require_status(roadshow, WITHDRAW_STATES,
                   _("路演展评当前状态为“%(s)s”，结果已公布，不能撤出路演项目；请恢复该项目的状态。")
                   % {"s": roadshow.get_status_display()})
    entry = _locked_entry(roadshow, entry)
    reason = _clean_reason(reason)
    cards = list(Scorecard.objects.select_for_update(**ROW_LOCK).filter(entry=entry).values_list("pk", flat=True))
    had_results = roadshow.results.exists()  # the awards' results (related name)
    deleted = {
        "project": entry.project_id, "order": entry.order, "cards": len(cards),
        "submitted_cards": Scorecard.objects.filter(pk__in=cards, status=CardStatus.SUBMITTED).count(),
        "objections": entry.objections.count(), "results": entry.results.count(),
    }
    record(actor=actor, obj=entry, action=EventAction.WITHDRAW_ENTRY, roadshow=roadshow, from_state=entry.state,
           reason=reason, data=deleted)
    project_services.note_roadshow_withdrawal(
        actor=actor, project=entry.project,
        reason=_("撤出路演展评%(r)s：%(why)s") % {"r": quoted(roadshow.title), "why": reason})
    Score.objects.filter(card_id__in=cards).delete()
    Scorecard.objects.filter(pk__in=cards).delete()
    entry.delete()  # recusals, results and objections cascade
    if had_results:
        roadshow.results_signature = ""
        roadshow.save(update_fields=["results_signature"])
    return deleted
