"""Issue 21, item 5 on the pages: the objection form refuses duplicates and flooding with a
message; the admin's objection desk answers or dismisses the checked objections at once."""

import pytest
from django.contrib.messages import get_messages

from awards import services as award_services
from evaluations.models import EvaluationEvent
from awards.models import Objection


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _file_page(client, roadshow, entry, text):
    return client.post(f"/roadshows/{roadshow.pk}/published/objections/", {"entry": entry.pk, "text": text})


def test_the_objection_form_refuses_a_duplicate_with_a_message(client_as, people, publicity, closed_show):
    client = client_as(people["staff_b"])
    entry = closed_show.entries[0]
    _file_page(client, publicity, entry, "请复核评分")
    response = _file_page(client, publicity, entry, "请复核评分。")
    assert any("内容相同" in m for m in _messages(response))
    assert Objection.objects.count() == 1


def test_the_objection_form_refuses_flooding_with_a_message(client_as, people, publicity, settings, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 100
    settings.OBJECTIONS_PER_UNION_PER_ENTRY = 100
    settings.OBJECTION_RATE_LIMIT = 2
    client = client_as(people["staff_b"])
    for i in range(2):
        _file_page(client, publicity, closed_show.entries[i], f"异议{i}")
    response = _file_page(client, publicity, closed_show.entries[2], "第三条")
    assert any("过于频繁" in m for m in _messages(response))
    assert Objection.objects.count() == 2


@pytest.fixture
def filed(people, publicity, closed_show):
    return [award_services.file_objection(actor=people["staff_b"], roadshow=publicity, entry=closed_show.entries[i],
                                    text=f"异议{i}") for i in range(3)]


def test_the_desk_lists_objections_with_checkboxes(client_as, admin, publicity, filed):
    page = client_as(admin).get(f"/roadshows/{publicity.pk}/awards/objections/").content.decode()
    for objection in filed:
        assert f'name="ids" value="{objection.pk}"' in page
    assert 'data-testid="bulk-dismiss"' in page and 'data-confirm="' in page


def test_the_desk_dismisses_the_checked_objections(client_as, admin, publicity, filed):
    response = client_as(admin).post(f"/roadshows/{publicity.pk}/awards/objections/bulk/",
                                     {"ids": [filed[0].pk, filed[2].pk], "action": "dismiss", "text": "不予受理"})
    assert response.status_code == 302
    assert any("已驳回 2 条" in m for m in _messages(response))
    assert set(Objection.objects.filter(dismissed=True).values_list("pk", flat=True)) == {filed[0].pk, filed[2].pk}
    assert EvaluationEvent.objects.filter(action="dismiss", actor=admin).count() == 2
    page = client_as(admin).get(f"/roadshows/{publicity.pk}/awards/objections/").content.decode()
    assert f'name="ids" value="{filed[0].pk}"' not in page and "已驳回" in page


def test_the_desk_answers_the_checked_objections(client_as, admin, publicity, filed):
    client_as(admin).post(f"/roadshows/{publicity.pk}/awards/objections/bulk/",
                          {"ids": [o.pk for o in filed], "action": "answer", "text": "经复核无误"})
    assert Objection.objects.filter(answer="经复核无误", dismissed=False, answered_at__isnull=False).count() == 3
    assert EvaluationEvent.objects.filter(action="answer").count() == 3


@pytest.mark.parametrize("data", [
    {"action": "answer", "text": "x"},
    {"ids": ["1"], "action": "answer", "text": ""},
    {"ids": ["999999"], "action": "answer", "text": "x"},
])
def test_the_desk_refuses_incomplete_forms_with_a_message(client_as, admin, publicity, filed, data):
    response = client_as(admin).post(f"/roadshows/{publicity.pk}/awards/objections/bulk/", data)
    assert response.status_code == 302 and _messages(response)
    assert not Objection.objects.filter(answered_at__isnull=False).exists()


def test_the_desk_is_the_admins(client_as, people, publicity, filed):
    for url in (f"/roadshows/{publicity.pk}/awards/objections/", f"/roadshows/{publicity.pk}/awards/objections/bulk/"):
        response = client_as(people["staff_b"]).post(url, {"ids": [filed[0].pk], "action": "dismiss", "text": "x"})
        assert response.status_code in (403, 404, 405)
    assert client_as(people["staff_b"]).get(f"/roadshows/{publicity.pk}/awards/objections/").status_code in (403, 404)
    assert not Objection.objects.filter(answered_at__isnull=False).exists()
