"""The admin's recovery of an entry whose project left the state its roadshow expects (issue
21): the setup page flags such entries, and each has a restore and a withdraw button (one form,
one reason, one confirmation). See ``evaluations.services.entries`` for which to use when."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.enums import ProjectStatus
from unionproj.text import quoted

from .. import services
from ..enums import UNFINISHED_STATES, WITHDRAW_STATES, RoadshowStatus
from ..models import Entry
from .common import SERVICE_ERRORS, admin_roadshow, report


def flag_entries(roadshow, entries):
    """Mark each entry that needs the recovery (``entry.recovery``: a list of reasons) and what
    the page may offer (``entry.can_withdraw``). One query, whatever the number of entries."""
    others = {}
    if roadshow.status in UNFINISHED_STATES and entries:
        rows = (Entry.objects.filter(project_id__in=[e.project_id for e in entries])
                .exclude(roadshow=roadshow).exclude(roadshow__status=RoadshowStatus.FINALIZED)
                .values_list("project_id", "roadshow__title").order_by("roadshow_id"))
        for project_id, title in rows:
            others.setdefault(project_id, []).append(title)
    for entry in entries:
        entry.recovery = []
        if roadshow.status not in UNFINISHED_STATES:
            continue
        if entry.project.status != ProjectStatus.SHORTLISTED:
            entry.recovery.append(_("项目状态为“%(s)s”，不是“已入围”") % {"s": entry.project.get_status_display()})
        for title in others.get(entry.project_id, []):
            entry.recovery.append(_("同时在未定稿的路演展评%(r)s中") % {"r": quoted(title)})
        entry.can_restore = entry.project.status != ProjectStatus.SHORTLISTED
        entry.can_withdraw = roadshow.status in WITHDRAW_STATES
    return entries


def _act(request, pk, entry_pk, service, done):
    roadshow = admin_roadshow(request.user, pk)
    entry = get_object_or_404(Entry.objects.select_related("project"), pk=entry_pk, roadshow=roadshow)
    try:
        service(actor=request.user, roadshow=roadshow, entry=entry, reason=request.POST.get("reason", ""))
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, done % {"t": quoted(entry.project.title)})
    return redirect(f"/roadshows/{roadshow.pk}/#entries")


@require_POST
@login_required
def entry_restore(request, pk, entry_pk):
    return _act(request, pk, entry_pk, services.restore_entry, _("已将%(t)s恢复为已入围。"))


@require_POST
@login_required
def entry_withdraw(request, pk, entry_pk):
    return _act(request, pk, entry_pk, services.withdraw_entry, _("已将%(t)s撤出本次路演。"))
