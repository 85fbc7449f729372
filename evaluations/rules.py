"""Who may do what in roadshow scoring (django-rules predicates), and the conflict-of-interest
rule.

Admin of a roadshow = admin of its campaign (``projects.rules.is_campaign_admin``). Scoring is
*not* an admin power: a card is scored by its own juror only, which is why the scoring services
test :data:`is_card_juror` directly instead of ``user.has_perm`` (Django answers ``True`` to
every ``has_perm`` of an active superuser, and a superuser must not fill in a juror's card).
"""

import rules

from members.rules import SEATED_JUROR_RULE, is_juror
from projects.rules import is_campaign_admin

from .enums import RoadshowStatus
from .models import JurySeat


# Asked by the awards' services, pages and API, the exports, and entry recovery.
MANAGE_AWARDS = "evaluations.manage_awards"


@rules.predicate
def is_roadshow_admin(user, roadshow):
    return roadshow is not None and is_campaign_admin(user, roadshow.campaign)


@rules.predicate
def is_card_admin(user, card):
    return card is not None and is_roadshow_admin(user, card.entry.roadshow)


@rules.predicate
def is_card_juror(user, card):
    """The juror the card belongs to."""
    return bool(card is not None and user and user.is_authenticated and card.juror_id == user.pk)


@rules.predicate
def sits_on(user, roadshow):
    return bool(roadshow is not None and user and user.is_authenticated
                and roadshow.seats.filter(user_id=user.pk).exists())


@rules.predicate
def seated_on_unfinished_jury(user):
    """``user`` sits on a roadshow not yet finalised: members asks this (by the rule's name)
    before an admin may set the user's password (``members.set_password``)."""
    return JurySeat.objects.filter(user_id=user.pk).exclude(roadshow__status=RoadshowStatus.FINALIZED).exists()


rules.add_rule(SEATED_JUROR_RULE, seated_on_unfinished_jury)
rules.add_perm("evaluations.add_roadshow", is_campaign_admin)  # object: the campaign
rules.add_perm("evaluations.change_roadshow", is_roadshow_admin)
rules.add_perm("evaluations.view_roadshow", is_roadshow_admin | (is_juror & sits_on))
rules.add_perm("evaluations.view_progress", is_roadshow_admin)
rules.add_perm("evaluations.reopen_card", is_card_admin)
rules.add_perm("evaluations.score_card", is_card_juror)
# The roadshow's results: computing, publishing, finalising them and their payouts are the
# campaign admin's (awards/rules.py has the awards' other rules); recovering an entry asks it too.
rules.add_perm(MANAGE_AWARDS, is_roadshow_admin)


def union_conflict(juror_union, applicant_union, owner_union):
    """True when a juror of ``juror_union`` must be recused from a project of
    ``applicant_union`` in a campaign run by ``owner_union``.

    The rule of DESIGN.md: the juror's union is the applicant union, below it, or above it —
    except the campaign's owner union (the root), which is never a conflict. Every union of the
    campaign lies below the root, so a juror of the owner union — or of a union above it — would
    otherwise be recused from everything. A juror without a union is never recused
    automatically.
    """
    if juror_union is None or applicant_union is None:
        return False
    if owner_union is not None and owner_union.is_within(juror_union):
        return False
    return juror_union.is_within(applicant_union) or applicant_union.is_within(juror_union)
