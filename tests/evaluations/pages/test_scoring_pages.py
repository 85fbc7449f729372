"""The juror's phone pages: the list, the scoring page, autosave, submit, attachments."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from evaluations import services
from evaluations.enums import CardStatus
from evaluations.models import Score, Scorecard
from projects.models import Attachment

from tests.factories import full_scores

HTMX = {"HTTP_HX_REQUEST": "true"}


def _card(roadshow, juror, index=0):
    entry = roadshow.entries.order_by("order")[index]
    return Scorecard.objects.get(entry=entry, juror=juror)


def _post_scores(roadshow, values):
    return {f"c{c.pk}": v for c, v in zip(roadshow.rubric.criteria.all(), values, strict=False)}


def test_juror_list_shows_my_entries_with_status(client_for, jurors, scoring):
    first, second = _card(scoring, jurors[0], 0), _card(scoring, jurors[0], 1)
    services.save_draft(actor=jurors[0], card=first, scores={scoring.rubric.criteria.first().pk: "20"})
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert "职工书屋" in html and "安康杯竞赛" in html
    assert f'href="/score/cards/{first.pk}/"' in html
    for card in (first, second):
        assert f'data-testid="card-state-{card.pk}">评分中<' in html
    assert "待评" not in html
    assert f'data-testid="card-total-{first.pk}">20.0<' in html  # what is saved so far
    services.submit_card(actor=jurors[0], card=second, scores=full_scores(scoring))
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert f'data-testid="card-state-{second.pk}">已提交<' in html
    assert f'data-testid="card-state-{first.pk}">评分中<' in html


def test_recused_entry_is_listed_as_recused_without_its_project(client_for, people, jurors, roadshow):
    seat = roadshow.seats.get(user=jurors[0])
    entry = roadshow.entries.get(project__title="安康杯竞赛")
    services.add_manual_recusal(actor=people["admin"], seat=seat, entry=entry, reason="曾指导该项目")
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    html = client_for(jurors[0]).get("/score/").content.decode()
    assert "职工书屋" in html
    assert f'data-testid="recused-{entry.pk}"' in html and ">回避</span>" in html and "您已回避本项目" in html
    assert "安康杯竞赛" not in html and entry.project.applicant_union.display_name not in html
    assert "曾指导该项目" not in html
    assert "已提交 0 / 1" in html  # the count is of the juror's own cards


def test_another_jurors_card_is_404(client_for, jurors, scoring):
    theirs = _card(scoring, jurors[1])
    client = client_for(jurors[0])
    assert client.get(f"/score/cards/{theirs.pk}/").status_code == 404
    assert client.post(f"/score/cards/{theirs.pk}/autosave/", _post_scores(scoring, ["1"]), **HTMX).status_code == 404
    assert client.post(f"/score/cards/{theirs.pk}/submit/", _post_scores(scoring, ["1"] * 4)).status_code == 404


def test_scoring_page_shows_one_input_per_criterion_with_its_max(client_for, jurors, scoring):
    card = _card(scoring, jurors[0])
    html = client_for(jurors[0]).get(f"/score/cards/{card.pk}/").content.decode()
    for criterion in scoring.rubric.criteria.all():
        assert f'name="c{criterion.pk}"' in html
        assert criterion.name in html
    assert 'inputmode="decimal"' in html and 'step="0.1"' in html and 'max="25"' in html and 'max="30"' in html
    assert "满分 25" in html
    assert 'hx-trigger="input delay:800ms"' in html
    assert 'data-confirm="确认提交评分？提交后不能修改。"' in html


def test_autosave_saves_the_draft_and_says_when(client_for, jurors, scoring):
    card = _card(scoring, jurors[0])
    data = {**_post_scores(scoring, ["20", "12.5"]), "comment": "很好"}
    response = client_for(jurors[0]).post(f"/score/cards/{card.pk}/autosave/", data, **HTMX)
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    card.refresh_from_db()
    assert sorted(card.values().values()) == [Decimal("12.5"), Decimal(20)]
    assert card.comment == "很好"
    assert card.status == CardStatus.DRAFT


@pytest.mark.parametrize("bad", ["26", "-1", "12.34", "abc"])
def test_autosave_refuses_a_bad_value_naming_the_criterion(client_for, jurors, scoring, bad):
    card = _card(scoring, jurors[0])
    data = _post_scores(scoring, [bad, "20"])
    response = client_for(jurors[0]).post(f"/score/cards/{card.pk}/autosave/", data, **HTMX)
    html = response.content.decode()
    assert "组织管理" in html and "未保存" in html
    assert not Score.objects.filter(card=card).exists()


def test_autosave_error_names_the_field_it_refuses(client_for, jurors, scoring):
    card = _card(scoring, jurors[0])
    first, second = scoring.rubric.criteria.all()[:2]
    response = client_for(jurors[0]).post(f"/score/cards/{card.pk}/autosave/",
                                          _post_scores(scoring, ["20", "31"]), **HTMX)
    html = response.content.decode()
    # The page marks the field named here (scoring.js), with the message naming the criterion.
    assert f'data-error-field="c{second.pk}"' in html and f'data-error-field="c{first.pk}"' not in html
    assert "“创新程度”的分数须在 0 到 25 之间" in html


def test_scoring_page_carries_each_fields_messages_for_the_phone(client_for, jurors, scoring, settings):
    card = _card(scoring, jurors[0])
    criterion = scoring.rubric.criteria.first()
    html = client_for(jurors[0]).get(f"/score/cards/{card.pk}/").content.decode()
    assert 'data-range-message="“组织管理”的分数须在 0 到 25 之间，最多一位小数。"' in html
    assert 'data-missing-message="请填写“组织管理”的分数。"' in html
    assert f'id="id_c{criterion.pk}_feedback"' in html and 'data-invalid-text="有无效分数"' in html
    assert "<script>" not in html and " style=" not in html  # CSP: no inline script or style
    english = client_for(jurors[0])
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = english.get(f"/score/cards/{card.pk}/").content.decode()
    assert 'data-invalid-text="Invalid score"' in html
    assert "Fill in every criterion and correct the fields marked in red" in html


@pytest.mark.parametrize("bad", ["26", "-1", "12.34", "abc"])
def test_submit_refuses_a_bad_value_naming_the_criterion(client_for, jurors, scoring, bad):
    card = _card(scoring, jurors[0])
    data = _post_scores(scoring, [bad, "20", "25", "15"])
    response = client_for(jurors[0]).post(f"/score/cards/{card.pk}/submit/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "“组织管理”的分数须在 0 到 25 之间" in html
    assert f'value="{bad}"' in html  # what was typed is shown again
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT
    assert not Score.objects.filter(card=card).exists()


def test_submit_of_an_incomplete_card_is_refused(client_for, jurors, scoring):
    card = _card(scoring, jurors[0])
    response = client_for(jurors[0]).post(f"/score/cards/{card.pk}/submit/", _post_scores(scoring, ["20", "20"]))
    html = response.content.decode()
    assert "请填写“工作成效”的分数" in html and "请填写“可复制性”的分数" in html
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT


def test_submit_locks_the_card_and_later_edits_are_refused(client_for, jurors, scoring):
    card = _card(scoring, jurors[0])
    client = client_for(jurors[0])
    response = client.post(f"/score/cards/{card.pk}/submit/", _post_scores(scoring, ["20", "20", "25", "15"]),
                           follow=True)
    html = response.content.decode()
    assert "评分已提交，已锁定" in html
    assert 'data-testid="submit-card"' not in html
    assert "disabled" in html
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED and card.total == Decimal("80.0")

    response = client.post(f"/score/cards/{card.pk}/autosave/", _post_scores(scoring, ["1"]), **HTMX)
    assert "评分表已提交，不能再修改" in response.content.decode()
    response = client.post(f"/score/cards/{card.pk}/submit/", _post_scores(scoring, ["1", "1", "1", "1"]),
                           follow=True)
    assert "评分表已提交，不能再修改" in response.content.decode()
    card.refresh_from_db()
    assert card.total == Decimal("80.0")


def test_live_card_waits_until_its_entry_is_open(client_for, people, jurors, live):
    card = _card(live, jurors[0])
    client = client_for(jurors[0])
    html = client.get(f"/score/cards/{card.pk}/").content.decode()
    assert "请等待主持人开始本项目的评分" in html
    response = client.post(f"/score/cards/{card.pk}/autosave/", _post_scores(live, ["20"]), **HTMX)
    assert "该项目当前不在评分中" in response.content.decode()
    services.open_entry(actor=people["admin"], entry=card.entry)
    html = client.get(f"/score/cards/{card.pk}/").content.decode()
    assert "请等待主持人" not in html and 'data-testid="submit-card"' in html


def test_live_banner_shows_the_open_entry_and_follows_it(client_for, people, jurors, live):
    first, second = _card(live, jurors[0], 0), _card(live, jurors[0], 1)
    client = client_for(jurors[0])
    url = f"/score/roadshows/{live.pk}/now/"
    assert "请等待主持人开始下一个项目" in client.get(url, **HTMX).content.decode()
    services.open_entry(actor=people["admin"], entry=first.entry)
    html = client.get(url, **HTMX).content.decode()
    assert "职工书屋" in html and f"/score/cards/{first.pk}/" in html
    # On the page of a waiting entry that has just opened: reload it so the inputs unlock.
    response = client.get(url, {"card": first.pk, "state": "waiting"}, **HTMX)
    assert response["HX-Refresh"] == "true"
    # On the page of the open entry, nothing changes.
    response = client.get(url, {"card": first.pk, "state": "open"}, **HTMX)
    assert "HX-Refresh" not in response and "HX-Redirect" not in response
    # The admin moves on: the page of the old entry goes to the new one.
    services.close_entry(actor=people["admin"], entry=first.entry, override_reason="本测试不涉及法定数")
    services.open_entry(actor=people["admin"], entry=second.entry)
    response = client.get(url, {"card": first.pk, "state": "closed"}, **HTMX)
    assert response["HX-Redirect"] == f"/score/cards/{second.pk}/"


def test_live_banner_never_names_a_recused_entry(client_for, people, jurors, campaign, projects):
    from tests.factories import RoadshowFactory

    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors, live=True)
    entry = roadshow.entries.get(project__title="安康杯竞赛")
    services.add_manual_recusal(actor=people["admin"], seat=roadshow.seats.get(user=jurors[0]), entry=entry,
                                reason="亲属关系")
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    services.open_entry(actor=people["admin"], entry=entry)
    html = client_for(jurors[0]).get(f"/score/roadshows/{roadshow.pk}/now/", **HTMX).content.decode()
    assert "安康杯竞赛" not in html
    assert "无需您评分" in html


def test_live_banner_is_404_for_a_juror_not_on_the_roadshow(client_for, people, live):
    assert client_for(people["juror"]).get(f"/score/roadshows/{live.pk}/now/").status_code == 404


def _attachment(project):
    attachment = Attachment(project=project, name="项目申报书.pdf", size=20, content_type="application/pdf")
    attachment.file.save("apply.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return attachment


def test_juror_downloads_an_attachment_of_an_entry_they_score(client_for, people, jurors, scoring, settings,
                                                              tmp_path):
    settings.MEDIA_ROOT = tmp_path
    card = _card(scoring, jurors[0])
    attachment = _attachment(card.entry.project)
    client = client_for(jurors[0])
    assert "项目申报书.pdf" in client.get(f"/score/cards/{card.pk}/").content.decode()
    response = client.get(f"/score/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(people["juror"]).get(f"/score/attachments/{attachment.pk}/").status_code == 404
    assert client_for(people["staff_b"]).get(f"/score/attachments/{attachment.pk}/").status_code == 404


def test_recused_juror_cannot_download_the_entrys_attachment(client_for, people, jurors, roadshow, settings,
                                                             tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = roadshow.entries.get(project__title="安康杯竞赛")
    services.add_manual_recusal(actor=people["admin"], seat=roadshow.seats.get(user=jurors[0]), entry=entry,
                                reason="亲属关系")
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    attachment = _attachment(entry.project)
    assert client_for(jurors[0]).get(f"/score/attachments/{attachment.pk}/").status_code == 404
    assert client_for(jurors[1]).get(f"/score/attachments/{attachment.pk}/").status_code == 200


def test_project_title_is_escaped_on_the_juror_pages(client_for, people, jurors, campaign, tree):
    from tests.factories import RoadshowFactory, shortlisted

    evil = shortlisted(campaign, tree["county_a"], title="<script>alert(1)</script>项目")
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[evil], jurors=jurors, live=True)
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    entry = roadshow.entries.get()
    services.open_entry(actor=people["admin"], entry=entry)
    card = Scorecard.objects.get(entry=entry, juror=jurors[0])
    client = client_for(jurors[0])
    for url in ("/score/", f"/score/cards/{card.pk}/", f"/score/roadshows/{roadshow.pk}/now/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_home_card_lists_the_jurors_roadshows(client_for, jurors, scoring):
    client = client_for(jurors[0])
    home = client.get("/").content.decode()
    assert 'data-testid="card-juror"' in home and 'hx-get="/score/summary/"' in home
    html = client.get("/score/summary/").content.decode()
    assert scoring.title in html and "已提交 0 / 2" in html
