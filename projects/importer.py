"""Import of past years (历史数据导入): projects, their results and replication plans from an
Excel workbook, all or nothing.

The workbook (``build_template()`` makes an empty one to download):

- sheet ``项目`` — one past project a row, columns (by header name, any order):
  年度 (2000 … this year), 项目名称, 申报单位 (a union's full or short name, in the importing
  federation's tree), 领域, 状态 (已立项 / 未立项 / 已入围 / 已获奖), 等次 (only for 已获奖, then
  required: 特优 / 一等 / 二等 / 三等 or another name), 补贴金额 (yuan, ≥ 0, two decimals at
  most; only for 已获奖), 结项 (是 / 否 / 未通过 / 审核中, blank = 否; not for 未立项).
- sheet ``推广`` (optional) — one replication plan a row: 年度, 源项目 (the title of a closed
  project, in this file or already in the system; it must name exactly one), 推广单位 (not the
  project's own union), 状态 (计划中 / 实施中 / 已完成, blank = 计划中).

Every row is checked first; any error (sheet, row, column and a message in Chinese) and nothing
is written. Then everything is written in one transaction: a campaign per year (the existing
one of the federation, or a new "YYYY年度工会创新工作项目"), the projects with an audit trail
whose events say "历史数据导入", a ``HistoricAward`` per awarded project (the years before this
system had no roadshow, so ``evaluations`` cannot hold their tiers), and the plans.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Union
from members.rules import may
from unionproj.errors import NOT_ALLOWED
from unionproj.text import quoted

from .enums import ProjectStatus, ReplicationStatus
from .models import Campaign, HistoricAward, Project, ProjectEvent, ReplicationPlan

PROJECT_SHEET = "项目"
PLAN_SHEET = "推广"
PROJECT_COLUMNS = ["年度", "项目名称", "申报单位", "领域", "状态", "等次", "补贴金额", "结项"]
PLAN_COLUMNS = ["年度", "源项目", "推广单位", "状态"]
REQUIRED_PROJECT_COLUMNS = ["年度", "项目名称", "申报单位", "领域", "状态"]
REQUIRED_PLAN_COLUMNS = ["年度", "源项目", "推广单位"]

STATUS_WORDS = {
    "已立项": ProjectStatus.APPROVED, "立项": ProjectStatus.APPROVED,
    "未立项": ProjectStatus.REJECTED, "不予立项": ProjectStatus.REJECTED,
    "已入围": ProjectStatus.SHORTLISTED, "入围": ProjectStatus.SHORTLISTED,
    "已获奖": ProjectStatus.AWARDED, "获奖": ProjectStatus.AWARDED,
}
CLOSURE_WORDS = {
    "": None, "否": None, "未结项": None,
    "是": ProjectStatus.CLOSED, "已结项": ProjectStatus.CLOSED,
    "未通过": ProjectStatus.CLOSURE_FAILED, "结项未通过": ProjectStatus.CLOSURE_FAILED,
    "审核中": ProjectStatus.CLOSING, "结项审核中": ProjectStatus.CLOSING,
}
PLAN_STATUS_WORDS = {
    "": ReplicationStatus.PLANNED, "计划中": ReplicationStatus.PLANNED,
    "实施中": ReplicationStatus.IN_PROGRESS, "已完成": ReplicationStatus.DONE,
}
# The events an imported project's timeline gets, step by step, up to its final status.
STEPS = {
    ProjectStatus.REJECTED: [("submit", "draft", "submitted"), ("reject", "submitted", "rejected")],
    ProjectStatus.APPROVED: [("submit", "draft", "submitted"), ("approve", "submitted", "approved")],
}
STEPS[ProjectStatus.SHORTLISTED] = [*STEPS[ProjectStatus.APPROVED], ("shortlist", "approved", "shortlisted")]
STEPS[ProjectStatus.AWARDED] = [*STEPS[ProjectStatus.SHORTLISTED], ("award", "shortlisted", "awarded")]
IMPORT_REASON = "历史数据导入"


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str


class _Stop(Exception):
    """Reading stops: too many rows, or enough errors reported (the report says which)."""


@dataclass
class ImportReport:
    errors: list = field(default_factory=list)
    projects: int = 0
    plans: int = 0
    awards: int = 0
    campaigns: list = field(default_factory=list)  # years written
    truncated: bool = False  # more errors than HISTORY_IMPORT_MAX_ERRORS: reading stopped there

    @property
    def ok(self):
        return not self.errors


@dataclass
class _ProjectRow:
    row: int
    year: int
    title: str
    union: Union
    category: str
    status: str
    tier: str
    amount: Decimal | None
    base: str = ""  # the status before closure (approved / shortlisted / awarded / rejected)
    project: Project | None = None


@dataclass
class _PlanRow:
    row: int
    year: int
    source_row: _ProjectRow | None
    source_project: Project | None
    union: Union
    status: str


def build_template():
    """An empty workbook with both sheets, their headers, one example row each and a sheet of
    notes: what the import page offers to download. Returns the ``.xlsx`` bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = PROJECT_SHEET
    sheet.append(PROJECT_COLUMNS)
    sheet.append([2016, "职工书屋建设", "江阴市总工会", "职工帮扶服务", "已获奖", "一等", 50000, "是"])
    plans = book.create_sheet(PLAN_SHEET)
    plans.append(PLAN_COLUMNS)
    plans.append([2017, "职工书屋建设", "宜兴市总工会", "已完成"])
    notes = book.create_sheet("说明")
    for line in [
        ["项目：年度、项目名称、申报单位、领域、状态为必填。"],
        ["状态：已立项 / 未立项 / 已入围 / 已获奖。"],
        ["等次、补贴金额：仅已获奖的项目填写，已获奖时等次必填；金额单位为元，最多两位小数。"],
        ["结项：是 / 否 / 未通过 / 审核中，留空表示未结项；未立项的项目不能填写。"],
        ["推广：源项目填写已结项项目的名称（本文件或系统中已有），推广单位不能是项目的申报单位。"],
        ["推广状态：计划中 / 实施中 / 已完成，留空表示计划中。"],
        ["任何一行有错误时不会导入任何数据，请按错误报告修改后重新导入。"],
    ]:
        notes.append(line)
    for ws in (sheet, plans):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 18
    notes.column_dimensions["A"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Reader:
    def __init__(self, owner, report):
        self.owner = owner
        self.report = report
        self.this_year = timezone.localdate().year
        # Every union of the federation, once, by full and by short name.
        self.by_name, self.by_short = {}, {}
        for union in Union.objects.filter(path__startswith=owner.path):
            self.by_name[union.name] = union
            self.by_short.setdefault(union.short_name, []).append(union)

    def error(self, sheet, row, column, message):
        self.report.errors.append(RowError(sheet, row, column, message))
        if len(self.report.errors) >= settings.HISTORY_IMPORT_MAX_ERRORS:
            # A file of bad rows is not read to its end: the first errors say what to fix.
            self.report.truncated = True
            raise _Stop

    def header(self, ws, sheet, columns, required):
        names = [_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), [])]
        index = {name: i for i, name in enumerate(names) if name}
        missing = [c for c in required if c not in index]
        for name in missing:
            self.error(sheet, 1, name, _("缺少列“%(c)s”。") % {"c": name})
        return None if missing else {c: index.get(c) for c in columns}

    def rows(self, ws, index):
        limit, count = settings.HISTORY_IMPORT_MAX_ROWS, 0
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if all(_text(v) == "" for v in values):
                continue
            count += 1
            if count > limit:
                self.report.errors.append(RowError(ws.title, number, "", _(
                    "数据超过 %(n)d 行，请分成几个文件导入。") % {"n": limit}))
                raise _Stop
            yield number, {c: (values[i] if i is not None and i < len(values) else None) for c, i in index.items()}

    def year(self, sheet, number, value):
        text = _text(value)
        try:
            year = int(text)
        except ValueError:
            year = None
        if year is None or not (2000 <= year <= self.this_year):
            self.error(sheet, number, "年度", _("年度须为 2000 至 %(y)d 之间的整数，而不是%(v)s。")
                       % {"y": self.this_year, "v": quoted(text)})
            return None
        return year

    def union(self, sheet, number, column, value):
        name = _text(value)
        if not name:
            self.error(sheet, number, column, _("请填写%(c)s。") % {"c": column})
            return None
        if name in self.by_name:
            return self.by_name[name]
        matches = self.by_short.get(name, [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            self.error(sheet, number, column, _("简称%(n)s对应多个工会，请填写全称。") % {"n": quoted(name)})
        else:
            self.error(sheet, number, column, _("找不到工会%(n)s（须为%(o)s及其下属工会）。")
                       % {"n": quoted(name), "o": self.owner.name})
        return None


def _owner_for(actor, owner_union):
    if not may(actor, "projects.import_history"):
        raise PermissionDenied(NOT_ALLOWED)
    if owner_union is None:
        if actor.union_id is None:
            roots = list(Union.objects.filter(parent__isnull=True)[:2])
            if len(roots) != 1:
                raise PermissionDenied(_("请指定导入到哪个市总工会。"))
            return roots[0]
        return actor.union
    if not actor.is_superuser and not owner_union.is_within(actor.union):
        raise PermissionDenied(NOT_ALLOWED)
    return owner_union


def _read_projects(reader, ws, existing_keys):
    sheet = PROJECT_SHEET
    index = reader.header(ws, sheet, PROJECT_COLUMNS, REQUIRED_PROJECT_COLUMNS)
    if index is None:
        return None
    rows, seen = [], {}
    for number, cells in reader.rows(ws, index):
        before = len(reader.report.errors)
        year = reader.year(sheet, number, cells["年度"])
        title = _text(cells["项目名称"])
        if not title or len(title) > 200:
            reader.error(sheet, number, "项目名称", _("项目名称不能为空，且不超过 200 字。"))
        union = reader.union(sheet, number, "申报单位", cells["申报单位"])
        category = _text(cells["领域"])
        if not category or len(category) > 40:
            reader.error(sheet, number, "领域", _("领域不能为空，且不超过 40 字。"))
        status_text = _text(cells["状态"])
        status = STATUS_WORDS.get(status_text)
        if status is None:
            reader.error(sheet, number, "状态", _("状态%(v)s无效，应为：已立项、未立项、已入围、已获奖。")
                         % {"v": quoted(status_text)})
        closure_text = _text(cells["结项"])
        if closure_text not in CLOSURE_WORDS:
            reader.error(sheet, number, "结项", _("结项%(v)s无效，应为：是、否、未通过、审核中或留空。")
                         % {"v": quoted(closure_text)})
        closure = CLOSURE_WORDS.get(closure_text)
        if closure and status == ProjectStatus.REJECTED:
            reader.error(sheet, number, "结项", _("未立项的项目不能结项。"))
        tier = _text(cells["等次"])
        amount_text = _text(cells["补贴金额"])
        amount = None
        if amount_text:
            try:
                amount = Decimal(amount_text)
            except InvalidOperation:
                amount = None
            if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) \
                    or amount >= Decimal("1e10"):
                reader.error(sheet, number, "补贴金额", _("补贴金额%(v)s无效，应为不小于 0、最多两位小数的金额（元）。")
                             % {"v": quoted(amount_text)})
                amount = None
        if status and status != ProjectStatus.AWARDED and (tier or amount_text):
            reader.error(sheet, number, "等次", _("只有已获奖的项目可以填写等次和补贴金额。"))
        if status == ProjectStatus.AWARDED and not tier:
            reader.error(sheet, number, "等次", _("已获奖的项目请填写等次。"))
        if len(tier) > 30:
            reader.error(sheet, number, "等次", _("等次不超过 30 字。"))
        if len(reader.report.errors) > before:
            continue
        key = (year, title, union.pk)
        if key in seen:
            reader.error(sheet, number, "项目名称", _("与第 %(r)d 行重复（同一年度、同一单位、同名项目）。") % {"r": seen[key]})
            continue
        if key in existing_keys:
            reader.error(sheet, number, "项目名称", _("系统中已有该项目（%(y)d 年度，%(u)s），不能重复导入。")
                         % {"y": year, "u": union.name})
            continue
        seen[key] = number
        rows.append(_ProjectRow(number, year, title, union, category, closure or status, tier,
                                amount if amount is not None else (Decimal("0.00") if tier else None), base=status))
    return rows


def _read_plans(reader, ws, project_rows):
    sheet = PLAN_SHEET
    index = reader.header(ws, sheet, PLAN_COLUMNS, REQUIRED_PLAN_COLUMNS)
    if index is None:
        return []
    closed_in_file = {}
    for row in project_rows:
        if row.status == ProjectStatus.CLOSED:
            closed_in_file.setdefault(row.title, []).append(row)
    titles = {_text(cells["源项目"]) for _n, cells in reader.rows(ws, index)}
    closed_in_db = {}
    for project in Project.objects.filter(
        title__in=titles, status=ProjectStatus.CLOSED, campaign__owner_union__path__startswith=reader.owner.path,
    ).select_related("applicant_union"):
        closed_in_db.setdefault(project.title, []).append(project)
    existing = set(ReplicationPlan.objects.filter(source_project__title__in=titles).values_list(
        "source_project_id", "adopting_union_id"))
    plans, seen = [], {}
    for number, cells in reader.rows(ws, index):
        before = len(reader.report.errors)
        year = reader.year(sheet, number, cells["年度"])
        title = _text(cells["源项目"])
        in_file, in_db = closed_in_file.get(title, []), closed_in_db.get(title, [])
        source_row = source_project = None
        if not title:
            reader.error(sheet, number, "源项目", _("请填写源项目名称。"))
        elif len(in_file) + len(in_db) == 0:
            reader.error(sheet, number, "源项目", _("找不到已结项的项目%(t)s（只有已结项的项目可以复制推广）。") % {"t": quoted(title)})
        elif len(in_file) + len(in_db) > 1:
            reader.error(sheet, number, "源项目", _("有多个已结项的项目名为%(t)s，无法确定是哪一个。") % {"t": quoted(title)})
        elif in_file:
            source_row = in_file[0]
        else:
            source_project = in_db[0]
        union = reader.union(sheet, number, "推广单位", cells["推广单位"])
        status_text = _text(cells["状态"]) if index.get("状态") is not None else ""
        status = PLAN_STATUS_WORDS.get(status_text)
        if status is None:
            reader.error(sheet, number, "状态", _("状态%(v)s无效，应为：计划中、实施中、已完成或留空。") % {"v": quoted(status_text)})
        if len(reader.report.errors) > before:
            continue
        source_union = source_row.union if source_row else source_project.applicant_union
        if union.pk == source_union.pk:
            reader.error(sheet, number, "推广单位", _("不能推广本单位自己的项目。"))
            continue
        source_key = ("row", source_row.row) if source_row else ("db", source_project.pk)
        if (source_key, union.pk) in seen:
            reader.error(sheet, number, "推广单位", _("与第 %(r)d 行重复（同一项目、同一推广单位）。")
                         % {"r": seen[(source_key, union.pk)]})
            continue
        if source_project and (source_project.pk, union.pk) in existing:
            reader.error(sheet, number, "推广单位", _("系统中已有该单位对这个项目的推广计划。"))
            continue
        seen[(source_key, union.pk)] = number
        plans.append(_PlanRow(number, year, source_row, source_project, union, status))
    return plans


def _at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def _campaigns(owner, project_rows, actor):
    by_year = {}
    for row in project_rows:
        by_year.setdefault(row.year, []).append(row.category)
    campaigns = {}
    for year, categories in sorted(by_year.items()):
        campaign = Campaign.objects.filter(year=year, owner_union=owner).order_by("id").first()
        wanted = list(dict.fromkeys([*(campaign.categories if campaign else settings.DEFAULT_CATEGORIES), *categories]))
        if campaign is None:
            campaign = Campaign(
                year=year, title=f"{year}年度工会创新工作项目", owner_union=owner, filing_opens=datetime.date(year, 1, 1),
                filing_deadline=datetime.date(year, 3, 31), budget=Decimal("0.00"), categories=wanted,
            )
            campaign._history_user = actor
            campaign.save()
        elif wanted != campaign.categories:
            campaign.categories = wanted
            campaign._history_user = actor
            campaign.save(update_fields=["categories"])
        campaigns[year] = campaign
    return campaigns


def _steps(base, final):
    """The timeline of an imported project: up to its base status, then the closure steps."""
    steps = list(STEPS[base])
    if final != base:
        steps.append(("closing_report", base, ProjectStatus.CLOSING))
        if final == ProjectStatus.CLOSED:
            steps.append(("accept_closure", ProjectStatus.CLOSING, ProjectStatus.CLOSED))
        elif final == ProjectStatus.CLOSURE_FAILED:
            steps.append(("fail_closure", ProjectStatus.CLOSING, ProjectStatus.CLOSURE_FAILED))
    return steps


def _write(actor, owner, project_rows, plan_rows, report):
    campaigns = _campaigns(owner, project_rows, actor)
    report.campaigns = sorted(campaigns)
    events, awards = [], []
    for row in project_rows:
        project = Project(
            campaign=campaigns[row.year], applicant_union=row.union, title=row.title, category=row.category,
            summary=_("（%(y)d 年度历史数据导入）") % {"y": row.year}, status=row.status, created_by=actor,
            submitted_at=_at(row.year, 3, 1),
        )
        project._history_user = actor
        project.save()
        row.project = project
        steps = _steps(row.base, row.status)
        events.append(ProjectEvent(project=project, actor=actor, action="import", from_status="", to_status="draft",
                                   reason=IMPORT_REASON, at=_at(row.year, 1, 1)))
        for i, (action, from_status, to_status) in enumerate(steps):
            events.append(ProjectEvent(project=project, actor=actor, action=action, from_status=from_status,
                                       to_status=to_status, reason=IMPORT_REASON, at=_at(row.year, 3 + i, 1)))
        if row.tier:
            awards.append(HistoricAward(project=project, year=row.year, tier=row.tier, amount=row.amount))
    ProjectEvent.objects.bulk_create(events)
    HistoricAward.objects.bulk_create(awards)
    for row in plan_rows:
        plan = ReplicationPlan(
            source_project=row.source_row.project if row.source_row else row.source_project,
            adopting_union=row.union, plan=_("（历史数据导入）"), status=row.status, year=row.year, created_by=actor,
            adoption_report=_("（历史数据导入）") if row.status == ReplicationStatus.DONE else "",
        )
        plan._history_user = actor
        plan.save()
    report.projects, report.awards, report.plans = len(project_rows), len(awards), len(plan_rows)


def import_history(*, actor, file, owner_union=None):
    """Check the workbook ``file`` (a path or a file object) row by row and, when no row is bad,
    import it all in one transaction. Returns an ``ImportReport`` (``errors`` empty when imported).

    Side effects (only without errors): campaigns per year (created or their categories
    extended), projects with their audit events, ``HistoricAward`` rows, replication plans.
    Bounded (issue 21 item 8): a sheet of more than ``HISTORY_IMPORT_MAX_ROWS`` rows is refused
    when reading reaches that row, and reading stops at the ``HISTORY_IMPORT_MAX_ERRORS``-th
    error (``report.truncated``); the file's size is capped by the form
    (``HISTORY_IMPORT_MAX_BYTES``).
    Raises ``PermissionDenied`` unless ``actor`` is an admin (of ``owner_union``).
    """
    from openpyxl import load_workbook

    owner = _owner_for(actor, owner_union)
    report = ImportReport()
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        report.errors.append(RowError("", 0, "", _("文件不是有效的 Excel（.xlsx）工作簿。")))
        return report
    reader = _Reader(owner, report)
    if PROJECT_SHEET not in book.sheetnames:
        reader.error(PROJECT_SHEET, 0, "", _("缺少工作表“%(s)s”。") % {"s": PROJECT_SHEET})
        return report
    existing_keys = set(
        Project.objects.filter(campaign__owner_union=owner).values_list("campaign__year", "title", "applicant_union_id")
    )
    try:
        project_rows = _read_projects(reader, book[PROJECT_SHEET], existing_keys)
        if project_rows is None:  # without its columns the plans' sources cannot be told either
            return report
        plan_rows = _read_plans(reader, book[PLAN_SHEET], project_rows) if PLAN_SHEET in book.sheetnames else []
    except _Stop:
        return report
    if not report.errors and not project_rows and not plan_rows:
        reader.error(PROJECT_SHEET, 0, "", _("文件中没有可导入的数据。"))
    if report.errors:
        return report
    with transaction.atomic():
        _write(actor, owner, project_rows, plan_rows, report)
    return report
