"""The admin's roadshow pages: creation, setup, the live console, reopening, the big screen and
the results page."""

import datetime
from decimal import Decimal

from evaluations import services
from evaluations.enums import CardStatus, EntryState, EventAction, RoadshowStatus
from evaluations.models import EvaluationEvent, Roadshow, Scorecard
from tests.factories import JurorFactory, RoadshowFactory, full_scores, shortlisted



def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_admin_creates_a_roadshow(client_for, people, campaign):
    client = client_for(people["admin"])
    assert campaign.title in client.get("/roadshows/new/").content.decode()
    response = client.post("/roadshows/new/", {
        "campaign": campaign.pk, "title": "2026年度路演展评", "date": "2026-06-01", "venue": "市工人文化宫",
        "aggregation": "mean", "live": "on"})
    roadshow = Roadshow.objects.get()
    assert response["Location"] == f"/roadshows/{roadshow.pk}/"
    assert (roadshow.title, roadshow.aggregation, roadshow.live) == ("2026年度路演展评", "mean", True)
    assert roadshow.date == datetime.date(2026, 6, 1)
    assert "2026年度路演展评" in client.get("/roadshows/").content.decode()


def test_setup_adds_entries_from_shortlisted_projects_and_reorders_them(client_for, people, campaign, tree, roadshow):
    extra = shortlisted(campaign, tree["county_b"], title="职工创新工作室")
    client = client_for(people["admin"])
    html = client.get(f"/roadshows/{roadshow.pk}/").content.decode()
    assert "职工创新工作室" in html
    client.post(f"/roadshows/{roadshow.pk}/entries/add/", {"projects": [extra.pk]})
    entries = list(roadshow.entries.order_by("order"))
    assert [e.project.title for e in entries] == ["职工书屋", "安康杯竞赛", "职工创新工作室"]
    client.post(f"/roadshows/{roadshow.pk}/entries/{entries[2].pk}/move/up/")
    assert [e.project.title for e in roadshow.entries.order_by("order")] == ["职工书屋", "职工创新工作室", "安康杯竞赛"]
    client.post(f"/roadshows/{roadshow.pk}/entries/{entries[0].pk}/remove/")
    assert roadshow.entries.count() == 2


def test_setup_searches_the_jury_pool_and_seats_a_juror_in_a_group(client_for, people, roadshow):
    expert = JurorFactory(username="expert_wang", name="王专家")
    JurorFactory(username="other", name="李代表")
    client = client_for(people["admin"])
    client.post(f"/roadshows/{roadshow.pk}/groups/", {"name": "专家评审组", "weight": "0.6"})
    group = roadshow.groups.get(name="专家评审组")
    html = client.get(f"/roadshows/{roadshow.pk}/", {"q": "王"}).content.decode()
    assert "王专家" in html and "李代表" not in html
    client.post(f"/roadshows/{roadshow.pk}/jurors/add/", {"user": expert.pk, "group": group.pk})
    seat = roadshow.seats.get(user=expert)
    assert seat.group == group
    default = roadshow.groups.exclude(pk=group.pk).get()
    client.post(f"/roadshows/{roadshow.pk}/groups/{default.pk}/", {"name": "大众评审组", "weight": "0.4"})
    default.refresh_from_db()
    assert (default.name, default.weight) == ("大众评审组", Decimal("0.4"))
    client.post(f"/roadshows/{roadshow.pk}/jurors/{seat.pk}/group/", {"group": default.pk})
    seat.refresh_from_db()
    assert seat.group == default
    client.post(f"/roadshows/{roadshow.pk}/jurors/{seat.pk}/remove/")
    assert not roadshow.seats.filter(user=expert).exists()


def test_bad_group_weight_is_a_message(client_for, people, roadshow):
    response = client_for(people["admin"]).post(f"/roadshows/{roadshow.pk}/groups/",
                                                 {"name": "专家评审组", "weight": "-1"}, follow=True)
    assert "权重须为大于 0 的数" in response.content.decode()


