"""Who may export what (django-rules, autodiscovered): one rule per kind of export, asked as
``exports.export_<kind>`` with the roadshow as object. The admin of a roadshow's campaign may
export every kind; the unions that filed one of its entries (their staff and county admins,
and those of the unions above) the award list, once it is final. Ask them through ``members.rules.may`` (active users only)."""

import rules

from evaluations.enums import RoadshowStatus
from evaluations.models import Entry
from evaluations.rules import is_roadshow_admin
from members.rules import is_county_admin, is_staff_member

from . import content


@rules.predicate
def is_applicant(user, roadshow):
    """Staff or a county admin of a union that filed one of the roadshow's entries, or of a
    union above one (one query)."""
    if not (user.union_id and (is_staff_member(user) or is_county_admin(user))):
        return False
    return Entry.objects.filter(roadshow=roadshow, project__applicant_union__path__startswith=user.union.path).exists()


@rules.predicate
def is_finalized(user, roadshow):
    return roadshow.status == RoadshowStatus.FINALIZED


RULES = {kind: f"exports.export_{kind}" for kind in content.KINDS}
for kind, name in RULES.items():
    rules.add_perm(name, is_roadshow_admin | (is_finalized & is_applicant) if kind == content.AWARDS
                   else is_roadshow_admin)
