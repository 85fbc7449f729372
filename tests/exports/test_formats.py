"""Every kind × format parsed back and checked against the stored results and payouts."""

from decimal import Decimal

import pytest

from awards.models import Payout, Result
from tests.exports.roadshows import INJECTION

from .helpers import attachment_header, body, csv_rows, export, pdf, squeeze, workbook

TIER_ORDER = ["特优", "一等", "二等", "三等"]


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def awarded(roadshow):
    return list(Result.objects.filter(roadshow=roadshow).exclude(tier="").select_related("entry__project__applicant_union")
                .order_by("tier_order", "rank"))


# --- awards ---------------------------------------------------------------------------------


def test_awards_xlsx_has_title_frozen_header_tiers_in_order_and_money_as_numbers(admin_client, scored):
    response = export(admin_client, scored, "awards", "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == attachment_header(f"{scored.title}-获奖名单.xlsx")
    ws = workbook(body(response)).active
    assert scored.campaign.title in ws["A1"].value and scored.title in ws["A1"].value
    assert [c.value for c in ws[2]] == ["等次", "名次", "项目名称", "申报单位", "最终得分", "奖补金额（元）"]
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["C"].width >= 30
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    results = awarded(scored)
    assert [r[0] for r in rows[:-1]] == TIER_ORDER == [r.tier for r in results]
    for row, result in zip(rows, results, strict=False):
        assert row[1] == result.rank
        assert row[3] == result.entry.project.applicant_union.name
        assert Decimal(str(row[4])) == result.final_score
        assert Decimal(str(row[5])) == result.amount
    assert rows[1][2] == "'" + INJECTION  # a formula in a title stays text
    total = rows[-1]
    assert total[0] == "合计" and Decimal(str(total[5])) == sum(r.amount for r in results) == Decimal(310000)
    money_cell = ws.cell(row=3, column=6)
    assert isinstance(money_cell.value, (int, float)) and money_cell.number_format == "#,##0.00"


def test_awards_csv_has_bom_neutralised_formulas_and_the_total(admin_client, scored):
    response = export(admin_client, scored, "awards", "csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == attachment_header(f"{scored.title}-获奖名单.csv")
    rows = csv_rows(body(response))
    assert rows[0] == ["等次", "名次", "项目名称", "申报单位", "最终得分", "奖补金额（元）"]
    results = awarded(scored)
    assert [r[0] for r in rows[1:-1]] == TIER_ORDER
    assert [Decimal(r[5]) for r in rows[1:-1]] == [r.amount for r in results]
    titles = [r[2] for r in rows[1:-1]]
    assert titles[1] == "'" + INJECTION
    assert titles[2].startswith("'+cmd") and titles[3].startswith("'-")
    assert not any(t.startswith(("=", "+", "-", "@")) for row in rows for t in row)
    assert rows[-1][0] == "合计" and Decimal(rows[-1][5]) == Decimal("310000.00")


def test_awards_pdf_names_every_awarded_project_with_tier_and_amount(admin_client, scored, settings):
    settings.EXPORT_NOTICE_TITLE = "关于表彰{year}年度优秀项目的通报"
    response = export(admin_client, scored, "awards", "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == attachment_header(f"{scored.title}-获奖名单.pdf")
    _reader, text = pdf(body(response))
    flat = squeeze(text)
    assert "关于表彰2026年度优秀项目的通报" in flat
    assert "获奖名单" in flat and "第1页/共1页" in flat
    for result in awarded(scored):
        assert squeeze(result.entry.project.title) in flat
        assert f"{result.amount:,.2f}" in flat
    assert flat.index("特优") < flat.index("一等") < flat.index("二等") < flat.index("三等")
    assert "310,000.00" in flat
    assert "@SUM(1+1)" not in flat  # the entry without a tier is not on the award list


# --- ranking --------------------------------------------------------------------------------


def ranking_rows(roadshow):
    return list(Result.objects.filter(roadshow=roadshow).select_related("entry__project").order_by("rank"))


def test_ranking_xlsx_lists_every_entry_with_averages_cards_and_tier(admin_client, scored):
    ws = workbook(body(export(admin_client, scored, "ranking", "xlsx"))).active
    header = [c.value for c in ws[2]]
    assert header[:4] == ["名次", "项目名称", "申报单位", "最终得分"]
    assert header[4].startswith("组织管理") and header[-3:] == ["有效评分表", "等次", "奖补金额（元）"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    results = ranking_rows(scored)
    assert len(rows) == len(results) == 5
    criteria = list(scored.rubric.criteria.all())
    for row, result in zip(rows, results, strict=True):
        assert row[0] == result.rank and Decimal(str(row[3])) == result.final_score
        assert [Decimal(str(v)) for v in row[4:8]] == [Decimal(result.per_criterion[str(c.pk)]) for c in criteria]
        assert row[8] == result.card_count
        assert (row[9] or "") == result.tier
    assert rows[1][8] == 2  # the recused juror's card is missing


def test_ranking_csv_and_pdf_agree_with_the_results(admin_client, scored):
    rows = csv_rows(body(export(admin_client, scored, "ranking", "csv")))
    results = ranking_rows(scored)
    assert [int(r[0]) for r in rows[1:]] == [r.rank for r in results]
    assert [Decimal(r[3]) for r in rows[1:]] == [r.final_score for r in results]
    assert [r[-2] for r in rows[1:]] == [r.tier for r in results]
    _reader, text = pdf(body(export(admin_client, scored, "ranking", "pdf")))
    flat = squeeze(text)
    assert "评审排名表" in flat
    for result in results:
        assert f"{result.final_score:.2f}" in flat


# --- score sheets ---------------------------------------------------------------------------


def test_scoresheets_xlsx_has_one_worksheet_per_juror_with_recusal_and_signature(admin_client, scored, scored_show):
    wb = workbook(body(export(admin_client, scored, "scoresheets", "xlsx")))
    jurors = scored_show.jurors
    assert wb.sheetnames == [j.name for j in sorted(jurors, key=lambda j: j.pk)]
    third = wb[jurors[2].name]
    assert third.freeze_panes == "A3"
    rows = list(third.iter_rows(min_row=3, values_only=True))
    entries = rows[:5]
    assert [r[0] for r in entries] == [1, 2, 3, 4, 5]
    assert entries[1][-1] == "回避" and entries[1][3] is None
    assert entries[0][-1] == "已提交" and Decimal(str(entries[0][7])) == Decimal(85)  # juror 3 gave 85
    assert "评语" in entries[0][8]
    assert any(r and r[0] and "评委签名" in str(r[0]) for r in rows)
    first = list(wb[jurors[0].name].iter_rows(min_row=3, max_row=7, values_only=True))
    assert [Decimal(str(r[7])) for r in first] == [Decimal(v) for v in ("95", "85", "80", "70", "60")]


def test_scoresheets_csv_prefixes_the_juror_and_marks_recusal(admin_client, scored, scored_show):
    rows = csv_rows(body(export(admin_client, scored, "scoresheets", "csv")))
    assert rows[0][0] == "评委" and rows[0][-1] == "状态"
    assert len(rows) == 1 + 3 * 5
    recused = [r for r in rows[1:] if r[-1] == "回避"]
    assert len(recused) == 1 and recused[0][0] == scored_show.jurors[2].name and recused[0][1] == "2"


def test_scoresheets_pdf_has_one_page_per_juror(admin_client, scored, scored_show):
    reader, text = pdf(body(export(admin_client, scored, "scoresheets", "pdf")))
    assert len(reader.pages) == len(scored_show.jurors) == 3
    third = squeeze(reader.pages[2].extract_text())
    assert scored_show.jurors[2].name in third and "回避" in third and "评委签名" in third


# --- payouts --------------------------------------------------------------------------------


def test_payouts_xlsx_subtotals_per_county_and_grand_total_equal_the_payouts(admin_client, finalized, unions):
    ws = workbook(body(export(admin_client, finalized, "payouts", "xlsx"))).active
    assert [c.value for c in ws[2]][:2] == ["所属县（市、区）", "申报单位"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r and r[0]]
    payouts = list(Payout.objects.filter(roadshow=finalized))
    by_union = {}
    for p in payouts:
        by_union[p.project.applicant_union.name] = by_union.get(p.project.applicant_union.name, 0) + p.amount
    union_rows = {r[1]: Decimal(str(r[4])) for r in rows if r[1]}
    assert union_rows == by_union
    subtotals = {r[0]: Decimal(str(r[4])) for r in rows if str(r[0]).endswith("小计")}
    assert subtotals == {f"{unions['county_a'].name} 小计": Decimal(230000),
                         f"{unions['county_b'].name} 小计": Decimal(80000)}
    total = next(r for r in rows if r[0] == "合计")
    assert Decimal(str(total[4])) == sum(p.amount for p in payouts) == Decimal(310000)
    assert total[2] == len(payouts) == 4


def test_payouts_csv_and_pdf_carry_the_same_totals(admin_client, finalized):
    rows = csv_rows(body(export(admin_client, finalized, "payouts", "csv")))
    assert rows[-1][0] == "合计" and Decimal(rows[-1][4]) == Decimal("310000.00")
    assert sum(Decimal(r[4]) for r in rows[1:] if r[0].endswith("小计")) == Decimal("310000.00")
    _reader, text = pdf(body(export(admin_client, finalized, "payouts", "pdf")))
    flat = squeeze(text)
    assert "补贴拨付表" in flat and "310,000.00" in flat and "230,000.00" in flat and "小计" in flat


# --- certificates ---------------------------------------------------------------------------


def test_certificates_pdf_has_one_page_per_awarded_project(admin_client, scored):
    response = export(admin_client, scored, "certificates", "pdf")
    assert response["Content-Disposition"] == attachment_header(f"{scored.title}-荣誉证书.pdf")
    reader, _text = pdf(body(response))
    results = awarded(scored)
    assert len(reader.pages) == len(results) == 4
    for page, result in zip(reader.pages, results, strict=True):
        text = squeeze(page.extract_text())
        assert "荣誉证书" in text
        assert result.tier in text and squeeze(result.entry.project.applicant_union.name) in text


def test_certificates_exist_as_pdf_only(admin_client, scored):
    response = export(admin_client, scored, "certificates", "xlsx")
    assert response.status_code == 400 and "format" in response.json()


# --- the writers' fast path -------------------------------------------------------------------


def test_xlsx_body_cells_keep_their_column_styles_and_carry_nothing_from_the_row_above(admin_client, scored):
    """The writer reuses one styled cell per column for every row: each cell still has its
    border, number format and wrap, the total row is bold on grey, and an empty cell of the
    total row is empty (not the rank of the row above)."""
    ws = workbook(body(export(admin_client, scored, "awards", "xlsx"))).active
    last = ws.max_row
    total = {c.column: c for c in ws[last]}
    assert total[1].value == "合计" and total[2].value is None and total[5].value is None
    for cell in total.values():
        assert cell.font.b and cell.fill.fgColor.rgb.endswith("F2F2F2") and cell.border.left.style == "thin"
    first = {c.column: c for c in ws[3]}
    assert not first[3].font.b and first[3].fill.fill_type is None and first[3].alignment.wrap_text
    assert first[5].number_format == "0.00" and first[6].number_format == "#,##0.00"
    assert first[2].number_format == "General" and first[2].border.left.style == "thin"
    assert all(ws.cell(row=r, column=3).value for r in range(3, last))  # every title is there


def test_csv_cells_neutralise_text_and_write_decimals_in_plain_notation():
    from exports.writers import _csv_cells

    cells = ["=1+1", "+x", "-y", "@z", "\tt", "\rr", "普通", "", None, 3, Decimal("1E+2"), Decimal("0.50")]
    assert _csv_cells(cells) == ["'=1+1", "'+x", "'-y", "'@z", "'\tt", "'\rr", "普通", "", None, 3, "100",
                                 "0.50"]
