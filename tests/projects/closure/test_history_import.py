"""The historic import (历史数据导入): a good workbook imports everything; one bad row and
nothing is imported, with a report naming sheet, row, column and the problem."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from projects.importer import (
    PLAN_COLUMNS,
    PROJECT_COLUMNS,
    build_template,
    import_history,
)
from projects.models import (
    Campaign,
    HistoricAward,
    Project,
    ProjectEvent,
    ReplicationPlan,
)

pytestmark = pytest.mark.django_db

GOOD_PROJECTS = [
    [2016, "职工书屋", "江阴市总工会", "职工帮扶服务", "已获奖", "一等", 50000, "是"],
    [2016, "劳动竞赛平台", "宜兴", "劳动技能竞赛", "已立项", None, None, "是"],
    [2017, "心理关爱", "江阴市澄江街道总工会", "维权服务工作", "已入围", None, None, "未通过"],
    [2017, "职工夜校", "宜兴市总工会", "思想政治引领", "未立项", None, None, None],
    [2017, "技能大师工作室", "宜兴市总工会", "劳动技能竞赛", "已获奖", "特优", "80000.50", None],
]
GOOD_PLANS = [
    [2017, "职工书屋", "宜兴市总工会", "已完成"],
    [2018, "劳动竞赛平台", "江阴市总工会", "实施中"],
    [2018, "职工书屋", "江阴市澄江街道总工会", None],
]


def workbook(projects=GOOD_PROJECTS, plans=GOOD_PLANS, project_header=PROJECT_COLUMNS, plan_header=PLAN_COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(project_header)
    for row in projects:
        sheet.append(row)
    if plans is not None:
        plan_sheet = book.create_sheet("推广")
        plan_sheet.append(plan_header)
        for row in plans:
            plan_sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def snapshot():
    return tuple(m.objects.count() for m in (Campaign, Project, ProjectEvent, HistoricAward, ReplicationPlan))


def test_a_good_workbook_imports_everything(people, tree):
    report = import_history(actor=people["admin"], file=workbook())
    assert report.errors == []
    assert (report.projects, report.awards, report.plans, report.campaigns) == (5, 2, 3, [2016, 2017])

    statuses = dict(Project.objects.values_list("title", "status"))
    assert statuses == {"职工书屋": "closed", "劳动竞赛平台": "closed", "心理关爱": "closure_failed",
                        "职工夜校": "rejected", "技能大师工作室": "awarded"}
    book = Project.objects.get(title="职工书屋")
    assert book.campaign.year == 2016 and book.campaign.owner_union == tree["city"]
    assert book.applicant_union == tree["county_a"]
    assert Project.objects.get(title="劳动竞赛平台").applicant_union == tree["county_b"]  # by short name
    assert [(e.action, e.to_status) for e in book.events.all()] == [
        ("import", "draft"), ("submit", "submitted"), ("approve", "approved"), ("shortlist", "shortlisted"),
        ("award", "awarded"), ("closing_report", "closing"), ("accept_closure", "closed")]
    assert {(a.project.title, a.year, a.tier, a.amount) for a in HistoricAward.objects.select_related("project")} == {
        ("职工书屋", 2016, "一等", Decimal("50000.00")), ("技能大师工作室", 2017, "特优", Decimal("80000.50"))}
    plans = {(p.source_project.title, p.adopting_union.name, p.year, p.status)
             for p in ReplicationPlan.objects.select_related("source_project", "adopting_union")}
    assert plans == {("职工书屋", "宜兴市总工会", 2017, "done"), ("劳动竞赛平台", "江阴市总工会", 2018, "in_progress"),
                     ("职工书屋", "江阴市澄江街道总工会", 2018, "planned")}


def test_one_bad_row_imports_nothing_and_reports_it(people, tree):
    projects = [*GOOD_PROJECTS, [2017, "坏行", "不存在的工会", "职工帮扶服务", "已获奖", None, "-5", "也许"]]
    plans = [*GOOD_PLANS, [2018, "职工夜校", "江阴市总工会", "计划中"], [2018, "职工书屋", "江阴市总工会", None]]
    before = snapshot()

    report = import_history(actor=people["admin"], file=workbook(projects, plans))

    assert snapshot() == before
    assert {(e.sheet, e.row, e.column) for e in report.errors} == {
        ("项目", 7, "申报单位"), ("项目", 7, "结项"), ("项目", 7, "补贴金额"), ("项目", 7, "等次"),
        ("推广", 5, "源项目"),  # 职工夜校 is not closed
        ("推广", 6, "推广单位"),  # 江阴 is 职工书屋's own union
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "不存在的工会" in messages[(7, "申报单位")]
    assert messages[(6, "推广单位")] == "不能推广本单位自己的项目。"


@pytest.mark.parametrize("row, column", [
    ([1999, "x", "宜兴市总工会", "领域", "已立项", None, None, None], "年度"),
    ([2016, "", "宜兴市总工会", "领域", "已立项", None, None, None], "项目名称"),
    ([2016, "x", "宜兴市总工会", "", "已立项", None, None, None], "领域"),
    ([2016, "x", "宜兴市总工会", "领域", "通过", None, None, None], "状态"),
    ([2016, "x", "宜兴市总工会", "领域", "已获奖", None, 100, None], "等次"),
    ([2016, "x", "宜兴市总工会", "领域", "已获奖", "一等", "1.005", None], "补贴金额"),
    ([2016, "x", "宜兴市总工会", "领域", "未立项", None, None, "是"], "结项"),
])
def test_each_kind_of_bad_cell_is_named(people, tree, row, column):
    report = import_history(actor=people["admin"], file=workbook([row], None))
    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("项目", 2, column)]
    assert not Project.objects.exists()


def test_duplicates_in_the_file_and_in_the_system_are_refused(people, tree):
    assert import_history(actor=people["admin"], file=workbook(GOOD_PROJECTS[:1], None)).ok
    report = import_history(actor=people["admin"], file=workbook([GOOD_PROJECTS[1], GOOD_PROJECTS[1],
                                                                  GOOD_PROJECTS[0]], None))
    assert [(e.row, e.column) for e in report.errors] == [(3, "项目名称"), (4, "项目名称")]
    assert Project.objects.count() == 1


def test_a_missing_column_or_a_file_that_is_no_workbook(people, tree):
    report = import_history(actor=people["admin"], file=workbook(project_header=PROJECT_COLUMNS[:3]))
    assert {(e.row, e.column) for e in report.errors} == {(1, "领域"), (1, "状态")}
    report = import_history(actor=people["admin"], file=io.BytesIO(b"not a workbook"))
    assert len(report.errors) == 1 and "Excel" in report.errors[0].message
    assert not Project.objects.exists()


def test_only_admins_import(people, tree):
    from django.core.exceptions import PermissionDenied

    for who in ("staff_a", "county_admin_a", "juror"):
        with pytest.raises(PermissionDenied):
            import_history(actor=people[who], file=workbook())


def test_the_downloadable_template_is_itself_importable(client, people, tree):
    client.force_login(people["admin"])
    response = client.get("/history-import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["项目"][1]] == PROJECT_COLUMNS
    assert [c.value for c in book["推广"][1]] == PLAN_COLUMNS
    report = import_history(actor=people["admin"], file=io.BytesIO(build_template()))
    assert report.ok and (report.projects, report.plans) == (1, 1)


def test_the_import_page_shows_the_error_report(client, people, tree):
    client.force_login(people["staff_a"])
    assert client.get("/history-import/").status_code == 403
    client.force_login(people["admin"])
    bad = [[2016, "坏行", "不存在的工会", "职工帮扶服务", "已立项", None, None, None]]
    upload = SimpleUploadedFile("history.xlsx", workbook(bad, None).getvalue())
    page = client.post("/history-import/", {"file": upload}).content.decode()
    assert 'data-testid="import-errors"' in page and "不存在的工会" in page
    assert not Project.objects.exists()
    upload = SimpleUploadedFile("history.xlsx", workbook().getvalue())
    page = client.post("/history-import/", {"file": upload}).content.decode()
    assert 'data-testid="import-done"' in page
    assert Project.objects.count() == 5


def test_the_management_command(people, tree, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook().getvalue())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([[2016, "x", "无此单位", "领域", "已立项", None, None, None]], None).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_history", str(bad), user="admin1", stderr=err)
    assert "项目 第2行 申报单位" in err.getvalue()
    assert not Project.objects.exists()
    out = io.StringIO()
    call_command("import_history", str(good), user="admin1", stdout=out)
    assert "已导入 5 个项目" in out.getvalue()
