"""``POST /api/v1/payouts/approve/`` ``{ids}``: several payouts approved at once, all or none,
each audited; not an admin 403 (before the body), bad input 400, a payout not visible 404, one
not pending 409."""

import pytest

from awards import services as award_services
from evaluations.models import EvaluationEvent
from awards.models import Payout

pytestmark = pytest.mark.django_db
API = "/api/v1/payouts/approve/"


def ids_of(roadshow):
    return list(Payout.objects.filter(roadshow=roadshow).order_by("pk").values_list("pk", flat=True))


def test_bulk_approve_returns_the_approved_payouts_each_audited(admin_api, admin, finalized):
    ids = ids_of(finalized)
    response = admin_api.post(API, {"ids": ids[:2]}, format="json")
    assert response.status_code == 200
    assert [(p["id"], p["status"]) for p in response.json()] == [(ids[0], "approved"), (ids[1], "approved")]
    assert Payout.objects.get(pk=ids[2]).status == "pending"
    events = EvaluationEvent.objects.filter(action="approve_payout").values_list("object_id", flat=True)
    assert sorted(events) == ids[:2]


def test_one_payout_not_pending_refuses_the_whole_batch_with_409(admin_api, admin, finalized):
    ids = ids_of(finalized)
    award_services.approve_payout(actor=admin, payout=Payout.objects.get(pk=ids[1]))
    response = admin_api.post(API, {"ids": ids}, format="json")
    assert response.status_code == 409 and response.json()["state"] == "approved"
    assert list(Payout.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)) == [
        "pending", "approved", "pending"]


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": "1"}, {"ids": ["x"]}, {"ids": [0]}, {"ids": [2**64]},
                                  {"ids": list(range(1, 502))}])
def test_bad_bodies_are_400(admin_api, finalized, body):
    response = admin_api.post(API, body, format="json")
    assert response.status_code == 400 and "ids" in response.json()
    assert not Payout.objects.exclude(status="pending").exists()


def test_not_visible_is_404_and_not_an_admin_is_403(api_as, admin_api, people, finalized):
    ids = ids_of(finalized)
    assert admin_api.post(API, {"ids": [ids[0], 99999999]}, format="json").status_code == 404
    assert api_as(people["staff_b"]).post(API, {"ids": ids}, format="json").status_code == 403
    assert api_as(people["staff_a"]).post(API, {"ids": ids}, format="json").status_code == 403
    assert api_as(None).post(API, {"ids": ids}, format="json").status_code in (401, 403)
    assert not Payout.objects.exclude(status="pending").exists()
