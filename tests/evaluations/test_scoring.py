"""Scoring a card: validation, drafts, submit, reopen, live mode."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.enums import CardStatus
from evaluations.models import EvaluationEvent, Score, Scorecard
from unionproj.errors import WorkflowError
from tests.factories import AdminFactory, RoadshowFactory, full_scores



@pytest.fixture
def card(scoring, jurors):
    return Scorecard.objects.get(entry=scoring.entries.first(), juror=jurors[0])


@pytest.fixture
def criteria(scoring):
    return list(scoring.rubric.criteria.all())


@pytest.mark.parametrize("value", ["26", "-1", "12.34", "abc", None, "", "NaN", "1e3", 25.01, True])
def test_a_bad_value_is_refused_naming_the_criterion(card, criteria, jurors, value):
    first = criteria[0]  # 组织管理, 25 points
    with pytest.raises(ValidationError) as err:
        services.save_draft(actor=jurors[0], card=card, scores={first.pk: value})
    assert err.value.message_dict == {str(first.pk): ["“组织管理”的分数须在 0 到 25 之间，最多一位小数。"]}
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", ["0", "25", "24.5", " 12.30 ", 20, Decimal("7.5"), 23.5])
def test_a_good_value_is_kept_with_one_decimal_place(card, criteria, jurors, value):
    services.save_draft(actor=jurors[0], card=card, scores={str(criteria[0].pk): value})
    score = Score.objects.get()
    assert score.value == Decimal(str(value).strip()) and score.value.as_tuple().exponent == -1


def test_every_bad_value_is_reported_at_once(card, criteria, jurors):
    with pytest.raises(ValidationError) as err:
        services.save_draft(actor=jurors[0], card=card, scores={criteria[0].pk: "26", criteria[2].pk: "31",
                                                                 "9999": "1"})
    assert set(err.value.message_dict) == {str(criteria[0].pk), str(criteria[2].pk), "9999"}
    assert "工作成效" in err.value.message_dict[str(criteria[2].pk)][0]


def test_a_draft_may_hold_some_criteria_and_records_what_changed(card, criteria, jurors):
    services.save_draft(actor=jurors[0], card=card, scores={criteria[0].pk: "20"})
    services.save_draft(actor=jurors[0], card=card, scores={criteria[0].pk: "21.5", criteria[1].pk: "22"},
                        comment="讲解清晰")
    services.save_draft(actor=jurors[0], card=card, scores={criteria[0].pk: "21.5"})  # no change, no event
    card.refresh_from_db()
    assert card.values() == {criteria[0].pk: Decimal("21.5"), criteria[1].pk: Decimal("22")}
    assert card.total == Decimal("43.5") and card.comment == "讲解清晰"
    events = list(EvaluationEvent.objects.filter(action="save_draft", object_id=card.pk))
    assert [e.data for e in events] == [
        {"scores": {str(criteria[0].pk): [None, "20.0"]}},
        {"scores": {str(criteria[0].pk): ["20.0", "21.5"], str(criteria[1].pk): [None, "22.0"]}, "comment": True},
    ]
    assert events[0].actor == jurors[0]


def test_submit_of_an_incomplete_card_is_refused(card, criteria, jurors):
    services.save_draft(actor=jurors[0], card=card, scores={criteria[0].pk: "20"})
    with pytest.raises(ValidationError) as err:
        services.submit_card(actor=jurors[0], card=card)
    assert set(err.value.message_dict) == {str(c.pk) for c in criteria[1:]}
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT


def test_submit_locks_the_card(scoring, card, jurors):
    card = services.submit_card(actor=jurors[0], card=card, scores=full_scores(scoring))
    assert card.status == CardStatus.SUBMITTED and card.submitted_at is not None
    event = EvaluationEvent.objects.get(action="submit")
    assert event.data["total"] == "80.0" and (event.from_state, event.to_state) == ("draft", "submitted")
    with pytest.raises(WorkflowError) as err:
        services.save_draft(actor=jurors[0], card=card, scores=full_scores(scoring, ("1", "1", "1", "1")))
    assert err.value.state == "submitted"
    with pytest.raises(WorkflowError):
        services.submit_card(actor=jurors[0], card=card)
    assert EvaluationEvent.objects.filter(action="submit").count() == 1


def test_another_juror_cannot_score_my_card(scoring, card, jurors):
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=jurors[1], card=card, scores=full_scores(scoring))


def test_not_even_an_admin_or_superuser_scores_a_jurors_card(people, scoring, card):
    superuser = AdminFactory(is_superuser=True)
    for actor in (people["admin"], superuser):
        with pytest.raises(PermissionDenied):
            services.submit_card(actor=actor, card=card, scores=full_scores(scoring))


def test_no_scoring_before_start_or_after_close(people, roadshow, jurors):
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    card = Scorecard.objects.filter(juror=jurors[0]).first()
    services.close_roadshow(actor=people["admin"], roadshow=roadshow, override_reason="本测试不涉及法定数")
    with pytest.raises(WorkflowError) as err:
        services.save_draft(actor=jurors[0], card=card, scores=full_scores(roadshow))
    assert err.value.state == "closed"


def test_reopen_needs_an_admin_and_a_reason_and_is_audited(people, scoring, card, jurors):
    services.submit_card(actor=jurors[0], card=card, scores=full_scores(scoring))
    with pytest.raises(PermissionDenied):
        services.reopen_card(actor=jurors[0], card=card, reason="打错了")
    with pytest.raises(PermissionDenied):
        services.reopen_card(actor=AdminFactory(), card=card, reason="打错了")  # admin of another city
    with pytest.raises(ValidationError):
        services.reopen_card(actor=people["admin"], card=card, reason="  ")
    card = services.reopen_card(actor=people["admin"], card=card, reason="评委误操作，申请修改")
    assert card.status == CardStatus.DRAFT and card.submitted_at is None
    event = EvaluationEvent.objects.get(action="reopen")
    assert (event.actor, event.reason, event.from_state, event.to_state) == (
        people["admin"], "评委误操作，申请修改", "submitted", "draft")
    services.save_draft(actor=jurors[0], card=card, scores=full_scores(scoring, ("25", "20", "25", "15")))
    with pytest.raises(WorkflowError):
        services.reopen_card(actor=people["admin"], card=card, reason="再次")  # a draft is not reopened


def test_live_mode_accepts_scores_only_for_the_open_entry(people, campaign, entries_projects, jurors):
    admin = people["admin"]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=entries_projects, jurors=jurors, live=True)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    first, second = roadshow.entries.all()
    card_1 = Scorecard.objects.get(entry=first, juror=jurors[0])
    card_2 = Scorecard.objects.get(entry=second, juror=jurors[0])
    with pytest.raises(WorkflowError) as err:
        services.save_draft(actor=jurors[0], card=card_1, scores=full_scores(roadshow))
    assert err.value.state == "waiting"

    services.open_entry(actor=admin, entry=first)
    services.submit_card(actor=jurors[0], card=card_1, scores=full_scores(roadshow))
    with pytest.raises(WorkflowError):
        services.submit_card(actor=jurors[0], card=card_2, scores=full_scores(roadshow))
    closed = services.close_entry(actor=admin, entry=first, override_reason="本测试不涉及法定数")
    assert (closed.submitted_count, closed.expected_count) == (1, 3)
    with pytest.raises(WorkflowError) as err:
        services.save_draft(actor=jurors[1], card=Scorecard.objects.get(entry=first, juror=jurors[1]),
                            scores=full_scores(roadshow))
    assert err.value.state == "closed"


def test_without_live_mode_any_card_is_scored_while_scoring(scoring, jurors):
    for card in Scorecard.objects.filter(juror=jurors[0]):
        services.submit_card(actor=jurors[0], card=card, scores=full_scores(scoring))
    assert Scorecard.objects.filter(juror=jurors[0], status="submitted").count() == 2
