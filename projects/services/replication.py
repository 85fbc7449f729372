"""Replication plans (复制推广): another union adopts a closed project."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.rules import may, require_perm
from unionproj.errors import WorkflowError

from ..enums import REPLICABLE_STATES, REPLICATION_ORDER, ReplicationStatus
from ..models import ReplicationPlan
from ._common import lock_project

# --- replication plans (复制推广) ----------------------------------------------------------------


@transaction.atomic
def create_replication_plan(*, actor, source_project, plan, adopting_union=None, year=None):
    """Another union adopts a closed project (复制推广计划).

    ``adopting_union`` defaults to the actor's union; staff may file only for their own union,
    admins for a union of their subtree. Refused: a project that is not closed (``WorkflowError``),
    the project's own union or a union that already has a plan for it (``ValidationError``).
    Side effects: the plan (status ``planned``, ``year`` this year unless given) and a history row.
    """
    require_perm(actor, "projects.add_replicationplan")
    adopting_union = adopting_union or actor.union
    if adopting_union is None:
        raise ValidationError({"adopting_union": _("请选择推广单位。")})
    if not may(actor, "projects.file_replicationplan_for", adopting_union):
        raise PermissionDenied(_("您只能为本单位提交推广计划。"))
    source = lock_project(source_project)
    if source.status not in REPLICABLE_STATES:
        raise WorkflowError(
            _("只有已结项的项目可以复制推广，该项目当前状态为“%(s)s”。") % {"s": source.get_status_display()},
            state=source.status,
        )
    if adopting_union.pk == source.applicant_union_id:
        raise ValidationError({"adopting_union": _("不能推广本单位自己的项目。")})
    plan = (plan or "").strip()
    if not plan:
        raise ValidationError({"plan": _("请填写推广计划。")})
    if ReplicationPlan.objects.filter(source_project=source, adopting_union=adopting_union).exists():
        raise ValidationError({"adopting_union": _("该单位已提交过这个项目的推广计划。")})
    obj = ReplicationPlan(source_project=source, adopting_union=adopting_union, plan=plan, created_by=actor,
                          year=year or timezone.localdate().year)
    obj._history_user = actor
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # the same plan filed at the same moment
        raise ValidationError({"adopting_union": _("该单位已提交过这个项目的推广计划。")}) from None
    return obj


@transaction.atomic
def update_replication_plan(*, actor, plan, status=None, plan_text=None, adoption_report=None):
    """Report on a replication plan: its text, its status (forward only: planned → in progress →
    done) and the adoption report (推广成效). The adopting union's staff or an admin above it.
    Side effects: a history row (django-simple-history keeps who changed what, when)."""
    plan = ReplicationPlan.objects.select_for_update().select_related("adopting_union").get(pk=plan.pk)
    require_perm(actor, "projects.change_replicationplan", plan)
    if status is not None and status != plan.status:
        status = ReplicationStatus(status)
        if REPLICATION_ORDER[status] < REPLICATION_ORDER[ReplicationStatus(plan.status)]:
            raise WorkflowError(
                _("推广计划已是“%(s)s”，不能退回“%(t)s”。") % {"s": plan.get_status_display(), "t": status.label},
                state=plan.status,
            )
        plan.status = status
    if plan_text is not None:
        if not plan_text.strip():
            raise ValidationError({"plan": _("请填写推广计划。")})
        plan.plan = plan_text.strip()
    if adoption_report is not None:
        plan.adoption_report = adoption_report.strip()
    if plan.status == ReplicationStatus.DONE and not plan.adoption_report:
        raise ValidationError({"adoption_report": _("推广完成时请填写推广成效报告。")})
    plan._history_user = actor
    plan.save()
    return plan
