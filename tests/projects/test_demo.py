"""``manage.py load_demo``: the Wuxi demo loads, names what the seeds name, moves every project
through the workflow services (a consistent timeline) and can be run again without duplicates."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from members.enums import JurorKind, UnionLevel
from members.models import Union, User
from projects import demo, services
from projects.enums import ProjectStatus
from projects.models import Campaign, Project, ProjectEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load(**options):
    out = StringIO()
    # pytest-django runs tests with DEBUG=False, which the command treats as production.
    call_command("load_demo", force=True, stdout=out, **options)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in (Union, User, Campaign, Project, ProjectEvent)}


def project(title, year=None):
    queryset = Project.objects.select_related("applicant_union", "campaign").filter(title=title)
    return queryset.get(campaign__year=year) if year else queryset.get()


def test_the_union_tree_of_wuxi_is_loaded():
    load()
    city = Union.objects.get(name="无锡市总工会")
    assert city.level == UnionLevel.MUNICIPAL and city.parent is None
    counties = {"江阴市总工会", "宜兴市总工会", "梁溪区总工会", "锡山区总工会", "惠山区总工会", "滨湖区总工会",
                "新吴区总工会", "经开区总工会"}
    assert set(city.children.filter(level=UnionLevel.COUNTY).values_list("name", flat=True)) == counties
    direct = {"中国电子科技集团公司第五十八研究所工会", "中国电信无锡分公司工会", "无锡市公安局工会"}
    assert set(city.children.filter(level=UnionLevel.DIRECT).values_list("name", flat=True)) == direct
    luoshe = Union.objects.get(name="惠山区洛社镇总工会")
    assert luoshe.level == UnionLevel.TOWN and luoshe.parent.name == "惠山区总工会"
    assert Union.objects.get(name="江阴市澄江街道总工会").parent.name == "江阴市总工会"
    dupont = Union.objects.get(name="杜邦兴达（无锡）单丝有限公司工会")
    assert dupont.level == UnionLevel.GRASSROOTS and dupont.is_within(luoshe) and dupont.is_within(city)


def test_there_is_a_user_of_every_role_and_no_superuser():
    output = load()
    admin = User.objects.get(username="admin")
    assert admin.roles == ["admin"] and admin.union.name == "无锡市总工会"
    assert {u.union.name for u in User.objects.filter(is_county_admin_role=True)} >= {"江阴市总工会", "惠山区总工会"}
    staff_unions = set(User.objects.filter(is_staff_role=True).values_list("union__level", flat=True))
    assert {UnionLevel.COUNTY, UnionLevel.DIRECT, UnionLevel.TOWN, UnionLevel.GRASSROOTS} <= staff_unions
    jurors = User.objects.filter(is_juror_role=True)
    assert 6 <= jurors.count() <= 20
    assert set(jurors.values_list("juror_kind", flat=True)) == set(JurorKind.values)
    assert not User.objects.filter(is_superuser=True).exists()
    # The printed table is true: every user listed, each with the password that works.
    for user in User.objects.all():
        assert user.username in output
    assert demo.DEMO_PASSWORD in output and "http://127.0.0.1:8000/" in output
    assert admin.check_password(demo.DEMO_PASSWORD)
    assert User.objects.get(username="juror12").check_password(demo.DEMO_PASSWORD)


def test_the_2019_programme_has_the_nine_seed_projects_among_sixteen_shortlisted():
    load()
    campaign = Campaign.objects.get(year=2019)
    assert campaign.budget == Decimal("1000000.00")
    assert campaign.owner_union.name == "无锡市总工会"
    assert campaign.filing_opens.year == campaign.filing_deadline.year == 2019
    expected_union = {
        "“江阴职工之家”微信公众号网上入会工作": "江阴市总工会",
        "建立宜兴市职工（劳模）疗休养基地": "宜兴市总工会",
        "构建职工心理服务体系 助力梁溪心理行业健康发展": "梁溪区总工会",
        "锡山“两站”同建职工法律援助又添新阵地": "锡山区总工会",
        "惠山“关爱·圆梦”工程之“双走进”项目": "惠山区总工会",
        "滨湖“工匠小家”助推企业高质量发展": "滨湖区总工会",
        "新吴实施“三化”工程，推进工资集体协商全覆盖": "新吴区总工会",
        "58所工会以“攻关”形式开展劳动竞赛": "中国电子科技集团公司第五十八研究所工会",
        "电信公司工会“手机（网上）工会服务平台”": "中国电信无锡分公司工会",
    }
    for title, union in expected_union.items():
        p = project(title, 2019)
        assert p.applicant_union.name == union
        assert p.status == ProjectStatus.SHORTLISTED
        assert p.category in campaign.categories and p.summary and p.objectives and p.plan
    shortlisted = campaign.projects.filter(status=ProjectStatus.SHORTLISTED)
    assert shortlisted.count() == 16
    # The seed: the 16 came from 7 county unions, 58所 and 电信公司.
    levels = shortlisted.values_list("applicant_union__level", flat=True)
    assert set(levels) == {UnionLevel.COUNTY, UnionLevel.DIRECT}
    assert shortlisted.filter(applicant_union__level=UnionLevel.COUNTY).values("applicant_union").distinct().count() == 7
    others = set(campaign.projects.exclude(status=ProjectStatus.SHORTLISTED).values_list("status", flat=True))
    assert campaign.projects.exclude(status=ProjectStatus.SHORTLISTED).count() == 7
    assert {"draft", "returned", "submitted", "approved", "rejected"} <= others


def test_the_2020_programme_has_the_roadshow_projects_of_seeds_000():
    load()
    assert project("建设职工众创之家", 2020).applicant_union.name == "江阴市总工会"
    assert project("民警健康工程：健康风险人员分类管理和跟踪干预", 2020).applicant_union.name == "无锡市公安局工会"
    assert project("幸福工程3.0", 2020).applicant_union.short_name == "中科芯58所"
    for title in demo.SEED_2020_TITLES:
        assert project(title, 2020).status == ProjectStatus.SHORTLISTED
    statuses = set(Campaign.objects.get(year=2020).projects.values_list("status", flat=True))
    assert {"shortlisted", "approved", "returned", "submitted", "rejected"} <= statuses
    # A town's project went through its county's recommendation.
    recommended = project("“车间课堂”进百企", 2020)
    assert recommended.recommended_by.name == "惠山区总工会"
    assert list(recommended.events.values_list("action", flat=True)) == ["create", "submit", "recommend", "approve"]


def test_this_years_programme_is_open_and_a_newcomer_can_file_and_submit():
    load()
    today = timezone.localdate()
    campaign = Campaign.objects.get(year=today.year)
    assert campaign.filing_is_open(today)
    staff = User.objects.get(username="jiangyin")
    filed = services.create_project(actor=staff, campaign=campaign, title="新就业形态劳动者入会集中行动",
                                    category="工会自身建设", summary="快递员、外卖骑手集中入会。")
    assert services.submit_project(actor=staff, project=filed).status == ProjectStatus.SUBMITTED
    # Something is waiting for each kind of screener.
    assert campaign.projects.filter(status=ProjectStatus.SUBMITTED).exists()
    assert campaign.projects.filter(status=ProjectStatus.RECOMMENDED).exists()


def test_every_project_has_a_timeline_that_ends_at_its_status():
    load()
    events_by_project = {}
    for event in ProjectEvent.objects.select_related("actor").order_by("at", "id"):
        events_by_project.setdefault(event.project_id, []).append(event)
    for p in Project.objects.select_related("applicant_union", "campaign"):
        events = events_by_project[p.pk]
        for before, after in zip(events, events[1:]):
            assert after.from_status == before.to_status, p.title
        assert events[-1].to_status == p.status, p.title
        if events[0].action == "import":  # the past years (2014–2018), imported by the admin
            assert p.campaign.year < 2019 and all(e.reason == "历史数据导入" and e.actor.is_admin_role for e in events)
            continue
        assert (events[0].action, events[0].from_status, events[0].to_status) == ("create", "", "draft")
        for event in events:
            if event.action in ("create", "submit"):
                assert event.actor.union_id == p.applicant_union_id and event.actor.is_staff_role
            elif event.action in ("approve", "reject", "shortlist"):
                assert event.actor.is_admin_role
            if event.action in ("return", "reject"):
                assert event.reason
        if p.status != ProjectStatus.DRAFT:
            assert p.submitted_at is not None


def test_loading_twice_duplicates_nothing():
    first_output = load()
    before = counts()
    second_output = load()
    assert counts() == before
    assert "本次新建 0 个项目" in second_output and "本次新建 0 个项目" not in first_output


def test_reset_loads_the_programmes_afresh():
    load()
    before = counts()
    old = Project.objects.filter(campaign__year=2019).first()
    services.update_project(actor=User.objects.get(username="jingkai"),
                            project=Project.objects.get(title="新就业形态劳动者服务驿站"), summary="改过的简介")
    load(reset=True)
    assert counts() == before
    assert not Project.objects.filter(pk=old.pk).exists()
    assert Project.objects.get(title="新就业形态劳动者服务驿站").summary != "改过的简介"


def test_in_production_settings_the_command_needs_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert not Union.objects.exists()


def test_a_superuser_with_a_demo_username_is_left_alone():
    UserFactory(username="admin", is_superuser=True, is_staff=True, password=PASSWORD)
    with pytest.raises(CommandError, match="超级用户"):
        load()
    assert User.objects.get(username="admin").check_password(PASSWORD)


def test_the_demo_has_past_years_for_the_dashboards():
    from projects.models import HistoricAward, ReplicationPlan

    load()
    years = set(Campaign.objects.values_list("year", flat=True))
    assert {2014, 2015, 2016, 2017, 2018} <= years
    past = Project.objects.filter(campaign__year__lte=2018)
    assert past.filter(status=ProjectStatus.CLOSED).count() >= 40
    assert HistoricAward.objects.count() >= 10
    assert set(ReplicationPlan.objects.values_list("year", flat=True)) == {2016, 2017, 2018}
    before = counts()
    load()
    assert counts() == before


def test_the_demo_prints_the_port_it_is_served_on(monkeypatch):
    monkeypatch.setenv("PORT", "8080")
    assert "http://127.0.0.1:8080/" in load()
    monkeypatch.delenv("PORT")
    assert "http://127.0.0.1:8000/" in load(reset=True)
