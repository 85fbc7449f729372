"""Who may do what with the awards (django-rules predicates, autodiscovered). The permission
names keep the ``evaluations.`` prefix they had before the awards had an app of their own
(they are asked by name across pages, API and services); ``evaluations.manage_awards`` (the
campaign admin's compute, 公示, finalise and payouts) is declared in ``evaluations/rules.py``,
since recovering a roadshow's entry asks it as well."""

import rules

from members.rules import has_admin_role, is_county_admin, is_staff_member, is_superuser

# Any union's staff may object during 公示 (object: the roadshow; the state is the service's).
rules.add_perm("evaluations.file_objection", is_staff_member)
rules.add_perm("evaluations.rank_units", is_superuser | has_admin_role)
# Bulk payout approval: admins only (each payout is then checked against its roadshow).
rules.add_perm("evaluations.approve_payouts", is_superuser | has_admin_role)
# The payouts page: admins see their campaigns', county admins and staff their unions'.
rules.add_perm("awards.view_payouts", is_superuser | has_admin_role | is_county_admin | is_staff_member)