def test_setup_page_lists_every_recusal(client_for, people, tree, roadshow, jurors):
    # A juror of 江阴 is recused from 江阴's project automatically.
    local = JurorFactory(username="jy_juror", name="江阴评委", union=tree["town_a1"])
    services.add_juror(actor=people["admin"], roadshow=roadshow, user=local)
    client = client_for(people["admin"])
    seat = roadshow.seats.get(user=jurors[0])
    entry = roadshow.entries.get(project__title="安康杯竞赛")
    client.post(f"/roadshows/{roadshow.pk}/recusals/add/", {"seat": seat.pk, "entry": entry.pk, "reason": "曾指导该项目"})
    html = client.get(f"/roadshows/{roadshow.pk}/").content.decode()
    table = html[html.index('data-testid="recusal-table"'):]
    assert "江阴评委" in table and "自动" in table and "存在隶属关系" in table
    assert "评委0" in table and "手动" in table and "曾指导该项目" in table
    manual = roadshow.seats.get(user=jurors[0]).recusals.get()
    assert f"/recusals/{manual.pk}/remove/" in table
    automatic = roadshow.seats.get(user=local).recusals.get()
    assert f"/recusals/{automatic.pk}/remove/" not in table
    client.post(f"/roadshows/{roadshow.pk}/recusals/{manual.pk}/remove/")
    assert not roadshow.seats.get(user=jurors[0]).recusals.exists()


def test_start_asks_for_confirmation_and_gives_cards(client_for, people, roadshow):
    client = client_for(people["admin"])
    html = client.get(f"/roadshows/{roadshow.pk}/").content.decode()
    assert 'data-testid="start-roadshow"' in html and "data-confirm=" in html
    response = client.post(f"/roadshows/{roadshow.pk}/start/")
    assert response["Location"] == f"/roadshows/{roadshow.pk}/live/"
    roadshow.refresh_from_db()
    assert roadshow.status == RoadshowStatus.SCORING
    assert Scorecard.objects.filter(entry__roadshow=roadshow).count() == 6


def test_illegal_steps_are_messages_not_errors(client_for, people, campaign, scoring):
    client = client_for(people["admin"])
    response = client.post(f"/roadshows/{scoring.pk}/start/", follow=True)
    assert response.status_code == 200
    assert "不能开始评分" in response.content.decode()
    entry = scoring.entries.first()
    response = client.post(f"/roadshows/{scoring.pk}/entries/{entry.pk}/remove/", follow=True)
    assert "评分开始后不能移除路演项目" in response.content.decode()
    empty = services.create_roadshow(actor=people["admin"], campaign=campaign, title="空路演",
                                     date=datetime.date(2026, 6, 2))
    response = client.post(f"/roadshows/{empty.pk}/start/", follow=True)
    assert "请先添加路演项目和评委" in response.content.decode()
    response = client.post(f"/roadshows/{scoring.pk}/entries/{entry.pk}/close/", follow=True)
    assert "该项目不在评分中" in response.content.decode()


def test_close_roadshow_goes_to_the_results(client_for, people, scoring):
    response = client_for(people["admin"]).post(f"/roadshows/{scoring.pk}/close/",
                                                {"override_reason": "本测试不涉及法定数"})
    assert response["Location"] == f"/roadshows/{scoring.pk}/results/"
    scoring.refresh_from_db()
    assert scoring.status == RoadshowStatus.CLOSED


def test_live_console_opens_the_next_entry_shows_submissions_and_closes_it(client_for, people, jurors, live):
    client = client_for(people["admin"])
    html = client.get(f"/roadshows/{live.pk}/live/").content.decode()
    assert "开始下一个：职工书屋" in html and 'hx-trigger="every 2s"' in html
    client.post(f"/roadshows/{live.pk}/live/next/")
    entry = live.entries.get(state=EntryState.OPEN)
    assert entry.project.title == "职工书屋"
    card = Scorecard.objects.get(entry=entry, juror=jurors[1])
    services.submit_card(actor=jurors[1], card=card, scores=full_scores(live))
    html = client.get(f"/roadshows/{live.pk}/live/progress/").content.decode()
    assert f'data-testid="entry-progress-{entry.pk}">1 / 3' in html
    row = html[html.index(f'data-testid="juror-{jurors[1].pk}"'):]
    assert "已提交" in row[:400]
    # 1 card of a quorum of 2: the console's close button shows the refusal and a form for a reason.
    refused = client.post(f"/roadshows/{live.pk}/entries/{entry.pk}/close/").content.decode()
    assert "“职工书屋”1 份（法定 2 份）" in refused and 'name="override_reason"' in refused
    assert f'action="/roadshows/{live.pk}/entries/{entry.pk}/close/"' in refused
    entry.refresh_from_db()
    assert entry.state == EntryState.OPEN
    response = client.post(f"/roadshows/{live.pk}/entries/{entry.pk}/close/", {"override_reason": "两位评委断网"},
                           follow=True)
    assert "1 / 3 位评委已提交" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == EntryState.CLOSED


