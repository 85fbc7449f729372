"""公示 and objections, finalising (awarded projects, one pending payout each), reopening, and
the payout steps pending → approved → paid."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards import queries as award_queries
from awards import services as award_services
from evaluations.models import EvaluationEvent
from awards.models import Objection, Payout, Result
from unionproj.errors import WorkflowError
from projects.models import ProjectEvent

from tests.factories import ScoredRoadshowFactory

D = Decimal


def events(roadshow, action):
    return list(EvaluationEvent.objects.filter(roadshow=roadshow, action=action))


# --- 公示 -------------------------------------------------------------------------------------


def test_publicize_puts_computed_results_up_for_n_days(admin, computed):
    roadshow = award_services.publicize(actor=admin, roadshow=computed, days=7)
    assert roadshow.status == "publicity"
    assert abs(roadshow.publicity_until - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(
        minutes=1)
    (event,) = events(roadshow, "publicize")
    assert (event.from_state, event.to_state, event.data["days"], event.actor) == ("closed", "publicity", 7, admin)


def test_publicize_needs_computed_results(admin, closed_roadshow):
    with pytest.raises(WorkflowError):
        award_services.publicize(actor=admin, roadshow=closed_roadshow, days=7)


@pytest.mark.parametrize("days", [0, 31, "x", None, True, 2.5])
def test_publicize_refuses_a_bad_number_of_days(admin, computed, days):
    with pytest.raises(ValidationError):
        award_services.publicize(actor=admin, roadshow=computed, days=days)


def test_results_changed_settings_must_be_recomputed_before_publication(admin, computed):
    award_services.save_tiers(actor=admin, roadshow=computed, tiers=[{"name": "一等", "quota_count": 3, "amount": "1"}])
    with pytest.raises(WorkflowError, match="重新计算"):
        award_services.publicize(actor=admin, roadshow=computed, days=7)
    with pytest.raises(WorkflowError, match="重新计算"):
        award_services.finalize(actor=admin, roadshow=computed)


def test_during_publicity_every_unions_staff_may_read_the_results_before_only_admins(people, computed, admin):
    assert award_queries.may_see_results(admin, computed)
    assert not award_queries.may_see_results(people["staff_b"], computed)
    award_services.publicize(actor=admin, roadshow=computed, days=5)
    computed.refresh_from_db()
    assert award_queries.may_see_results(people["staff_b"], computed)
    assert award_queries.may_see_results(people["staff_a1"], computed)


def test_any_unions_staff_may_object_during_publicity(people, publicity, closed_show):
    entry = closed_show.entries[1]
    objection = award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=entry, text="评分有误")
    assert (objection.union, objection.filed_by, objection.answered) == (people["staff_b"].union, people["staff_b"],
                                                                          False)
    assert events(publicity, "object")[0].data == {"entry": entry.pk, "union": people["staff_b"].union_id}


def test_objections_are_refused_outside_publicity(people, computed, closed_show):
    with pytest.raises(WorkflowError):
        award_services.file_objection(actor=people["staff_b"], roadshow=computed, entry=closed_show.entries[0],
                                      text="x")


def test_objections_are_refused_after_the_publicity_period(people, publicity, closed_show):
    publicity.publicity_until = timezone.now() - datetime.timedelta(seconds=1)
    publicity.save()
    with pytest.raises(WorkflowError, match="公示期已结束"):
        award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=closed_show.entries[0],
                                text="x")


def test_only_union_staff_may_object_and_only_with_text_on_an_entry_of_the_roadshow(people, publicity, admin,
                                                                                   campaign, tree, closed_show):
    entry = closed_show.entries[0]
    with pytest.raises(PermissionDenied):
        award_services.file_objection(actor=people["juror"], roadshow=publicity, entry=entry, text="x")
    with pytest.raises(ValidationError):
        award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=entry, text="  ")
    other = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_b"], totals=[["90"]], title="另一场")
    with pytest.raises(ValidationError):
        award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=other.entries[0], text="x")


def test_the_admin_answers_each_objection_once(people, publicity, admin, closed_show):
    objection = award_services.file_objection(actor=people["staff_b"], roadshow=publicity,
                                        entry=closed_show.entries[0], text="请复核")
    with pytest.raises(PermissionDenied):
        award_services.answer_objection(actor=people["staff_a"], objection=objection, answer="好")
    with pytest.raises(ValidationError):
        award_services.answer_objection(actor=admin, objection=objection, answer="")
    answered = award_services.answer_objection(actor=admin, objection=objection, answer="经复核，评分无误。")
    assert answered.answered and answered.answered_by == admin
    with pytest.raises(WorkflowError):
        award_services.answer_objection(actor=admin, objection=objection, answer="再答")


def test_finalising_needs_every_objection_answered(people, publicity, admin, closed_show):
    objection = award_services.file_objection(actor=people["staff_b"], roadshow=publicity,
                                        entry=closed_show.entries[0], text="请复核")
    with pytest.raises(WorkflowError, match="1 条异议未答复"):
        award_services.finalize(actor=admin, roadshow=publicity)
    assert not Payout.objects.exists()
    award_services.answer_objection(actor=admin, objection=objection, answer="评分无误")
    assert award_services.finalize(actor=admin, roadshow=publicity).status == "finalized"


# --- finalising -----------------------------------------------------------------------------


def test_finalize_awards_the_tiered_projects_and_creates_one_pending_payout_each(admin, computed, closed_show):
    roadshow = award_services.finalize(actor=admin, roadshow=computed)
    assert roadshow.status == "finalized" and roadshow.finalized_at is not None
    e1, e2, e3, e4 = closed_show.entries
    payouts = {p.project_id: (p.tier, p.amount, p.status) for p in Payout.objects.filter(roadshow=roadshow)}
    assert payouts == {e1.project_id: ("一等", D("10000.00"), "pending"),
                       e2.project_id: ("二等", D("5000.00"), "pending"),
                       e3.project_id: ("二等", D("5000.00"), "pending")}
    for entry in (e1, e2, e3):
        entry.project.refresh_from_db()
        assert entry.project.status == "awarded"
        assert ProjectEvent.objects.filter(project=entry.project, action="award", actor=admin).count() == 1
    e4.project.refresh_from_db()
    assert e4.project.status == "shortlisted"
    assert len(events(roadshow, "create_payout")) == 3
    (event,) = events(roadshow, "finalize")
    assert event.data["total"] == "20000.00" and (event.from_state, event.to_state) == ("closed", "finalized")


def test_finalising_twice_is_refused_and_creates_nothing_more(admin, computed):
    award_services.finalize(actor=admin, roadshow=computed)
    with pytest.raises(WorkflowError):
        award_services.finalize(actor=admin, roadshow=computed)
    assert Payout.objects.count() == 3


def test_finalize_from_publicity(admin, publicity):
    assert award_services.finalize(actor=admin, roadshow=publicity).status == "finalized"


def test_finalize_is_refused_when_another_roadshow_used_the_budget_since_the_compute(
        admin, computed, campaign, tree, django_capture_on_commit_callbacks):
    campaign.budget = D("25000.00")
    campaign.save()
    other = ScoredRoadshowFactory(actor=admin, campaign=campaign, union=tree["county_b"], totals=[["90"]],
                                  title="第二场").roadshow
    award_services.save_tiers(actor=admin, roadshow=other, tiers=[{"name": "一等", "quota_count": 1, "amount": "10000"}])
    with django_capture_on_commit_callbacks(execute=True):
        award_services.request_compute(actor=admin, roadshow=other)
    award_services.finalize(actor=admin, roadshow=other)  # 10,000 of 25,000 gone; ours needs 20,000
    with pytest.raises(WorkflowError, match="超出本年度剩余预算"):
        award_services.finalize(actor=admin, roadshow=computed)
    assert not Payout.objects.filter(roadshow=computed).exists()


def test_only_the_admin_finalises(people, computed):
    with pytest.raises(PermissionDenied):
        award_services.finalize(actor=people["county_admin_a"], roadshow=computed)


def test_after_finalising_the_applicants_see_the_results(people, admin, computed):
    award_services.finalize(actor=admin, roadshow=computed)
    computed.refresh_from_db()
    assert award_queries.may_see_results(people["staff_a"], computed)
    assert [r.rank for r in award_queries.results_of(computed)] == [1, 2, 2, 4]


# --- reopening ------------------------------------------------------------------------------


def test_reopen_needs_a_reason_and_undoes_the_pending_awards(admin, computed, closed_show,
                                                             django_capture_on_commit_callbacks):
    award_services.finalize(actor=admin, roadshow=computed)
    with pytest.raises(ValidationError):
        award_services.reopen_results(actor=admin, roadshow=computed, reason=" ")
    roadshow = award_services.reopen_results(actor=admin, roadshow=computed, reason="评分录入错误，需复核")
    assert roadshow.status == "closed" and roadshow.finalized_at is None
    assert not Payout.objects.exists()
    for entry in closed_show.entries[:3]:
        entry.project.refresh_from_db()
        assert entry.project.status == "shortlisted"
        assert ProjectEvent.objects.get(project=entry.project, action="revoke_award").reason == "评分录入错误，需复核"
    (event,) = events(roadshow, "reopen_results")
    assert event.reason == "评分录入错误，需复核" and event.data == {"payouts_deleted": 3}
    assert len(events(roadshow, "delete_payout")) == 3
    # Computable again, and finalisable again with the same payouts.
    with django_capture_on_commit_callbacks(execute=True):
        award_services.request_compute(actor=admin, roadshow=roadshow)
    award_services.finalize(actor=admin, roadshow=roadshow)
    assert Payout.objects.count() == 3 and Result.objects.filter(roadshow=roadshow).count() == 4


def test_reopen_is_refused_once_a_payout_is_approved(admin, computed):
    award_services.finalize(actor=admin, roadshow=computed)
    award_services.approve_payout(actor=admin, payout=Payout.objects.first())
    with pytest.raises(WorkflowError, match="已审批或已拨付"):
        award_services.reopen_results(actor=admin, roadshow=computed, reason="复核")
    assert Payout.objects.count() == 3


def test_reopen_only_from_finalized(admin, computed):
    with pytest.raises(WorkflowError):
        award_services.reopen_results(actor=admin, roadshow=computed, reason="复核")


# --- payouts --------------------------------------------------------------------------------


@pytest.fixture
def payout(admin, computed, closed_show):
    award_services.finalize(actor=admin, roadshow=computed)
    return Payout.objects.get(project=closed_show.entries[0].project)


def test_payout_goes_pending_approved_paid_each_step_audited_with_the_amount(admin, payout):
    approved = award_services.approve_payout(actor=admin, payout=payout)
    assert (approved.status, approved.approved_by) == ("approved", admin) and approved.approved_at
    paid = award_services.mark_paid(actor=admin, payout=payout)
    assert (paid.status, paid.paid_by) == ("paid", admin) and paid.paid_at
    steps = [(e.action, e.from_state, e.to_state, e.data["amount"], e.actor)
             for e in EvaluationEvent.objects.filter(object_type="payout", object_id=payout.pk).order_by("id")]
    assert steps == [("create_payout", "", "pending", "10000.00", admin),
                     ("approve_payout", "pending", "approved", "10000.00", admin),
                     ("mark_paid", "approved", "paid", "10000.00", admin)]


def test_paid_before_approved_is_refused(admin, payout):
    with pytest.raises(WorkflowError, match="尚未审批") as caught:
        award_services.mark_paid(actor=admin, payout=payout)
    assert caught.value.state == "pending"
    payout.refresh_from_db()
    assert payout.status == "pending"


def test_approving_twice_or_after_payment_is_refused(admin, payout):
    award_services.approve_payout(actor=admin, payout=payout)
    with pytest.raises(WorkflowError):
        award_services.approve_payout(actor=admin, payout=payout)
    award_services.mark_paid(actor=admin, payout=payout)
    with pytest.raises(WorkflowError):
        award_services.mark_paid(actor=admin, payout=payout)


def test_only_the_admin_moves_payouts(people, payout):
    for user in (people["staff_a"], people["county_admin_a"]):
        with pytest.raises(PermissionDenied):
            award_services.approve_payout(actor=user, payout=payout)


def test_payouts_are_listed_for_admins_and_for_the_applicant_union_only(people, admin, payout, campaign):
    assert award_queries.payouts_visible_to(admin, campaign).count() == 3
    assert award_queries.payouts_visible_to(people["staff_a"]).count() == 3  # county_a filed them all
    assert award_queries.payouts_visible_to(people["staff_b"]).count() == 0


def test_objection_rows_list_in_order(people, publicity, closed_show):
    for text in ("一", "二"):
        award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=closed_show.entries[0],
                                text=text)
    assert [o.text for o in award_queries.objections_of(publicity)] == ["一", "二"]
    assert Objection.objects.count() == 2
