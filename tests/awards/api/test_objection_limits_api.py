"""Issue 21, item 5 through the API: 409 over the limits and for duplicates, 429 over the rate
limit (with Retry-After), and the bulk answer/dismiss endpoints (admin; all or none; audited)."""

import pytest

from awards import services as award_services
from evaluations.models import EvaluationEvent
from awards.models import Objection

API = "/api/v1"


def rs(roadshow, tail):
    return f"{API}/roadshows/{roadshow.pk}/{tail}"


def _post(client, roadshow, entry, text):
    return client.post(rs(roadshow, "objections/"), {"entry": entry.pk, "text": text}, format="json")


def test_a_duplicate_objection_is_409_in_chinese(api_as, people, publicity, closed_show):
    entry = closed_show.entries[0]
    assert _post(api_as(people["staff_b"]), publicity, entry, "评分偏高").status_code == 201
    response = _post(api_as(people["staff_a"]), publicity, entry, "评分偏高！")
    assert response.status_code == 409
    assert "内容相同" in response.json()["detail"]


def test_the_per_user_limit_is_409(api_as, people, publicity, settings, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 1
    staff = api_as(people["staff_b"])
    entry = closed_show.entries[0]
    assert _post(staff, publicity, entry, "第一条").status_code == 201
    response = _post(staff, publicity, entry, "第二条")
    assert response.status_code == 409 and "已达上限" in response.json()["detail"]


def test_flooding_is_429_with_retry_after(api_as, people, publicity, settings, closed_show):
    """The issue: 200 objections in 9 s. Now the sixth within ten minutes is refused."""
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 100
    settings.OBJECTIONS_PER_UNION_PER_ENTRY = 100
    staff = api_as(people["staff_b"])
    codes = [_post(staff, publicity, closed_show.entries[i % 4], f"异议 {i}").status_code for i in range(8)]
    assert codes == [201] * 5 + [429] * 3
    response = _post(staff, publicity, closed_show.entries[0], "再来一条")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "过于频繁" in response.json()["detail"]
    assert Objection.objects.count() == 5


@pytest.fixture
def filed(people, publicity, closed_show):
    entries = closed_show.entries
    return [award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=entries[i], text=f"异议{i}")
            for i in range(3)]


def test_bulk_answer_endpoint(admin_api, publicity, filed):
    ids = [o.pk for o in filed[:2]]
    response = admin_api.post(rs(publicity, "objections/answer/"), {"ids": ids, "answer": "经复核无误"},
                              format="json")
    assert response.status_code == 200, response.content
    assert [(o["id"], o["answered"], o["dismissed"], o["answer"]) for o in response.json()] == [
        (pk, True, False, "经复核无误") for pk in ids]
    assert EvaluationEvent.objects.filter(action="answer", object_id__in=ids).count() == 2


def test_bulk_dismiss_endpoint_then_finalize(admin_api, publicity, filed):
    ids = [o.pk for o in filed]
    response = admin_api.post(rs(publicity, "objections/dismiss/"), {"ids": ids, "reason": "不予受理"},
                              format="json")
    assert response.status_code == 200, response.content
    assert all(o["dismissed"] and o["answered"] for o in response.json())
    assert EvaluationEvent.objects.filter(action="dismiss", reason="不予受理").count() == 3
    assert admin_api.post(rs(publicity, "finalize/")).status_code == 200


@pytest.mark.parametrize(("body", "status"), [
    ({"ids": [], "answer": "x"}, 400),
    ({"ids": ["a"], "answer": "x"}, 400),
    ({"answer": "x"}, 400),
    ({"ids": [999999], "answer": "x"}, 400),
])
def test_bulk_answer_bad_input_is_400(admin_api, publicity, filed, body, status):
    assert admin_api.post(rs(publicity, "objections/answer/"), body, format="json").status_code == status
    assert not Objection.objects.filter(answered_at__isnull=False).exists()


def test_bulk_on_an_answered_objection_is_409_and_changes_nothing(admin_api, publicity, filed):
    url = rs(publicity, "objections/answer/")
    assert admin_api.post(url, {"ids": [filed[0].pk], "answer": "答"}, format="json").status_code == 200
    response = admin_api.post(rs(publicity, "objections/dismiss/"), {"ids": [o.pk for o in filed], "reason": "驳"},
                              format="json")
    assert response.status_code == 409
    assert Objection.objects.filter(dismissed=True).count() == 0


def test_bulk_endpoints_are_the_admins(api_as, people, publicity, filed):
    for action, body in (("answer", {"answer": "x"}), ("dismiss", {"reason": "x"})):
        response = api_as(people["staff_b"]).post(rs(publicity, f"objections/{action}/"),
                                                  {"ids": [filed[0].pk], **body}, format="json")
        assert response.status_code in (403, 404)
    assert not Objection.objects.filter(answered_at__isnull=False).exists()
