"""Who may do what to campaigns and projects (django-rules predicates).

Whether a user may *see* a project is decided once, in ``projects.queries``; these predicates
decide what a user who can see it may do. The workflow service asks them before it looks at
the state, so "not allowed" (403) comes before "not now" (409).
"""

import rules

from members.rules import has_admin_role, is_county_admin, is_staff_member, is_superuser


@rules.predicate
def is_campaign_admin(user, campaign):
    """An admin of the campaign's owner union (or above it), or a superuser."""
    if is_superuser(user):
        return True
    if campaign is None or not has_admin_role(user) or user.union_id is None:
        return False
    return campaign.owner_union.is_within(user.union)


@rules.predicate
def is_project_admin(user, project):
    return project is not None and is_campaign_admin(user, project.campaign)


@rules.predicate
def is_applicant_staff(user, project):
    """Staff of the very union that filed the project."""
    return bool(project is not None and is_staff_member(user) and user.union_id == project.applicant_union_id)


@rules.predicate
def is_ancestor_county_admin(user, project):
    """A county admin whose union lies strictly above the project's union."""
    if project is None or not is_county_admin(user) or user.union_id is None:
        return False
    union = project.applicant_union
    return union.pk != user.union_id and union.is_within(user.union)


rules.add_perm("projects.add_campaign", is_superuser | has_admin_role)
rules.add_perm("projects.change_campaign", is_campaign_admin)
rules.add_perm("projects.add_project", is_staff_member)
rules.add_perm("projects.change_project", is_applicant_staff)
rules.add_perm("projects.add_attachment", is_applicant_staff)
rules.add_perm("projects.submit_project", is_applicant_staff)
rules.add_perm("projects.recommend_project", is_ancestor_county_admin)
rules.add_perm("projects.return_project", is_project_admin | is_ancestor_county_admin)
rules.add_perm("projects.approve_project", is_project_admin)
rules.add_perm("projects.reject_project", is_project_admin)
rules.add_perm("projects.reopen_filing_project", is_project_admin)
rules.add_perm("projects.shortlist_project", is_project_admin)
# Set by the awards of a roadshow (evaluations), not by a button of its own.
rules.add_perm("projects.award_project", is_project_admin)

# --- after the award: progress, closure, replication, history ----------------------------------

rules.add_perm("projects.closing_report_project", is_applicant_staff)
rules.add_perm("projects.accept_closure_project", is_project_admin)
rules.add_perm("projects.fail_closure_project", is_project_admin)
rules.add_perm("projects.add_progress_report", is_applicant_staff)


@rules.predicate
def is_replication_staff(user, plan):
    """Staff of the union that adopted the plan (they report on it)."""
    return bool(plan is not None and is_staff_member(user) and user.union_id == plan.adopting_union_id)


@rules.predicate
def is_replication_admin(user, plan):
    """An admin whose union's subtree holds the adopting union (or a superuser)."""
    if is_superuser(user):
        return True
    if plan is None or not has_admin_role(user) or user.union_id is None:
        return False
    return plan.adopting_union.is_within(user.union)


@rules.predicate
def may_follow_overdue(user):
    return bool(is_superuser(user) or has_admin_role(user) or is_county_admin(user))


# Filing a plan: staff for their own union, admins for a union of their subtree (the service
# checks the union); changing it: the adopting union's staff or an admin above it.
rules.add_perm("projects.add_replicationplan", is_staff_member | is_superuser | has_admin_role)
rules.add_perm("projects.change_replicationplan", is_replication_staff | is_replication_admin)
rules.add_perm("projects.view_overdue_reports", may_follow_overdue)


@rules.predicate
def files_for_union(user, union):
    """Staff for their own union, admins for a union of their subtree, superusers for any."""
    if union is None:
        return False
    if is_superuser(user):
        return True
    if has_admin_role(user) and user.union_id and union.is_within(user.union):
        return True
    return bool(is_staff_member(user) and union.pk == user.union_id)


@rules.predicate
def is_other_union_staff(user, project):
    """Staff of a union other than the one that filed the project."""
    return bool(project is not None and is_staff_member(user) and user.union_id
                and user.union_id != project.applicant_union_id)


# Filing a plan for this adopting union (the object is the union).
rules.add_perm("projects.file_replicationplan_for", files_for_union)
# Adopting a closed project for one's own union (the project page's "复制推广" form; the service
# asks add_replicationplan and file_replicationplan_for).
rules.add_perm("projects.replicate_project", is_other_union_staff)
rules.add_perm("projects.import_history", is_superuser | has_admin_role)
rules.add_perm("projects.view_dashboard", may_follow_overdue)
