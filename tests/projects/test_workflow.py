"""The workflow at the service level: every state × every action × every kind of actor.

The expectations below are written out by hand from DESIGN.md / API.md, not derived from
``projects.enums.TRANSITIONS`` or ``projects.rules``: a change to either that alters who may do
what must show up here as a failing cell.

The project is filed by 澄江 (a town union below 江阴); the campaign requires county
recommendation, with room in the quota, so that ``recommend`` can succeed.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.enums import Action, ProjectStatus
from unionproj.errors import WorkflowError
from projects.models import ProjectEvent
from tests.factories import CampaignFactory, ProjectFactory

D = "denied"  # django PermissionDenied, checked before the state
C = "conflict"  # WorkflowError: the state forbids it
# Any other cell is the status the project moves to.

STATES = [
    "draft", "returned", "submitted", "recommended", "approved", "rejected", "shortlisted",
    "awarded", "closing", "closed", "closure_failed",
]
ALL_DENIED = [D] * len(STATES)

# (action, actor) → outcome per state, in the order of STATES.
EXPECTED = {
    # draft, returned, submitted, recommended, approved, rejected, shortlisted, awarded, closing, closed, closure_failed
    ("submit", "campaign_admin"): ALL_DENIED,
    ("submit", "applicant_staff"): ["submitted", "submitted", C, C, C, C, C, C, C, C, C],
    ("submit", "sibling_staff"): ALL_DENIED,
    ("submit", "county_admin_above"): ALL_DENIED,
    ("submit", "county_admin_elsewhere"): ALL_DENIED,
    ("submit", "juror"): ALL_DENIED,
    ("submit", "superuser"): ALL_DENIED,  # filing is the union's own act, not an admin power

    ("recommend", "campaign_admin"): ALL_DENIED,
    ("recommend", "applicant_staff"): ALL_DENIED,
    ("recommend", "sibling_staff"): ALL_DENIED,
    ("recommend", "county_admin_above"): [C, C, "recommended", C, C, C, C, C, C, C, C],
    ("recommend", "county_admin_elsewhere"): ALL_DENIED,
    ("recommend", "juror"): ALL_DENIED,
    ("recommend", "superuser"): ALL_DENIED,  # recommending is the county's act

    ("return", "campaign_admin"): [C, C, "returned", "returned", C, C, C, C, C, C, C],
    ("return", "applicant_staff"): ALL_DENIED,
    ("return", "sibling_staff"): ALL_DENIED,
    # a county admin may return only before it has recommended the project on
    ("return", "county_admin_above"): [C, C, "returned", C, C, C, C, C, C, C, C],
    ("return", "county_admin_elsewhere"): ALL_DENIED,
    ("return", "juror"): ALL_DENIED,
    ("return", "superuser"): [C, C, "returned", "returned", C, C, C, C, C, C, C],

    ("approve", "campaign_admin"): [C, C, "approved", "approved", C, C, C, C, C, C, C],
    ("approve", "applicant_staff"): ALL_DENIED,
    ("approve", "sibling_staff"): ALL_DENIED,
    ("approve", "county_admin_above"): ALL_DENIED,
    ("approve", "county_admin_elsewhere"): ALL_DENIED,
    ("approve", "juror"): ALL_DENIED,
    ("approve", "superuser"): [C, C, "approved", "approved", C, C, C, C, C, C, C],

    ("reject", "campaign_admin"): [C, C, "rejected", "rejected", C, C, C, C, C, C, C],
    ("reject", "applicant_staff"): ALL_DENIED,
    ("reject", "sibling_staff"): ALL_DENIED,
    ("reject", "county_admin_above"): ALL_DENIED,
    ("reject", "county_admin_elsewhere"): ALL_DENIED,
    ("reject", "juror"): ALL_DENIED,
    ("reject", "superuser"): [C, C, "rejected", "rejected", C, C, C, C, C, C, C],

    ("shortlist", "campaign_admin"): [C, C, C, C, "shortlisted", C, C, C, C, C, C],
    ("shortlist", "applicant_staff"): ALL_DENIED,
    ("shortlist", "sibling_staff"): ALL_DENIED,
    ("shortlist", "county_admin_above"): ALL_DENIED,
    ("shortlist", "county_admin_elsewhere"): ALL_DENIED,
    ("shortlist", "juror"): ALL_DENIED,
    ("shortlist", "superuser"): [C, C, C, C, "shortlisted", C, C, C, C, C, C],

    # a failed closure may be reported again
    ("closing_report", "campaign_admin"): ALL_DENIED,
    ("closing_report", "applicant_staff"): [C, C, C, C, "closing", C, "closing", "closing", C, C, "closing"],
    ("closing_report", "sibling_staff"): ALL_DENIED,
    ("closing_report", "county_admin_above"): ALL_DENIED,
    ("closing_report", "county_admin_elsewhere"): ALL_DENIED,
    ("closing_report", "juror"): ALL_DENIED,
    ("closing_report", "superuser"): ALL_DENIED,  # the report is the union's own act

    ("accept_closure", "campaign_admin"): [C, C, C, C, C, C, C, C, "closed", C, C],
    ("accept_closure", "applicant_staff"): ALL_DENIED,
    ("accept_closure", "sibling_staff"): ALL_DENIED,
    ("accept_closure", "county_admin_above"): ALL_DENIED,
    ("accept_closure", "county_admin_elsewhere"): ALL_DENIED,
    ("accept_closure", "juror"): ALL_DENIED,
    ("accept_closure", "superuser"): [C, C, C, C, C, C, C, C, "closed", C, C],

    ("fail_closure", "campaign_admin"): [C, C, C, C, C, C, C, C, "closure_failed", C, C],
    ("fail_closure", "applicant_staff"): ALL_DENIED,
    ("fail_closure", "sibling_staff"): ALL_DENIED,
    ("fail_closure", "county_admin_above"): ALL_DENIED,
    ("fail_closure", "county_admin_elsewhere"): ALL_DENIED,
    ("fail_closure", "juror"): ALL_DENIED,
    ("fail_closure", "superuser"): [C, C, C, C, C, C, C, C, "closure_failed", C, C],
}

REASON = "材料不全，请补充项目预算明细。"


def run(action, *, actor, project, reason=REASON):
    """Call the service of ``action`` the way a view would."""
    if action == "submit":
        return services.submit_project(actor=actor, project=project)
    if action == "recommend":
        return services.recommend_project(actor=actor, project=project)
    if action == "return":
        return services.return_project(actor=actor, project=project, reason=reason)
    if action == "approve":
        return services.approve_project(actor=actor, project=project)
    if action == "reject":
        return services.reject_project(actor=actor, project=project, reason=reason)
    if action == "shortlist":
        return services.shortlist_project(actor=actor, project=project)
    if action == "closing_report":
        return services.file_closing_report(actor=actor, project=project, report="项目已按计划完成。")
    if action == "accept_closure":
        return services.accept_closure(actor=actor, project=project)
    if action == "fail_closure":
        return services.fail_closure(actor=actor, project=project, reason=reason)
    raise AssertionError(action)


def test_the_matrix_covers_every_state_action_and_actor():
    assert set(STATES) == set(ProjectStatus.values)
    assert {a for a, _ in EXPECTED} == set(Action.values)
    assert all(len(row) == len(STATES) for row in EXPECTED.values())


@pytest.fixture
def rec_campaign(tree):
    return CampaignFactory(owner_union=tree["city"], require_recommendation=True, recommendation_quota=5)


def project_in(state, *, campaign, union, recommended_by=None):
    return ProjectFactory(
        campaign=campaign, applicant_union=union, status=state,
        recommended_by=recommended_by if state == ProjectStatus.RECOMMENDED else None,
    )


CASES = [
    pytest.param(action, actor, state, EXPECTED[(action, actor)][i], id=f"{action}-{actor}-{state}")
    for (action, actor) in EXPECTED
    for i, state in enumerate(STATES)
]


@pytest.mark.parametrize("action,actor_key,state,expected", CASES)
def test_transition_matrix(action, actor_key, state, expected, actors, tree, rec_campaign):
    actor = actors[actor_key]
    project = project_in(state, campaign=rec_campaign, union=tree["town_a1"], recommended_by=tree["county_a"])
    events_before = ProjectEvent.objects.filter(project=project).count()

    if expected == D:
        with pytest.raises(PermissionDenied):
            run(action, actor=actor, project=project)
    elif expected == C:
        with pytest.raises(WorkflowError) as err:
            run(action, actor=actor, project=project)
        assert err.value.state == state
    else:
        returned = run(action, actor=actor, project=project)
        assert returned.status == expected
        project.refresh_from_db()
        assert project.status == expected
        events = list(ProjectEvent.objects.filter(project=project))
        assert len(events) == events_before + 1
        event = events[-1]
        assert event.actor == actor
        assert event.action == action
        assert (event.from_status, event.to_status) == (state, expected)
        assert event.reason == (REASON if action in ("return", "reject", "fail_closure") else "")
        return

    project.refresh_from_db()
    assert project.status == state
    assert ProjectEvent.objects.filter(project=project).count() == events_before


# --- the rules the matrix cannot show ---------------------------------------------------------


@pytest.mark.parametrize("action", ["return", "reject"])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_return_or_reject_without_a_reason_is_refused_and_writes_nothing(action, reason, actors, tree, campaign):
    project = project_in(ProjectStatus.SUBMITTED, campaign=campaign, union=tree["town_a1"])
    with pytest.raises(ValidationError) as err:
        run(action, actor=actors["campaign_admin"], project=project, reason=reason)
    assert "reason" in err.value.message_dict
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert not ProjectEvent.objects.filter(project=project).exists()


def test_the_reason_is_stored_without_surrounding_blanks(actors, tree, campaign):
    project = project_in(ProjectStatus.SUBMITTED, campaign=campaign, union=tree["town_a1"])
    services.return_project(actor=actors["campaign_admin"], project=project, reason="  请补充材料 \n")
    assert project.events.get().reason == "请补充材料"


def test_county_admin_may_return_only_before_recommending(actors, tree, rec_campaign):
    county_admin = actors["county_admin_above"]
    project = project_in(ProjectStatus.SUBMITTED, campaign=rec_campaign, union=tree["town_a1"])
    services.recommend_project(actor=county_admin, project=project)
    with pytest.raises(WorkflowError) as err:
        services.return_project(actor=county_admin, project=project, reason=REASON)
    assert err.value.state == ProjectStatus.RECOMMENDED
    project.refresh_from_db()
    assert project.status == ProjectStatus.RECOMMENDED
    assert project.recommended_by == tree["county_a"]
    # the municipal admin still can, and the recommendation is given back
    services.return_project(actor=actors["campaign_admin"], project=project, reason=REASON)
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED
    assert project.recommended_by is None


def test_recommend_is_a_conflict_when_the_campaign_does_not_require_recommendation(actors, tree, campaign):
    assert not campaign.require_recommendation
    project = project_in(ProjectStatus.SUBMITTED, campaign=campaign, union=tree["town_a1"])
    with pytest.raises(WorkflowError) as err:
        services.recommend_project(actor=actors["county_admin_above"], project=project)
    assert err.value.state == ProjectStatus.SUBMITTED
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert project.recommended_by is None
    assert not project.events.exists()


def test_submit_stamps_the_submission_time(actors, tree, campaign):
    project = project_in(ProjectStatus.DRAFT, campaign=campaign, union=tree["town_a1"])
    assert project.submitted_at is None
    services.submit_project(actor=actors["applicant_staff"], project=project)
    project.refresh_from_db()
    assert project.submitted_at is not None


def test_submit_without_a_summary_is_refused(actors, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], summary="  ")
    with pytest.raises(ValidationError):
        services.submit_project(actor=actors["applicant_staff"], project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert not project.events.exists()


def test_a_whole_journey_leaves_one_event_per_step(actors, tree, rec_campaign):
    staff, county_admin, admin = actors["applicant_staff"], actors["county_admin_above"], actors["campaign_admin"]
    project = services.create_project(actor=staff, campaign=rec_campaign, title="职工书屋", category="工会自身建设",
                                      summary="澄江街道职工书屋建设")
    services.submit_project(actor=staff, project=project)
    services.return_project(actor=county_admin, project=project, reason="请补充预算")
    services.update_project(actor=staff, project=project, summary="澄江街道职工书屋建设（含预算）")
    services.submit_project(actor=staff, project=project)
    services.recommend_project(actor=county_admin, project=project)
    services.approve_project(actor=admin, project=project)
    services.shortlist_project(actor=admin, project=project)
    steps = [(e.actor.username, e.action, e.from_status, e.to_status) for e in project.events.all()]
    assert steps == [
        (staff.username, "create", "", "draft"),
        (staff.username, "submit", "draft", "submitted"),
        (county_admin.username, "return", "submitted", "returned"),
        (staff.username, "submit", "returned", "submitted"),
        (county_admin.username, "recommend", "submitted", "recommended"),
        (admin.username, "approve", "recommended", "approved"),
        (admin.username, "shortlist", "approved", "shortlisted"),
    ]


def test_editing_outside_draft_or_returned_is_a_conflict(actors, tree, campaign):
    project = project_in(ProjectStatus.SUBMITTED, campaign=campaign, union=tree["town_a1"])
    with pytest.raises(WorkflowError):
        services.update_project(actor=actors["applicant_staff"], project=project, title="改名")
    project.refresh_from_db()
    assert project.title != "改名"


def test_bulk_action_applies_what_it_can_and_reports_the_rest(actors, tree, campaign):
    ok = project_in(ProjectStatus.SUBMITTED, campaign=campaign, union=tree["town_a1"])
    draft = project_in(ProjectStatus.DRAFT, campaign=campaign, union=tree["town_a1"])
    done, refused = services.bulk_action(actor=actors["campaign_admin"], projects=[ok, draft], action="approve")
    assert [p.pk for p in done] == [ok.pk]
    assert [p.pk for p, _ in refused] == [draft.pk]
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT
