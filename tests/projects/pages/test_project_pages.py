"""The project pages: list, filing form, project page, actions and attachments."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.enums import ProjectStatus
from projects.models import Attachment, Project, ProjectEvent
from tests.factories import CampaignFactory

from .helpers import EXE_BYTES, PDF_BYTES, as_user, count_queries, messages_of, project_of

VIEWERS = ["staff_a1", "staff_a", "staff_b", "county_admin_a", "county_admin_b", "juror", "admin", None]


def login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def viewer(people, key):
    return people[key] if key else None


# --- the permission matrix ------------------------------------------------------------------
# A project of 澄江 (town_a1, below 江阴 county_a). "staff_a1" is its own union's staff, "staff_a"
# the staff of the union above, "staff_b" a sibling county's staff, "county_admin_b" another
# county's admin.

DRAFT_MATRIX = {
    #                 in list, detail, edit
    "staff_a1": (True, 200, 200),
    "staff_a": (True, 200, 403),
    "staff_b": (False, 404, 404),
    "county_admin_a": (True, 200, 403),
    "county_admin_b": (False, 404, 404),
    "juror": (False, 404, 404),
    "admin": (False, 404, 404),  # a draft stays private to its union until it is submitted
}


@pytest.mark.parametrize("who", VIEWERS)
def test_draft_project_pages_follow_the_permission_matrix(client, people, tree, campaign, who):
    project = project_of(tree["town_a1"], campaign, title="澄江职工书屋")
    as_user(client, viewer(people, who))
    urls = [reverse("projects:list"), reverse("projects:detail", args=[project.pk]),
            reverse("projects:edit", args=[project.pk])]
    responses = [client.get(url) for url in urls]
    if who is None:
        assert all(login_redirect(r) for r in responses)
        return
    in_list, detail, edit = DRAFT_MATRIX[who]
    assert responses[0].status_code == 200
    assert (project in responses[0].context["page"].object_list) is in_list
    assert responses[1].status_code == detail
    assert responses[2].status_code == edit


SUBMITTED_MATRIX = {
    #                 in list, detail, approve → status code, project approved?
    "staff_a1": (True, 200, 403),
    "staff_a": (True, 200, 403),
    "staff_b": (False, 404, 404),
    "county_admin_a": (True, 200, 403),
    "county_admin_b": (False, 404, 404),
    "juror": (False, 404, 404),
    "admin": (True, 200, 302),
}


@pytest.mark.parametrize("who", VIEWERS)
def test_submitted_project_pages_and_approve_follow_the_permission_matrix(client, people, tree, campaign, who):
    project = project_of(tree["town_a1"], campaign, status=ProjectStatus.SUBMITTED)
    as_user(client, viewer(people, who))
    listed = client.get(reverse("projects:list"))
    detail = client.get(reverse("projects:detail", args=[project.pk]))
    action = client.post(reverse("projects:action", args=[project.pk, "approve"]))
    project.refresh_from_db()
    if who is None:
        assert login_redirect(listed) and login_redirect(detail) and login_redirect(action)
        assert project.status == ProjectStatus.SUBMITTED
        return
    in_list, detail_code, action_code = SUBMITTED_MATRIX[who]
    assert (project in listed.context["page"].object_list) is in_list
    assert detail.status_code == detail_code
    assert action.status_code == action_code
    expected = ProjectStatus.APPROVED if action_code == 302 else ProjectStatus.SUBMITTED
    assert project.status == expected


def test_project_page_shows_only_the_actions_the_viewer_may_take_now(client, people, tree, campaign):
    project = project_of(tree["town_a1"], campaign, status=ProjectStatus.SUBMITTED)
    url = reverse("projects:detail", args=[project.pk])

    client.force_login(people["admin"])
    actions = {b for b in ("approve", "return", "reject", "shortlist", "submit", "recommend")
               if f'data-action="{b}"' in client.get(url).content.decode()}
    assert actions == {"approve", "return", "reject"}

    client.force_login(people["staff_a1"])
    page = client.get(url).content.decode()
    assert "data-action=" not in page
    assert reverse("projects:edit", args=[project.pk]) not in page


def test_draft_page_offers_submit_with_confirmation_edit_and_upload_to_its_staff(client, people, tree, campaign):
    project = project_of(tree["town_a1"], campaign)
    client.force_login(people["staff_a1"])
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-action="submit"' in page
    assert 'data-confirm="确认提交申报？提交后不能修改。"' in page
    assert reverse("projects:edit", args=[project.pk]) in page
    assert reverse("projects:attachment-upload", args=[project.pk]) in page


# --- filing ---------------------------------------------------------------------------------


def filing_data(**overrides):
    data = {
        "title": "职工创新工作室",
        "category": "劳动技能竞赛",
        "summary": "组织技能比武，带动职工创新。",
        "objectives": "培养技能人才",
        "plan": "一季度启动，四季度总结",
        "expected_outcomes": "形成可复制经验",
        "budget_requested": "50000.50",
        "contact_name": "张三",
        "contact_phone": "13800000000",
    }
    data.update(overrides)
    return data


def test_filing_form_offers_the_campaigns_categories_and_two_buttons(client, people, campaign):
    client.force_login(people["staff_a"])
    response = client.get(reverse("projects:create") + f"?campaign={campaign.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    for category in campaign.categories:
        assert f'value="{category}"' in page
    assert 'value="draft"' in page and "保存草稿" in page
    assert 'data-confirm="确认提交申报？提交后不能修改。"' in page


def test_saving_a_draft_creates_the_project_for_the_staffs_union(client, people, campaign):
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           filing_data(intent="draft"))
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("projects:detail", args=[project.pk])
    assert project.status == ProjectStatus.DRAFT
    assert project.applicant_union == people["staff_a"].union
    assert project.budget_requested == Decimal("50000.50")
    assert project.contact_name == "张三"
    assert "草稿已保存。" in messages_of(response)


def test_filing_with_a_category_outside_the_campaign_is_a_form_error(client, people, campaign):
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           filing_data(category="不存在的领域", intent="draft"))
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert not Project.objects.exists()


def test_filing_for_a_campaign_that_does_not_exist_is_404(client, people, campaign):
    client.force_login(people["staff_a"])
    assert client.get(reverse("projects:create") + "?campaign=999999").status_code == 404
    assert client.get(reverse("projects:create") + "?campaign=abc").status_code == 404
    assert client.get(reverse("projects:create")).status_code == 404


@pytest.mark.parametrize("who", ["admin", "county_admin_a", "juror"])
def test_filing_by_someone_who_is_not_staff_is_403(client, people, campaign, who):
    client.force_login(people[who])
    url = reverse("projects:create") + f"?campaign={campaign.pk}"
    assert client.get(url).status_code == 403
    assert client.post(url, filing_data(intent="draft")).status_code == 403
    assert not Project.objects.exists()


def test_filing_outside_the_window_saves_the_draft_and_says_why_it_was_not_submitted(client, people, tree):
    today = timezone.localdate()
    closed = CampaignFactory(owner_union=tree["city"], filing_opens=today - datetime.timedelta(days=60),
                             filing_deadline=today - datetime.timedelta(days=1))
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={closed.pk}", filing_data(intent="submit"),
                           follow=True)
    project = Project.objects.get()
    assert project.status == ProjectStatus.DRAFT
    assert response.status_code == 200
    assert any("不在申报时间内" in m for m in (str(m) for m in response.context["messages"]))
    assert "不在申报时间内" in response.content.decode()


def test_editing_a_submitted_project_is_refused_with_a_message(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED, title="原标题")
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:edit", args=[project.pk]), filing_data(intent="draft"))
    assert response.status_code == 302
    assert any("不能修改" in m for m in messages_of(response))
    project.refresh_from_db()
    assert project.title == "原标题"


def test_script_and_chinese_in_fields_are_stored_as_typed_and_shown_escaped(client, people, campaign):
    client.force_login(people["staff_a"])
    title = "<script>alert(1)</script>职工书屋"
    summary = "简介<script>alert(1)</script>\n第二行“引号”&"
    client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                filing_data(title=title, summary=summary, intent="draft"))
    project = Project.objects.get()
    assert project.title == title and project.summary == summary
    for url in (reverse("projects:detail", args=[project.pk]), reverse("projects:list"),
                reverse("projects:edit", args=[project.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;职工书屋" in page, url


# --- the workflow through the pages ---------------------------------------------------------


def test_file_return_resubmit_approve_shortlist_through_the_pages(client, people, campaign):
    staff, admin = people["staff_a"], people["admin"]
    client.force_login(staff)
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}", filing_data(intent="submit"))
    project = Project.objects.get()
    assert project.status == ProjectStatus.SUBMITTED
    assert any("已提交申报" in m for m in messages_of(response))

    client.force_login(admin)
    action = lambda name, **data: client.post(  # noqa: E731
        reverse("projects:action", args=[project.pk, name]), data)
    response = action("return", reason="")
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert any("理由" in m for m in messages_of(response))

    response = action("return", reason="请补充<b>预算明细</b>")
    project.refresh_from_db()
    assert project.status == ProjectStatus.RETURNED
    assert any("已退回修改" in m for m in messages_of(response))

    client.force_login(staff)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "请补充&lt;b&gt;预算明细&lt;/b&gt;" in page
    response = client.post(reverse("projects:edit", args=[project.pk]),
                           filing_data(budget_requested="42000.00", intent="submit"))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED
    assert project.budget_requested == Decimal("42000.00")

    client.force_login(admin)
    action("approve")
    response = action("shortlist")
    project.refresh_from_db()
    assert project.status == ProjectStatus.SHORTLISTED
    assert any("已入围" in m for m in messages_of(response))

    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    for label in ("创建草稿", "提交申报", "退回修改", "立项", "入围"):
        assert label in page
    assert [e.to_status for e in project.events.all()] == [
        "draft", "submitted", "returned", "submitted", "approved", "shortlisted"]


def test_an_illegal_action_is_a_message_not_an_error(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.APPROVED)
    client.force_login(people["admin"])
    response = client.post(reverse("projects:action", args=[project.pk, "approve"]), follow=True)
    assert response.status_code == 200
    assert any("不能执行" in str(m) for m in response.context["messages"])
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED


def test_an_unknown_action_is_404_and_get_is_not_allowed(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["admin"])
    assert client.post(reverse("projects:action", args=[project.pk, "explode"])).status_code == 404
    assert client.get(reverse("projects:action", args=[project.pk, "approve"])).status_code == 405


def test_reject_without_a_reason_leaves_the_status(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["admin"])
    response = client.post(reverse("projects:action", args=[project.pk, "reject"]), {"reason": "   "})
    assert any("理由" in m for m in messages_of(response))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED


def test_action_redirects_to_a_local_next_only(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["admin"])
    url = reverse("projects:action", args=[project.pk, "approve"])
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == reverse(
        "projects:detail", args=[project.pk])
    project2 = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    url = reverse("projects:action", args=[project2.pk, "approve"])
    assert client.post(url, {"next": "/screening/?tab=queue"})["Location"] == "/screening/?tab=queue"


def test_timeline_shows_who_when_in_shanghai_time_and_the_reason(client, people, tree, campaign):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.RETURNED)
    ProjectEvent.objects.create(project=project, actor=people["admin"], action="return", from_status="submitted",
                                to_status="returned", reason="材料不全",
                                at=datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.timezone.utc))
    client.force_login(people["staff_a"])
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "2026-03-02 00:30" in page  # UTC+8
    assert people["admin"].display_name in page
    assert "已申报 → 退回修改" in page
    assert "材料不全" in page


# --- list -----------------------------------------------------------------------------------


def test_list_filters_and_search(client, people, tree, campaign):
    a = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED, title="职工书屋", category="职工帮扶服务")
    b = project_of(tree["town_a1"], campaign, status=ProjectStatus.DRAFT, title="技能比武", category="劳动技能竞赛",
                   summary="澄江街道的比武活动")
    other = CampaignFactory(owner_union=tree["city"])
    c = project_of(tree["county_a"], other, status=ProjectStatus.SUBMITTED, title="另一年度")
    client.force_login(people["staff_a"])

    def listed(**params):
        response = client.get(reverse("projects:list"), params)
        assert response.status_code == 200
        return set(response.context["page"].object_list)

    assert listed(scope="") == {a, b, c}
    assert listed(campaign=campaign.pk) == {a, b}
    assert listed(status="draft") == {b}
    assert listed(union=tree["town_a1"].pk) == {b}
    assert listed(category="劳动技能竞赛") == {b}
    assert listed(q="比武") == {b}
    assert listed(q="澄江街道") == {b}


@pytest.mark.parametrize("params", [
    {"campaign": "abc"}, {"campaign": "999999"}, {"status": "nonsense"}, {"union": "-1"},
    {"category": "<script>"}, {"page": "abc"}, {"page": "99999"}, {"page": "-3"}, {"q": "x" * 500},
])
def test_bad_filter_values_never_break_the_list(client, people, tree, campaign, params):
    project = project_of(tree["county_a"], campaign)
    client.force_login(people["staff_a"])
    response = client.get(reverse("projects:list"), params)
    assert response.status_code == 200
    if set(params) == {"page"}:
        assert list(response.context["page"].object_list) == [project]


def test_list_paginates_25_a_page(client, people, tree, campaign):
    for _ in range(30):
        project_of(tree["county_a"], campaign)
    client.force_login(people["staff_a"])
    first = client.get(reverse("projects:list"))
    second = client.get(reverse("projects:list"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_list_shows_status_badges(client, people, tree, campaign):
    project_of(tree["county_a"], campaign, status=ProjectStatus.APPROVED)
    client.force_login(people["staff_a"])
    page = client.get(reverse("projects:list")).content.decode()
    assert 'data-status="approved"' in page and "已立项" in page


def test_empty_list_invites_staff_to_file_for_an_open_campaign(client, people, campaign):
    client.force_login(people["staff_a"])
    page = client.get(reverse("projects:list")).content.decode()
    assert 'data-testid="empty-state"' in page
    assert f"{reverse('projects:create')}?campaign={campaign.pk}" in page

    client.force_login(people["juror"])
    page = client.get(reverse("projects:list")).content.decode()
    assert 'data-testid="empty-state"' in page
    assert reverse("projects:create") not in page


def test_list_answers_htmx_with_the_results_only(client, people, tree, campaign):
    project_of(tree["county_a"], campaign, title="局部刷新")
    client.force_login(people["staff_a"])
    response = client.get(reverse("projects:list"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "局部刷新" in page and "<html" not in page


@pytest.mark.parametrize("who", ["staff_a", "admin"])
def test_list_query_count_is_the_same_for_1_and_30_projects(client, people, tree, campaign, who):
    client.force_login(people[who])
    project_of(tree["town_a1"], campaign, status=ProjectStatus.SUBMITTED)
    url = reverse("projects:list")
    one = count_queries(client, url)
    for i in range(29):
        union = tree["town_a1"] if i % 2 else tree["county_a"]
        project_of(union, campaign, status=ProjectStatus.SUBMITTED)
    assert count_queries(client, url) == one
    assert count_queries(client, url + f"?campaign={campaign.pk}&status=submitted") == count_queries(
        client, url + f"?campaign={campaign.pk}&status=submitted")


# --- attachments ----------------------------------------------------------------------------


def upload(client, project, name, content):
    return client.post(reverse("projects:attachment-upload", args=[project.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_uploading_a_pdf_lists_it_with_its_size_and_a_download_link(client, people, tree, campaign, media):
    project = project_of(tree["county_a"], campaign)
    client.force_login(people["staff_a"])
    response = upload(client, project, "申报书.pdf", PDF_BYTES)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "申报书.pdf" and attachment.size == len(PDF_BYTES)
    assert any("已上传" in m for m in messages_of(response))
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "申报书.pdf" in page
    assert reverse("projects:attachment-download", args=[attachment.pk]) in page
    assert f"{len(PDF_BYTES)}" in page  # filesizeformat of a small file is "N 字节"


@pytest.mark.parametrize("name, content, says", [
    ("病毒.pdf", EXE_BYTES, "内容与扩展名不符"),
    ("程序.exe", EXE_BYTES, "不支持的文件类型"),
    ("空.pdf", b"", "空文件"),
])
def test_a_bad_upload_is_refused_with_the_services_message(client, people, tree, campaign, media, name, content,
                                                            says):
    project = project_of(tree["county_a"], campaign)
    client.force_login(people["staff_a"])
    response = upload(client, project, name, content)
    assert response.status_code == 302
    assert any(says in m for m in messages_of(response))
    assert not Attachment.objects.exists()


def test_an_over_size_upload_is_refused(client, people, tree, campaign, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    project = project_of(tree["county_a"], campaign)
    client.force_login(people["staff_a"])
    response = upload(client, project, "大文件.pdf", PDF_BYTES + b"0" * 200)
    assert any("超过大小上限" in m for m in messages_of(response))
    assert not Attachment.objects.exists()


def test_upload_without_a_file_is_a_message(client, people, tree, campaign, media):
    project = project_of(tree["county_a"], campaign)
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:attachment-upload", args=[project.pk]), {})
    assert any("请选择" in m for m in messages_of(response))


@pytest.mark.parametrize("who, code", [("staff_b", 404), ("county_admin_a", 403), ("admin", 404)])
def test_upload_by_someone_else_is_refused(client, people, tree, campaign, media, who, code):
    project = project_of(tree["county_a"], campaign)
    client.force_login(people[who])
    assert upload(client, project, "a.pdf", PDF_BYTES).status_code == code
    assert not Attachment.objects.exists()


def test_upload_to_a_submitted_project_is_a_message(client, people, tree, campaign, media):
    project = project_of(tree["county_a"], campaign, status=ProjectStatus.SUBMITTED)
    client.force_login(people["staff_a"])
    response = upload(client, project, "a.pdf", PDF_BYTES)
    assert any("已提交" in m for m in messages_of(response))


def test_download_is_an_attachment_with_an_encoded_chinese_name(client, people, tree, campaign, media):
    project = project_of(tree["county_a"], campaign)
    attachment = services.add_attachment(actor=people["staff_a"], project=project,
                                         uploaded=SimpleUploadedFile("项目申报书.pdf", PDF_BYTES))
    client.force_login(people["county_admin_a"])
    response = client.get(reverse("projects:attachment-download", args=[attachment.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E9%A1%B9%E7%9B%AE%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("who", ["staff_b", "county_admin_b", "juror", "admin"])
def test_download_by_who_cannot_see_the_project_is_404(client, people, tree, campaign, media, who):
    project = project_of(tree["county_a"], campaign)  # a draft: not even the admin sees it
    attachment = services.add_attachment(actor=people["staff_a"], project=project,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES))
    client.force_login(people[who])
    assert client.get(reverse("projects:attachment-download", args=[attachment.pk])).status_code == 404


def test_anonymous_download_goes_to_login(client, people, tree, campaign, media):
    project = project_of(tree["county_a"], campaign)
    attachment = services.add_attachment(actor=people["staff_a"], project=project,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert login_redirect(client.get(reverse("projects:attachment-download", args=[attachment.pk])))


def test_staff_deletes_an_attachment_of_a_draft(client, people, tree, campaign, media):
    project = project_of(tree["county_a"], campaign)
    attachment = services.add_attachment(actor=people["staff_a"], project=project,
                                         uploaded=SimpleUploadedFile("a.pdf", PDF_BYTES))
    client.force_login(people["staff_b"])
    assert client.post(reverse("projects:attachment-delete", args=[attachment.pk])).status_code == 404
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:attachment-delete", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_a_filers_list_opens_on_the_own_union_line_in_the_open_campaign(client, people, tree, campaign):
    import datetime

    own = project_of(tree["town_a1"], campaign, status=ProjectStatus.DRAFT, title="本年度草稿")
    past = CampaignFactory(owner_union=tree["city"], year=2018,
                           filing_opens=datetime.date(2018, 1, 1), filing_deadline=datetime.date(2018, 3, 1))
    own_past = project_of(tree["county_a"], past, status=ProjectStatus.CLOSED, title="本单位往年项目")
    library = project_of(tree["county_b"], past, status=ProjectStatus.CLOSED, title="宜兴往年项目")
    client.force_login(people["staff_a"])

    def listed(**params):
        response = client.get(reverse("projects:list"), params)
        assert response.status_code == 200
        return response, set(response.context["page"].object_list)

    response, rows = listed()
    assert rows == {own}
    assert 'data-testid="list-defaults"' in response.content.decode()
    assert response.context["querystring"] == f"scope=mine&campaign={campaign.pk}"
    assert listed(page="1")[1] == {own}  # a page link keeps the defaults
    assert listed(scope="mine", campaign="")[1] == {own, own_past}
    assert listed(scope="library", campaign="")[1] == {own_past, library}
    assert listed(scope="", campaign="")[1] == {own, own_past, library}
    # Admins and county admins screen across unions and years: their list opens on everything visible.
    client.force_login(people["county_admin_a"])
    assert listed()[1] == {own, own_past}


# --- the filing form's first screen (issue 20 item 6) ---------------------------------------


def test_attachments_can_be_uploaded_with_the_first_draft(client, people, campaign, media):
    client.force_login(people["staff_a"])
    files = [SimpleUploadedFile("申报书.pdf", PDF_BYTES, "application/pdf"),
             SimpleUploadedFile("预算.pdf", PDF_BYTES, "application/pdf")]
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           {**filing_data(intent="draft"), "files": files})
    project = Project.objects.get()
    assert response.status_code == 302
    assert sorted(a.name for a in Attachment.objects.filter(project=project)) == ["申报书.pdf", "预算.pdf"]


def test_a_bad_file_on_the_first_screen_leaves_no_draft_behind(client, people, campaign, media):
    client.force_login(people["staff_a"])
    files = [SimpleUploadedFile("申报书.pdf", PDF_BYTES, "application/pdf"),
             SimpleUploadedFile("病毒.exe", EXE_BYTES, "application/octet-stream")]
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           {**filing_data(intent="draft"), "files": files})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Project.objects.exists() and not Attachment.objects.exists()


def test_the_upload_progress_request_gets_its_redirect_as_json(client, people, campaign, media):
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           {**filing_data(intent="draft"),
                            "files": [SimpleUploadedFile("申报书.pdf", PDF_BYTES, "application/pdf")]},
                           headers={"X-Upload-Progress": "1"})
    project = Project.objects.get()
    assert response.status_code == 200
    assert response.json() == {"redirect": reverse("projects:detail", args=[project.pk])}
    assert "草稿已保存。" in messages_of(client.get(reverse("projects:detail", args=[project.pk])))


def test_every_field_required_for_submission_is_marked(client, people, campaign):
    client.force_login(people["staff_a"])
    form = client.get(reverse("projects:create") + f"?campaign={campaign.pk}").context["form"]
    for name in ("title", "category", "summary"):
        assert form.fields[name].widget.attrs.get("data-required-for-submit") == "1"
    page = client.get(reverse("projects:create") + f"?campaign={campaign.pk}").content.decode()
    assert 'for="id_summary"' in page
    label = page[page.index('for="id_summary"'):]
    assert label.index("*") < label.index("</label>")
    assert "data-check-required" in page


def test_submitting_without_a_summary_names_the_missing_field(client, people, campaign):
    client.force_login(people["staff_a"])
    response = client.post(reverse("projects:create") + f"?campaign={campaign.pk}",
                           filing_data(intent="submit", summary=""), follow=True)
    assert "提交申报前请填写“项目简介”。" in response.content.decode()
    assert Project.objects.get().status == ProjectStatus.DRAFT
