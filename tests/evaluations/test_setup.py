"""Setting up and driving a roadshow: rubric, entries, jury, groups, start/close, live entries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.enums import EntryState, RoadshowStatus
from evaluations.models import EvaluationEvent, Rubric, Scorecard
from projects.enums import ProjectStatus
from unionproj.errors import WorkflowError
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    JurorFactory,
    ProjectFactory,
    RoadshowFactory,
    StaffFactory,
    shortlisted,
)


DATE = datetime.date(2026, 6, 1)


def test_default_rubric_is_the_seeds_four_dimensions(db):
    rubric = services.default_rubric()
    assert [(c.name, c.max_points) for c in rubric.criteria.all()] == [
        ("组织管理", Decimal("25.0")), ("创新程度", Decimal("25.0")), ("工作成效", Decimal("30.0")),
        ("可复制性", Decimal("20.0"))]
    assert services.default_rubric() == rubric
    assert Rubric.objects.count() == 1


def test_a_campaign_can_give_a_category_its_own_rubric(people, campaign):
    rubric = services.create_rubric(actor=people["admin"], campaign=campaign, category="劳动技能竞赛",
                                    name="劳动竞赛类", criteria=[{"name": "竞赛组织", "max_points": "60"},
                                                             {"name": "技能提升", "max_points": "40"}])
    assert services.rubric_for(campaign, "劳动技能竞赛") == rubric
    assert services.rubric_for(campaign, "职工帮扶服务") == services.default_rubric()
    roadshow = services.create_roadshow(actor=people["admin"], campaign=campaign, title="劳动竞赛专场", date=DATE,
                                        category="劳动技能竞赛")
    assert roadshow.rubric == rubric


def test_create_roadshow_defaults(people, campaign):
    roadshow = services.create_roadshow(actor=people["admin"], campaign=campaign, title="路演", date=DATE)
    assert roadshow.status == RoadshowStatus.SETUP
    assert roadshow.aggregation == "trimmed_mean" and roadshow.budget_policy == "scale" and not roadshow.live
    assert roadshow.rubric == services.default_rubric()
    assert [(g.name, g.weight) for g in roadshow.groups.all()] == [("评审组", Decimal("1"))]
    assert EvaluationEvent.objects.get(roadshow=roadshow).action == "create"


def test_create_roadshow_with_own_criteria(people, campaign):
    roadshow = services.create_roadshow(actor=people["admin"], campaign=campaign, title="路演", date=DATE,
                                        criteria=[{"name": "创新", "max_points": "50"},
                                                  {"name": "成效", "max_points": "50"}])
    assert [c.name for c in roadshow.rubric.criteria.all()] == ["创新", "成效"]
    with pytest.raises(ValidationError):
        services.create_roadshow(actor=people["admin"], campaign=campaign, title="路演", date=DATE,
                                 criteria=[{"name": "创新", "max_points": "0"}])


@pytest.mark.parametrize("who", ["staff_a", "county_admin_a", "juror"])
def test_only_a_campaign_admin_creates_a_roadshow(people, campaign, who):
    with pytest.raises(PermissionDenied):
        services.create_roadshow(actor=people[who], campaign=campaign, title="路演", date=DATE)


def test_an_admin_of_another_city_cannot_create_a_roadshow(people, campaign):
    with pytest.raises(PermissionDenied):
        services.create_roadshow(actor=AdminFactory(), campaign=campaign, title="路演", date=DATE)


def test_only_shortlisted_projects_of_the_campaign_become_entries(tree, people, campaign, roadshow):
    admin = people["admin"]
    approved = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.APPROVED)
    with pytest.raises(ValidationError):
        services.add_entry(actor=admin, roadshow=roadshow, project=approved)
    other = shortlisted(CampaignFactory(owner_union=tree["city"]), tree["county_a"])
    with pytest.raises(ValidationError):
        services.add_entry(actor=admin, roadshow=roadshow, project=other)
    with pytest.raises(ValidationError):
        services.add_entry(actor=admin, roadshow=roadshow, project=roadshow.entries.first().project)


def test_only_jurors_of_the_pool_sit_on_the_jury(people, roadshow):
    with pytest.raises(ValidationError):
        services.add_juror(actor=people["admin"], roadshow=roadshow, user=StaffFactory())
    juror = JurorFactory()
    services.add_juror(actor=people["admin"], roadshow=roadshow, user=juror)
    with pytest.raises(ValidationError):
        services.add_juror(actor=people["admin"], roadshow=roadshow, user=juror)


def test_reorder_sets_the_running_order(people, roadshow):
    first, second = roadshow.entries.all()
    services.reorder_entries(actor=people["admin"], roadshow=roadshow, entry_ids=[second.pk, first.pk])
    assert list(roadshow.entries.all()) == [second, first]
    with pytest.raises(ValidationError):
        services.reorder_entries(actor=people["admin"], roadshow=roadshow, entry_ids=[second.pk])


def test_juror_groups_have_weights(people, roadshow, jurors):
    admin = people["admin"]
    experts = services.save_juror_group(actor=admin, roadshow=roadshow, name="专家评审组", weight="0.6")
    seat = services.set_juror_group(actor=admin, seat=roadshow.seats.get(user=jurors[0]), group=experts)
    assert seat.group == experts
    with pytest.raises(ValidationError):
        services.save_juror_group(actor=admin, roadshow=roadshow, name="大众评审组", weight="-1")


def test_start_gives_every_non_recused_juror_a_draft_card_per_entry(tree, people, campaign, jurors):
    conflicted = JurorFactory(union=tree["county_a"])
    projects = [shortlisted(campaign, tree["county_a"]), shortlisted(campaign, tree["county_b"]),
                shortlisted(campaign, tree["town_a1"])]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects,
                               jurors=[*jurors, conflicted])
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    # 3 entries × 4 jurors, less the conflicted juror's 2 (county_a and the town below it).
    assert Scorecard.objects.filter(entry__roadshow=roadshow).count() == 3 * 4 - 2
    assert Scorecard.objects.filter(juror=conflicted).get().entry.project == projects[1]
    event = EvaluationEvent.objects.get(roadshow=roadshow, action="start")
    assert (event.from_state, event.to_state, event.data["cards"]) == ("setup", "scoring", 10)


def test_start_needs_entries_and_jurors(people, campaign):
    roadshow = services.create_roadshow(actor=people["admin"], campaign=campaign, title="路演", date=DATE)
    with pytest.raises(WorkflowError):
        services.start_roadshow(actor=people["admin"], roadshow=roadshow)


def test_setup_is_frozen_once_scoring_starts(people, campaign, scoring, tree):
    admin = people["admin"]
    with pytest.raises(WorkflowError) as err:
        services.add_entry(actor=admin, roadshow=scoring, project=shortlisted(campaign, tree["county_b"]))
    assert err.value.state == "scoring"
    with pytest.raises(WorkflowError):
        services.add_juror(actor=admin, roadshow=scoring, user=JurorFactory())
    with pytest.raises(WorkflowError):
        services.remove_entry(actor=admin, entry=scoring.entries.first())
    with pytest.raises(WorkflowError):
        services.start_roadshow(actor=admin, roadshow=scoring)


def test_close_moves_scoring_to_closed_once(people, scoring):
    roadshow = services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="本测试不涉及法定数")
    assert roadshow.status == RoadshowStatus.CLOSED
    with pytest.raises(WorkflowError) as err:
        services.close_roadshow(actor=people["admin"], roadshow=roadshow)
    assert err.value.state == "closed"


@pytest.mark.parametrize("service", ["start_roadshow", "close_roadshow"])
def test_a_juror_cannot_start_or_close(people, roadshow, jurors, service):
    with pytest.raises(PermissionDenied):
        getattr(services, service)(actor=jurors[0], roadshow=roadshow)


@pytest.mark.parametrize("service", ["open_entry", "close_entry"])
def test_a_juror_cannot_open_or_close_an_entry(scoring, jurors, service):
    with pytest.raises(PermissionDenied):
        getattr(services, service)(actor=jurors[0], entry=scoring.entries.first())


def test_one_entry_is_open_at_a_time(people, scoring):
    admin = people["admin"]
    first, second = scoring.entries.all()
    services.open_entry(actor=admin, entry=first)
    with pytest.raises(WorkflowError):
        services.open_entry(actor=admin, entry=second)
    closed = services.close_entry(actor=admin, entry=first, override_reason="本测试不涉及法定数")
    assert closed.state == EntryState.CLOSED
    assert (closed.submitted_count, closed.expected_count) == (0, 3)
    assert services.open_entry(actor=admin, entry=second).state == EntryState.OPEN


def test_entries_open_only_while_scoring(people, roadshow):
    with pytest.raises(WorkflowError):
        services.open_entry(actor=people["admin"], entry=roadshow.entries.first())


def test_closing_the_roadshow_closes_the_open_entry(people, scoring):
    entry = services.open_entry(actor=people["admin"], entry=scoring.entries.first())
    services.close_roadshow(actor=people["admin"], roadshow=scoring, override_reason="本测试不涉及法定数")
    entry.refresh_from_db()
    assert entry.state == EntryState.CLOSED


def test_live_mode_cannot_be_switched_after_start(people, scoring):
    with pytest.raises(WorkflowError):
        services.update_roadshow(actor=people["admin"], roadshow=scoring, live=True)
    roadshow = services.update_roadshow(actor=people["admin"], roadshow=scoring, aggregation="zscore")
    assert roadshow.aggregation == "zscore"
    assert EvaluationEvent.objects.filter(roadshow=scoring, action="update").get().data == {
        "aggregation": ["trimmed_mean", "zscore"]}
