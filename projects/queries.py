"""Reads of campaigns and projects. Visibility lives here, once: pages and API use it, so a
project that is not yours is simply not found (404)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from members.models import Union, User
from members.queries import reads_union_records

from .enums import IN_PROGRESS_STATES, SCREENING_STATES, ProjectStatus
from .models import Campaign, ClosingReport, ProgressReport, Project, ReplicationPlan


def visible_projects_q(user):
    """The ``Q`` selecting the projects ``user`` may read.

    - staff and county admins: projects of their union and of the unions below it (drafts too);
    - admins of a campaign's owner union (or above), and superusers: the campaign's projects
      once filed (a draft stays private to its union until it is submitted);
    - any union's staff: closed projects, the showcase others replicate.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    # The subtrees are written as ``IN (subquery)`` on the project's own columns rather than as
    # joins: a COUNT(*) of the list then reads the (campaign, status) index alone, and the
    # newest-first page walks the (created_at, id) index and stops after its rows, instead of
    # joining and sorting every visible project (PERFORMANCE.md, the project list's growth).
    q = Q(pk__in=[])
    if user.union_id and (user.is_staff_role or user.is_county_admin_role):
        q |= Q(applicant_union_id__in=Union.objects.filter(path__startswith=user.union.path).values("pk"))
    if user.is_superuser:
        q |= ~Q(status=ProjectStatus.DRAFT)
    elif user.is_admin_role and user.union_id:
        q |= Q(campaign_id__in=Campaign.objects.filter(owner_union__path__startswith=user.union.path)
               .values("pk")) & ~Q(status=ProjectStatus.DRAFT)
    if user.is_staff_role:
        q |= Q(status=ProjectStatus.CLOSED)
    return q


def projects_visible_to(user):
    return Project.objects.filter(visible_projects_q(user))


def project_list(user):
    """The visible projects with what a list row shows, in a constant number of queries."""
    return projects_visible_to(user).select_related("campaign", "applicant_union")


def get_visible_project(user, pk):
    """The project, or ``Project.DoesNotExist`` when it does not exist *or* is not visible."""
    return project_list(user).get(pk=pk)


def campaigns_visible_to(user):
    """Every signed-in user may read the programmes (they are public calls for proposals)."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.select_related("owner_union")


def screening_queue(user):
    """Projects waiting for ``user``'s decision: admins screen submitted/recommended projects of
    their campaigns; county admins pre-screen the submitted projects of the unions below them."""
    q = Q(pk__in=[])
    if user.is_superuser:
        q |= Q(status__in=SCREENING_STATES)
    elif user.is_admin_role and user.union_id:
        q |= Q(campaign__owner_union__path__startswith=user.union.path, status__in=SCREENING_STATES)
    if user.is_county_admin_role and user.union_id:
        q |= (
            Q(applicant_union__path__startswith=user.union.path, status=ProjectStatus.SUBMITTED)
            & ~Q(applicant_union_id=user.union_id)
        )
    return Project.objects.filter(q).select_related("campaign", "applicant_union")


def status_counts(queryset):
    """``{status: count}`` of a project queryset, in one query."""
    return {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("id"))}


def recommendations_used(campaign, county):
    """How many of the campaign's projects ``county`` has recommended (and not had returned)."""
    return Project.objects.filter(campaign=campaign, recommended_by=county).count()


def history(project):
    return project.events.select_related("actor").order_by("at", "id")


# --- after the award ----------------------------------------------------------------------------


def _without_progress_report():
    return ~Exists(ProgressReport.objects.filter(project=OuterRef("pk")))


def progress_reminder_projects(*, today, within_days):
    """Projects under way whose progress report is due within ``within_days`` days (or overdue)
    and not filed, each with ``applicant_union.staff_to_remind`` (active staff with an e-mail):
    three queries whatever the number of projects."""
    staff = User.objects.filter(is_active=True, is_staff_role=True).exclude(email="").order_by("pk")
    return (
        Project.objects.filter(
            status__in=IN_PROGRESS_STATES,
            campaign__progress_report_due__isnull=False,
            campaign__progress_report_due__lte=today + datetime.timedelta(days=within_days),
        )
        .filter(_without_progress_report())
        .select_related("campaign", "applicant_union")
        .prefetch_related(Prefetch("applicant_union__members", queryset=staff, to_attr="staff_to_remind"))
        .order_by("campaign__progress_report_due", "id")
    )


def overdue_progress_reports(user, *, today):
    """The projects ``user`` follows (admins: their campaigns'; county admins: their subtree's)
    whose progress report is past its due date and not filed."""
    q = Q(pk__in=[])
    if user.is_superuser:
        q = Q()
    else:
        if user.is_admin_role and user.union_id:
            q |= Q(campaign__owner_union__path__startswith=user.union.path)
        if user.is_county_admin_role and user.union_id:
            q |= Q(applicant_union__path__startswith=user.union.path)
    return (
        Project.objects.filter(q, status__in=IN_PROGRESS_STATES, campaign__progress_report_due__lt=today)
        .filter(_without_progress_report())
        .select_related("campaign", "applicant_union")
        .order_by("campaign__progress_report_due", "applicant_union__path", "id")
    )


def progress_reports(project):
    return ProgressReport.objects.filter(project=project).select_related("filed_by")


def closing_reports(project):
    return ClosingReport.objects.filter(project=project).select_related("filed_by")


def replication_plans_visible_to(user):
    """Plans of projects ``user`` may read, and plans of the unions in ``user``'s subtree."""
    if not user.is_authenticated:
        return ReplicationPlan.objects.none()
    q = Q(source_project__in=projects_visible_to(user).values("pk"))
    if user.union_id and reads_union_records(user):  # not a pure juror's
        q |= Q(adopting_union__path__startswith=user.union.path)
    return ReplicationPlan.objects.filter(q).select_related(
        "source_project", "source_project__applicant_union", "source_project__campaign", "adopting_union"
    )


def replication_plans_of(project):
    """Who replicated ``project`` (it is readable by whoever asks, so are its plans)."""
    return ReplicationPlan.objects.filter(source_project=project).select_related("adopting_union").order_by(
        "year", "id")


def closed_projects_to_replicate(user):
    """Closed projects another union than ``user``'s may adopt."""
    return projects_visible_to(user).filter(status=ProjectStatus.CLOSED).exclude(
        applicant_union_id=user.union_id).select_related("applicant_union", "campaign")
