"""Project pages: list, filing form, project page, attachments, replication plans, the historic
import and screening.

Views are thin: they read through ``projects.queries`` (so what is not yours is 404), write
through ``projects.services`` and turn its errors into messages (``WorkflowError``,
``ValidationError``) or a 403 page (``PermissionDenied``, left to Django).

One module per page family: ``filing`` (the list and the filing form), ``detail`` (the project
page, its forms and attachments), ``replication`` (复制推广 and overdue progress reports),
``history`` (the historic import), ``screening`` (审核). ``projects/urls.py`` reads them from here.
"""

from .filing import project_create, project_edit, project_list
from .detail import (
    attachment_delete,
    attachment_download,
    attachment_upload,
    available_actions,
    project_action,
    project_closing_report,
    project_detail,
    project_progress_report,
    project_reopen_filing,
    project_replicate,
)
from .replication import REPLICATION_BADGE, overdue_reports, replication_detail, replication_list
from .history import history_import, history_template
from .screening import TABS, screening, screening_bulk