def test_admin_reopens_a_submitted_card_with_a_reason(client_for, people, jurors, scoring):
    card = Scorecard.objects.get(entry=scoring.entries.first(), juror=jurors[0])
    services.submit_card(actor=jurors[0], card=card, scores=full_scores(scoring))
    client = client_for(people["admin"])
    url = f"/roadshows/{scoring.pk}/cards/{card.pk}/reopen/"
    assert url in client.get(f"/roadshows/{scoring.pk}/live/").content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""}, follow=True)
    card.refresh_from_db()
    assert card.status == CardStatus.SUBMITTED
    response = client.post(url, {"reason": "评委误填工作成效分数"}, follow=True)
    assert "退回修改" in response.content.decode()
    card.refresh_from_db()
    assert card.status == CardStatus.DRAFT
    event = EvaluationEvent.objects.get(action=EventAction.REOPEN)
    assert (event.actor, event.reason) == (people["admin"], "评委误填工作成效分数")


def test_big_screen_shows_the_open_entry_then_its_score(client_for, people, jurors, live):
    client = client_for(people["admin"])
    page = client.get(f"/roadshows/{live.pk}/screen/").content.decode()
    assert 'hx-trigger="every 3s"' in page and "navbar" not in page and 'class="screen"' in page
    entry = live.entries.order_by("order").first()
    services.open_entry(actor=people["admin"], entry=entry)
    for juror, values in zip(jurors, [("20", "20", "25", "15"), ("22", "20", "25", "15"), ("18", "20", "25", "15")],
                             strict=True):
        card = Scorecard.objects.get(entry=entry, juror=juror)
        services.submit_card(actor=juror, card=card, scores=full_scores(live, values))
    html = client.get(f"/roadshows/{live.pk}/screen/panel/").content.decode()
    assert "职工书屋" in html and "已评 3 / 3" in html and 'data-testid="screen-score"' not in html
    services.close_entry(actor=people["admin"], entry=entry)
    html = client.get(f"/roadshows/{live.pk}/screen/panel/").content.decode()
    assert 'data-testid="screen-score"' in html and "80.00" in html


def test_results_page_ranks_with_averages_card_counts_and_spread(client_for, people, campaign, tree, jurors):
    projects = [shortlisted(campaign, tree["county_a"], title=f"项目{i}") for i in range(3)]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors,
                               aggregation="mean")
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    sheets = {"项目0": ("20", "20", "25", "15"), "项目1": ("20", "20", "25", "15"), "项目2": ("10", "10", "10", "10")}
    for entry in roadshow.entries.select_related("project"):
        for i, juror in enumerate(jurors[:2]):
            values = sheets[entry.project.title]
            if entry.project.title == "项目2" and i == 1:
                values = ("20", "10", "10", "10")
            card = Scorecard.objects.get(entry=entry, juror=juror)
            services.submit_card(actor=juror, card=card, scores=full_scores(roadshow, values))
    html = client_for(people["admin"]).get(f"/roadshows/{roadshow.pk}/results/").content.decode()
    assert 'data-testid="provisional"' in html
    table = html[html.index('data-testid="results-table"'):]
    rows = table.split("<tr data-entry")[1:]
    assert [r.split('fw-semibold">')[1].split("<")[0] for r in rows] == ["1", "1", "3"]
    assert "80.00" in rows[0] and "45.00" in rows[2]
    assert "15.00" in rows[2]  # 组织管理 average of 10 and 20
    assert ">10.0<" in rows[2]  # spread of the totals 40 and 50
    assert "另 1 份未提交" in rows[0]


def test_results_page_says_when_trimmed_mean_fell_back(client_for, people, jurors, scoring):
    entry = scoring.entries.first()
    card = Scorecard.objects.get(entry=entry, juror=jurors[0])
    services.submit_card(actor=jurors[0], card=card, scores=full_scores(scoring))
    html = client_for(people["admin"]).get(f"/roadshows/{scoring.pk}/results/").content.decode()
    assert 'data-testid="untrimmed-note"' in html and "按平均分" in html


def test_project_title_is_escaped_on_the_big_screen_and_console(client_for, people, jurors, campaign, tree):
    evil = shortlisted(campaign, tree["county_a"], title="<script>alert(1)</script>项目")
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=[evil], jurors=jurors, live=True)
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    services.open_entry(actor=people["admin"], entry=roadshow.entries.get())
    client = client_for(people["admin"])
    for url in ("screen", "screen/panel", "live", "results"):
        html = client.get(f"/roadshows/{roadshow.pk}/{url}/").content.decode()
        assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/roadshows/{roadshow.pk}/screen/").content.decode()
