"""Writes to campaigns and projects. One function per write: keyword-only, takes the acting
user, one transaction, the changed row locked, permission then state checked, and an audit
record written (``ProjectEvent`` for transitions, django-simple-history for field edits).

Errors: ``PermissionDenied`` (403 / a message), ``WorkflowError`` (409 / a message),
``ValidationError`` (400 / a form error).

One module per role: ``campaigns``, ``filing`` (a project's fields and attachments),
``workflow`` (every status change), ``progress`` (中期报告 and reminders), ``replication``
(复制推广). Import them from here: ``from projects import services``.
"""

from .campaigns import CAMPAIGN_FIELDS, save_campaign
from .filing import (
    ATTACHMENT_REFUSED,
    ATTACHMENT_STATES,
    PROJECT_FIELDS,
    add_attachment,
    create_project,
    delete_attachment,
    update_project,
)
from .workflow import (
    TRANSITION_SERVICES,
    accept_closure,
    apply_action,
    approve_project,
    bulk_action,
    fail_closure,
    file_closing_report,
    mark_awarded,
    may_still_submit,
    note_roadshow_withdrawal,
    recommend_project,
    reject_project,
    reopen_filing,
    restore_for_roadshow,
    return_project,
    revoke_award,
    shortlist_project,
    submit_project,
)
from .progress import file_progress_report, send_progress_reminders
from .replication import create_replication_plan, update_replication_plan
