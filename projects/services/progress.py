"""Progress reports (中期报告) and their reminders."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.rules import require_perm
from unionproj.errors import WorkflowError

from ..attachments import check_upload
from ..enums import IN_PROGRESS_STATES, AttachmentKind
from ..models import ProgressReport, ReminderLog
from ..queries import progress_reminder_projects
from ._common import _locked
from .filing import _store_attachment


# --- progress reports (中期报告) ---------------------------------------------------------------


@transaction.atomic
def file_progress_report(*, actor, project, text, files=()):
    """File a progress report of a project under way (approved, shortlisted, awarded); staff of
    the applicant union. Side effects: a ``ProgressReport`` and one progress ``Attachment`` per
    file (all checked first). The status does not change."""
    project = _locked(project)
    require_perm(actor, "projects.add_progress_report", project)
    if project.status not in IN_PROGRESS_STATES:
        raise WorkflowError(
            _("项目当前状态为“%(s)s”，不能提交中期报告。") % {"s": project.get_status_display()}, state=project.status
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写中期报告内容。")})
    checked = [(f, check_upload(f)) for f in files]
    report = ProgressReport.objects.create(project=project, text=text, filed_by=actor)
    for uploaded, ok in checked:
        _store_attachment(actor=actor, project=project, uploaded=uploaded, kind=AttachmentKind.PROGRESS, checked=ok)
    return report


def send_progress_reminders(*, today=None, within_days=None):
    """Mail the staff of every union whose project's progress report is due within
    ``within_days`` (setting ``PROGRESS_REMINDER_DAYS``) or overdue, and not filed yet: one mail
    per user per day, listing that user's projects.

    Idempotent per day: a ``ReminderLog`` row (unique per user and day) is written with the mail;
    a second run the same day (or two at once) sends nothing more. Returns the number of mails.
    """
    today = today or timezone.localdate()
    within_days = settings.PROGRESS_REMINDER_DAYS if within_days is None else within_days
    projects = progress_reminder_projects(today=today, within_days=within_days)
    by_user = {}
    for project in projects:
        for user in project.applicant_union.staff_to_remind:
            by_user.setdefault(user, []).append(project)
    sent = 0
    for user, due in by_user.items():
        try:
            with transaction.atomic():
                ReminderLog.objects.create(kind="progress", user=user, day=today, projects=[p.pk for p in due])
                lines = [
                    _("《%(t)s》（%(c)s）中期报告截止日期：%(d)s") % {
                        "t": p.title, "c": p.campaign.title, "d": p.campaign.progress_report_due.isoformat()}
                    for p in due
                ]
                subject = _("中期报告提醒：%(n)d 个项目待提交") % {"n": len(due)}
                body = _("%(name)s，您好：\n\n以下项目的中期报告尚未提交，请尽快登录平台提交：\n\n%(lines)s\n") % {
                    "name": user.display_name, "lines": "\n".join(lines)}
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent
