"""The conflict-of-interest rule and its upkeep (DESIGN.md "Scoring")."""

import pytest
from django.core.exceptions import ValidationError

from evaluations import services
from evaluations.enums import CardStatus
from evaluations.models import EvaluationEvent, Recusal, Scorecard
from evaluations.rules import union_conflict
from unionproj.errors import WorkflowError
from tests.factories import JurorFactory, RoadshowFactory, full_scores, shortlisted



@pytest.mark.parametrize(
    ("juror_union", "applicant_union", "recused"),
    [
        ("county_a", "county_a", True),   # the applicant union itself
        ("town_a1", "county_a", True),    # below the applicant
        ("county_a", "town_a1", True),    # above the applicant
        ("county_b", "county_a", False),  # a sibling
        ("city", "county_a", False),      # the campaign's owner union (root): never a conflict
        ("city", "town_a1", False),
        (None, "county_a", False),        # a juror without a union
    ],
)
def test_recusal_matrix(tree, people, campaign, juror_union, applicant_union, recused):
    juror = JurorFactory(union=tree[juror_union] if juror_union else None)
    project = shortlisted(campaign, tree[applicant_union])
    assert union_conflict(juror.union, project.applicant_union, campaign.owner_union) is recused
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[project], jurors=[juror])
    assert Recusal.objects.filter(entry__roadshow=roadshow, automatic=True).exists() is recused
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    assert Scorecard.objects.filter(juror=juror).exists() is not recused


def test_recusals_are_computed_whichever_is_added_first(tree, people, campaign):
    juror = JurorFactory(union=tree["town_a1"])
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[], jurors=[juror])
    assert not Recusal.objects.exists()
    services.add_entry(actor=people["admin"], roadshow=roadshow, project=shortlisted(campaign, tree["county_a"]))
    recusal = Recusal.objects.get()
    assert recusal.automatic and "澄江" in recusal.reason
    assert EvaluationEvent.objects.filter(roadshow=roadshow, action="recuse").exists()


def test_stale_automatic_recusals_are_removed_when_recomputed(tree, people, campaign):
    juror = JurorFactory(union=tree["town_a1"])
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign,
                               projects=[shortlisted(campaign, tree["county_a"])], jurors=[juror])
    assert Recusal.objects.count() == 1
    juror.union = tree["county_b"]
    juror.save()
    assert services.recompute_automatic_recusals(actor=people["admin"], roadshow=roadshow) == (0, 1)
    assert not Recusal.objects.exists()


def test_manual_recusal_needs_a_reason_and_removes_the_draft_card(people, scoring, jurors):
    admin = people["admin"]
    seat = scoring.seats.get(user=jurors[0])
    entry = scoring.entries.first()
    with pytest.raises(ValidationError) as err:
        services.add_manual_recusal(actor=admin, seat=seat, entry=entry, reason=" ")
    assert "reason" in err.value.message_dict
    recusal = services.add_manual_recusal(actor=admin, seat=seat, entry=entry, reason="与申报单位负责人系亲属")
    assert not recusal.automatic
    assert not Scorecard.objects.filter(entry=entry, juror=jurors[0]).exists()
    event = EvaluationEvent.objects.get(action="recuse", object_type="recusal")
    assert event.actor == admin and event.reason == "与申报单位负责人系亲属"

    services.remove_manual_recusal(actor=admin, recusal=recusal)
    assert Scorecard.objects.get(entry=entry, juror=jurors[0]).status == CardStatus.DRAFT


def test_a_submitted_card_must_be_reopened_before_a_manual_recusal(people, scoring, jurors):
    entry = scoring.entries.first()
    card = Scorecard.objects.get(entry=entry, juror=jurors[0])
    services.submit_card(actor=jurors[0], card=card, scores=full_scores(scoring))
    with pytest.raises(WorkflowError):
        services.add_manual_recusal(actor=people["admin"], seat=scoring.seats.get(user=jurors[0]), entry=entry,
                                    reason="亲属")


def test_automatic_recusal_cannot_be_withdrawn_by_hand(tree, people, campaign):
    juror = JurorFactory(union=tree["county_a"])
    RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[shortlisted(campaign, tree["county_a"])],
                    jurors=[juror])
    with pytest.raises(ValidationError):
        services.remove_manual_recusal(actor=people["admin"], recusal=Recusal.objects.get())
