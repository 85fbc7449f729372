"""The demo's past years (2014–2018): a workbook in the import format (``projects.importer``),
built in code so that it always matches the demo's unions. ``load_demo`` imports it through the
ordinary importer, so the dashboards have history: approved, closed, awarded and replicated
projects year by year. Deterministic (a fixed random seed)."""

import io
import random

from .importer import PLAN_COLUMNS, PROJECT_COLUMNS

YEARS = range(2014, 2019)
# Applicants: the demo's top-level unions and a few below them (short names of projects.demo).
APPLICANTS = [
    "江阴市总工会", "宜兴市总工会", "梁溪区总工会", "锡山区总工会", "惠山区总工会", "滨湖区总工会", "新吴区总工会",
    "经开区总工会", "中国电子科技集团公司第五十八研究所工会", "中国电信无锡分公司工会", "无锡市公安局工会",
    "惠山区洛社镇总工会", "江阴市澄江街道总工会",
]
THEMES = {
    "思想政治引领": ["职工思想政治工作创新", "劳模精神宣讲团", "新时代职工讲堂", "红色工运史教育"],
    "劳动技能竞赛": ["技能大师工作室", "岗位练兵技能比武", "职工创新工作室联盟", "青工技能提升计划"],
    "维权服务工作": ["集体协商提质增效", "职工法律服务站", "劳动争议调解室", "女职工特殊权益保护"],
    "职工帮扶服务": ["职工健康小屋", "困难职工精准帮扶", "爱心托管班", "户外劳动者驿站"],
    "工会自身建设": ["智慧工会平台", "基层工会规范化建设", "工会干部能力提升", "新就业形态建会入会"],
}
# How a title names its union: the place or the unit, as the seeds' titles do.
SHORT = {
    "江阴市总工会": "江阴市", "宜兴市总工会": "宜兴市", "梁溪区总工会": "梁溪区", "锡山区总工会": "锡山区",
    "惠山区总工会": "惠山区", "滨湖区总工会": "滨湖区", "新吴区总工会": "新吴区", "经开区总工会": "经开区",
    "中国电子科技集团公司第五十八研究所工会": "中电科58所", "中国电信无锡分公司工会": "无锡电信",
    "无锡市公安局工会": "市公安局", "惠山区洛社镇总工会": "洛社镇", "江阴市澄江街道总工会": "澄江街道",
}
PHASES = "〇一二三四五六七八九"
TIERS = [("特优", 80000), ("一等", 50000), ("二等", 30000), ("三等", 20000)]


def rows():
    """``(project rows, plan rows)`` of the demo's history."""
    rng = random.Random(2013)
    projects, plans = [], []
    closed_by_year = {}
    seen = {}
    for year in YEARS:
        n = 14 + (year - 2014) * 2
        for i in range(n):
            category = list(THEMES)[i % len(THEMES)]
            union = APPLICANTS[(i * 5 + year) % len(APPLICANTS)]
            # e.g. "江阴市职工健康小屋", and "…二期" when the union takes the theme up again in a
            # later year: titles stay unique, since a replication plan names its source by title.
            title = f"{SHORT[union]}{THEMES[category][(i // len(THEMES) + year) % 4]}"
            seen[title] = seen.get(title, 0) + 1
            if seen[title] > 1:
                title += f"{PHASES[seen[title]]}期"
            roll = rng.random()
            status = "未立项" if roll < 0.15 else "已立项" if roll < 0.45 else "已入围" if roll < 0.6 else "已获奖"
            tier = amount = None
            if status == "已获奖":
                tier, amount = TIERS[min(3, int(rng.random() * 4))]
            closure = None
            if status != "未立项":
                closure = "是" if rng.random() < 0.9 else "未通过"
            projects.append([year, title, union, category, status, tier, amount, closure])
            if closure == "是":
                closed_by_year.setdefault(year, []).append((title, union))
    for year in range(2016, 2019):
        for title, union in closed_by_year.get(year - 1, []) + closed_by_year.get(year - 2, [])[:4]:
            adopters = [u for u in APPLICANTS if u != union]
            for adopter in rng.sample(adopters, 1 + int(rng.random() * 2)):
                status = "已完成" if year < 2018 else rng.choice(["计划中", "实施中", "已完成"])
                plans.append([year, title, adopter, status])
    return projects, plans


def workbook():
    """The demo history as ``.xlsx`` bytes in a file object."""
    from openpyxl import Workbook

    project_rows, plan_rows = rows()
    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(PROJECT_COLUMNS)
    for row in project_rows:
        sheet.append(row)
    plan_sheet = book.create_sheet("推广")
    plan_sheet.append(PLAN_COLUMNS)
    seen = set()
    for row in plan_rows:
        key = (row[1], row[2])
        if key not in seen:
            seen.add(key)
            plan_sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
