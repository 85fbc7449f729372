"""Pages of members: sign-in, the home page per role, union and user management."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.enums import UnionLevel
from members.models import Union, User
from projects.enums import ProjectStatus
from tests.factories import (
    PASSWORD,
    AdminFactory,
    ProjectFactory,
    StaffFactory,
    UnionFactory,
)

ADMIN_PAGES = [
    ("members:union_list", None),
    ("members:union_create", None),
    ("members:union_edit", "union"),
    ("members:user_list", None),
    ("members:user_create", None),
    ("members:user_edit", "user"),
]


def _url(name, arg, tree, people):
    if arg == "union":
        return reverse(name, args=[tree["county_a"].pk])
    if arg == "user":
        return reverse(name, args=[people["staff_a"].pk])
    return reverse(name)


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,arg", ADMIN_PAGES)
def test_anonymous_is_sent_to_login_from_admin_pages(client_for, tree, people, name, arg):
    url = _url(name, arg, tree, people)
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name,arg", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["staff_a", "juror", "county_admin_a"])
def test_non_admins_get_a_chinese_403_on_admin_pages(client_for, tree, people, name, arg, role):
    response = client_for(people[role]).get(_url(name, arg, tree, people))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.parametrize("name,arg", ADMIN_PAGES)
def test_admin_opens_admin_pages(client_for, tree, people, name, arg):
    assert client_for(people["admin"]).get(_url(name, arg, tree, people)).status_code == 200


@pytest.mark.parametrize("name,arg", ADMIN_PAGES)
def test_superuser_without_union_opens_admin_pages(client_for, tree, people, name, arg):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    assert client_for(root).get(_url(name, arg, tree, people)).status_code == 200


@pytest.mark.parametrize("name", ["members:union_edit", "members:user_edit"])
def test_unknown_pk_is_404(client_for, people, name):
    assert client_for(people["admin"]).get(reverse(name, args=[999999])).status_code == 404


def test_admin_of_a_county_cannot_edit_a_sibling_county(client_for, tree):
    admin_b = AdminFactory(union=tree["county_b"])
    client = client_for(admin_b)
    assert client.get(reverse("members:union_edit", args=[tree["county_a"].pk])).status_code == 404
    assert client.get(reverse("members:union_edit", args=[tree["county_b"].pk])).status_code == 200


def test_admin_cannot_edit_a_superuser(client_for, people):
    root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    assert client_for(people["admin"]).get(reverse("members:user_edit", args=[root.pk])).status_code == 404


@pytest.mark.parametrize("role,links,absent", [
    ("admin", ["/screening/", "/unions/", "/users/", "/campaigns/"], []),
    ("county_admin_a", ["/screening/", "/campaigns/"], ["/unions/", "/users/"]),
    ("staff_a", ["/projects/", "/campaigns/"], ["/screening/", "/unions/", "/users/"]),
    ("juror", ["/projects/", "/campaigns/"], ["/screening/", "/unions/", "/users/"]),
])
def test_nav_shows_the_items_of_the_role(client_for, people, role, links, absent):
    html = client_for(people[role]).get("/").content.decode()
    for link in links:
        assert f'href="{link}"' in html
    for link in absent:
        assert f'href="{link}"' not in html


# --- sign-in --------------------------------------------------------------------------------


def test_home_sends_anonymous_to_login(client_for, db):
    response = client_for(None).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_is_chinese(client_for, db):
    html = client_for(None).get(reverse("login")).content.decode()
    assert "登录" in html and "用户名" in html


def test_bad_credentials_show_a_chinese_error(client_for, people):
    response = client_for(None).post(reverse("login"), {"username": "staff_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_good_credentials_lead_home(client_for, people):
    response = client_for(None).post(reverse("login"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_is_a_post_and_leads_to_login(client_for, people):
    client = client_for(people["staff_a"])
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_page_changes_the_password(client_for, people):
    client = client_for(people["staff_a"])
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Another-pass-2026!", "new_password2": "Another-pass-2026!",
    })
    assert response.status_code == 302
    people["staff_a"].refresh_from_db()
    assert people["staff_a"].check_password("Another-pass-2026!")


# --- home -----------------------------------------------------------------------------------


def test_home_counts_the_staff_members_projects_by_status(client_for, tree, people, campaign):
    for status in [ProjectStatus.DRAFT, ProjectStatus.DRAFT, ProjectStatus.SUBMITTED]:
        ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=status)
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.APPROVED)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.SUBMITTED)

    response = client_for(people["staff_a"]).get("/")

    card = response.context["staff_card"]
    assert {s: n for s, _label, n in card["rows"]} == {"draft": 2, "submitted": 1, "approved": 1}
    assert card["total"] == 4
    html = response.content.decode()
    assert "我的项目" in html
    assert f"/projects/new/?campaign={campaign.pk}" in html
    assert "待审项目" not in html


def test_home_offers_no_filing_when_no_campaign_is_open(client_for, people, campaign):
    campaign.filing_deadline = campaign.filing_opens
    campaign.save()
    html = client_for(people["staff_a"]).get("/").content.decode()
    assert "/projects/new/" not in html
    assert "目前没有正在申报的年度项目" in html


def test_home_shows_the_admins_pending_projects(client_for, tree, people, campaign):
    ProjectFactory.create_batch(2, campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.SUBMITTED)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.APPROVED)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.DRAFT)

    response = client_for(people["admin"]).get("/")

    card = response.context["admin_card"]
    assert card["pending"] == 2
    assert card["total"] == 3  # drafts are private to their union
    assert "staff_card" not in response.context


def test_home_shows_the_county_admins_queue(client_for, tree, people, campaign):
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    ProjectFactory(campaign=campaign, applicant_union=tree["county_b"], status=ProjectStatus.SUBMITTED)

    response = client_for(people["county_admin_a"]).get("/")

    assert response.context["county_card"]["queue"] == 1
    assert response.context["county_card"]["total"] == 1


def test_home_of_a_juror_has_the_review_placeholder(client_for, people):
    html = client_for(people["juror"]).get("/").content.decode()
    assert "评审任务" in html
    assert "我的项目" not in html


def test_home_shows_one_card_per_role(client_for, tree, campaign):
    both = StaffFactory(union=tree["county_a"], is_county_admin_role=True, is_juror_role=True)
    html = client_for(both).get("/").content.decode()
    assert 'data-testid="card-staff"' in html
    assert 'data-testid="card-county"' in html
    assert 'data-testid="card-juror"' in html


def test_home_costs_the_same_queries_for_1_and_30_projects(client_for, tree, people, campaign):
    client = client_for(people["staff_a"])
    ProjectFactory(campaign=campaign, applicant_union=tree["county_a"])
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    ProjectFactory.create_batch(29, campaign=campaign, applicant_union=tree["county_a"],
                                status=ProjectStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as thirty:
        client.get("/")
    assert len(one) == len(thirty)


# --- unions ---------------------------------------------------------------------------------


def test_admin_creates_a_union_through_the_page(client_for, tree, people):
    client = client_for(people["admin"])
    response = client.post(reverse("members:union_create"), {
        "name": "江阴市南闸街道总工会", "short_name": "南闸", "level": UnionLevel.TOWN, "parent": tree["county_a"].pk,
    }, follow=True)
    union = Union.objects.get(name="江阴市南闸街道总工会")
    assert union.parent == tree["county_a"]
    assert union.is_within(tree["city"])
    assert union.history.first().history_user == people["admin"]
    assert "已保存工会" in response.content.decode()


def test_union_without_a_parent_is_refused_for_an_admin(client_for, people):
    response = client_for(people["admin"]).post(reverse("members:union_create"), {
        "name": "另一个市总工会", "level": UnionLevel.MUNICIPAL,
    })
    assert response.status_code == 200
    assert not Union.objects.filter(name="另一个市总工会").exists()
    assert "保存失败" in response.content.decode()


def test_union_with_a_taken_name_is_a_form_error(client_for, tree, people):
    response = client_for(people["admin"]).post(reverse("members:union_create"), {
        "name": tree["county_a"].name, "level": UnionLevel.COUNTY, "parent": tree["city"].pk,
    })
    assert response.status_code == 200
    assert "已有同名的工会" in response.content.decode()


def test_parent_outside_the_admins_tree_is_not_offered(client_for, tree):
    admin_b = AdminFactory(union=tree["county_b"])
    response = client_for(admin_b).post(reverse("members:union_create"), {
        "name": "新工会", "level": UnionLevel.GRASSROOTS, "parent": tree["county_a"].pk,
    })
    assert response.status_code == 200
    assert not Union.objects.filter(name="新工会").exists()


def test_admin_moves_a_union_and_its_subtree_follows(client_for, tree, people):
    response = client_for(people["admin"]).post(reverse("members:union_edit", args=[tree["town_a1"].pk]), {
        "name": tree["town_a1"].name, "short_name": "澄江", "level": UnionLevel.TOWN, "parent": tree["county_b"].pk,
    })
    assert response.status_code == 302
    tree["town_a1"].refresh_from_db()
    assert tree["town_a1"].is_within(tree["county_b"])


def test_union_cannot_become_its_own_descendants_child(client_for, tree, people):
    # The union's own subtree is not offered as a parent.
    response = client_for(people["admin"]).post(reverse("members:union_edit", args=[tree["county_a"].pk]), {
        "name": tree["county_a"].name, "level": UnionLevel.COUNTY, "parent": tree["town_a1"].pk,
    })
    assert response.status_code == 200
    tree["county_a"].refresh_from_db()
    assert tree["county_a"].parent == tree["city"]


def test_union_tree_shows_children_below_their_parents(client_for, tree, people):
    grassroots = UnionFactory(name="澄江某企业工会", level=UnionLevel.GRASSROOTS, parent=tree["town_a1"])
    response = client_for(people["admin"]).get(reverse("members:union_list"))
    rows = [(u.name, u.indent) for u in response.context["page"]]
    assert rows.index((tree["city"].name, 0)) < rows.index((tree["county_a"].name, 1))
    assert rows.index((tree["county_a"].name, 1)) < rows.index((tree["town_a1"].name, 2))
    assert rows.index((tree["town_a1"].name, 2)) < rows.index((grassroots.name, 3))
    html = response.content.decode()
    assert "union-depth-3" in html
    assert "style=" not in html


def test_union_search_finds_by_name(client_for, tree, people):
    response = client_for(people["admin"]).get(reverse("members:union_list"), {"q": "澄江"})
    assert [u.name for u in response.context["page"]] == [tree["town_a1"].name]


def test_union_search_without_match_shows_the_empty_state(client_for, tree, people):
    html = client_for(people["admin"]).get(reverse("members:union_list"), {"q": "不存在的"}).content.decode()
    assert "没有找到符合条件的工会" in html


def test_script_in_a_union_name_is_shown_escaped(client_for, tree, people):
    UnionFactory(name="<script>alert('x')</script>工会", parent=tree["city"])
    html = client_for(people["admin"]).get(reverse("members:union_list")).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


def test_union_list_queries_do_not_grow_with_rows(client_for, tree, people):
    admin = AdminFactory(union=UnionFactory(name="锡山区总工会", level=UnionLevel.COUNTY, parent=tree["city"]))
    client = client_for(admin)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("members:union_list")).status_code == 200
    for i in range(29):
        UnionFactory(name=f"锡山基层工会{i}", parent=admin.union)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("members:union_list"))
    assert len(response.context["page"]) == 30
    assert len(one) == len(thirty)


# --- users ----------------------------------------------------------------------------------


def test_admin_creates_a_user_through_the_page(client_for, tree, people):
    response = client_for(people["admin"]).post(reverse("members:user_create"), {
        "username": "jiangyin_staff", "name": "张三", "phone": "13800000000", "union": tree["county_a"].pk,
        "roles": ["staff", "county_admin"], "password": "Strong-pass-2026!", "is_active": "on",
    }, follow=True)
    user = User.objects.get(username="jiangyin_staff")
    assert set(user.roles) == {"staff", "county_admin"}
    assert user.union == tree["county_a"]
    assert user.check_password("Strong-pass-2026!")
    assert "已保存用户" in response.content.decode()


def test_admin_creates_a_juror_without_union_and_finds_it_in_the_list(client_for, people):
    client = client_for(people["admin"])
    client.post(reverse("members:user_create"), {
        "username": "expert1", "name": "李专家", "roles": ["juror"], "juror_kind": "expert",
        "password": "Strong-pass-2026!", "is_active": "on",
    })
    juror = User.objects.get(username="expert1")
    assert juror.juror_kind == "expert"
    response = client.get(reverse("members:user_list"), {"q": "李专家"})
    assert [u.username for u in response.context["page"]] == ["expert1"]


def test_staff_without_union_is_a_chinese_form_error(client_for, people):
    response = client_for(people["admin"]).post(reverse("members:user_create"), {
        "username": "nounion", "roles": ["staff"], "password": "Strong-pass-2026!",
    })
    assert response.status_code == 200
    assert "必须属于一个工会" in response.content.decode()
    assert not User.objects.filter(username="nounion").exists()


def test_weak_password_and_taken_username_are_form_errors(client_for, people):
    client = client_for(people["admin"])
    response = client.post(reverse("members:user_create"), {"username": "staff_a", "password": "Strong-pass-2026!"})
    assert "该用户名已被使用" in response.content.decode()
    response = client.post(reverse("members:user_create"), {"username": "new1", "password": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(username="new1").exists()


def test_admin_edits_a_user_and_the_record_shows_it(client_for, tree, people):
    client = client_for(people["admin"])
    target = people["staff_a"]
    response = client.post(reverse("members:user_edit", args=[target.pk]), {
        "name": "王五", "union": tree["town_a1"].pk, "roles": ["staff"], "is_active": "on",
    })
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.name == "王五" and target.union == tree["town_a1"]
    assert target.check_password(PASSWORD)  # an empty password field keeps the password

    html = client.get(reverse("members:user_edit", args=[target.pk])).content.decode()
    assert "变更记录" in html
    assert "王五" in html
    assert tree["town_a1"].name in html


def test_user_list_filters_by_role_union_and_search(client_for, tree, people):
    client = client_for(people["admin"])
    by_role = client.get(reverse("members:user_list"), {"role": "county_admin"}).context["page"]
    assert {u.username for u in by_role} == {"cadmin_a", "cadmin_b"}
    by_union = client.get(reverse("members:user_list"), {"union": tree["county_a"].pk}).context["page"]
    assert {u.username for u in by_union} == {"staff_a", "staff_a1", "cadmin_a"}
    by_name = client.get(reverse("members:user_list"), {"q": "staff_a1"}).context["page"]
    assert [u.username for u in by_name] == ["staff_a1"]


def test_user_list_ignores_a_bad_filter_value(client_for, people):
    response = client_for(people["admin"]).get(reverse("members:user_list"), {"union": "abc", "page": "x"})
    assert response.status_code == 200


def test_user_list_queries_do_not_grow_with_rows(client_for, tree):
    union = UnionFactory(name="滨湖区总工会", level=UnionLevel.COUNTY, parent=tree["city"])
    admin = AdminFactory(union=union)
    client = client_for(admin)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("members:user_list"))
    StaffFactory.create_batch(29, union=union)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(reverse("members:user_list"))
    assert response.context["page"].paginator.count >= 30
    assert len(one) == len(thirty)


# --- error pages ----------------------------------------------------------------------------


def test_unknown_url_shows_the_chinese_404_page(client_for, people, settings):
    settings.DEBUG = False
    response = client_for(people["staff_a"]).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "服务器出错了" in html
