"""Reads of campaigns and projects. Visibility lives here, once: pages and API use it, so a
project that is not yours is simply not found (404)."""

from django.db.models import Count, Q

from .enums import ProjectStatus, SCREENING_STATES
from .models import Campaign, Project


def visible_projects_q(user):
    """The ``Q`` selecting the projects ``user`` may read.

    - staff and county admins: projects of their union and of the unions below it (drafts too);
    - admins of a campaign's owner union (or above), and superusers: the campaign's projects
      once filed (a draft stays private to its union until it is submitted);
    - any union's staff: closed projects, the showcase others replicate.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    if user.union_id and (user.is_staff_role or user.is_county_admin_role):
        q |= Q(applicant_union__path__startswith=user.union.path)
    if user.is_superuser:
        q |= ~Q(status=ProjectStatus.DRAFT)
    elif user.is_admin_role and user.union_id:
        q |= Q(campaign__owner_union__path__startswith=user.union.path) & ~Q(status=ProjectStatus.DRAFT)
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
