"""No PDF export loses data: every table has fixed column widths that fit A4 (landscape when
its columns need it), and the text extracted from each PDF holds every column header whole and
every row's amount (score sheets: every row's total) — at normal size for every kind, and at
1,000 rows for the widest table (the ranking)."""

import datetime
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations import services
from awards import services as award_services
from evaluations.enums import CardStatus
from exports import content, writers
from evaluations.models import Entry, Score, Scorecard
from projects.enums import ProjectStatus
from projects.models import Project
from tests.factories import JurorFactory, UnionFactory
from unionproj.money import format_money

from tests.exports.roadshows import computed_roadshow
from tests.factories import card_scores
from .helpers import body, export, pdf, squeeze

pytestmark = pytest.mark.django_db

LONG_TITLE = "基于“互联网+”的全市职工技能提升与创新成果转化服务平台建设项目{}"
LONG_UNION = "江苏省无锡市江阴经济开发区靖江园区工业集中区企业联合工会委员会{}"
MONEY = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
PAGE_MM = {"portrait": (210, 297), "landscape": (297, 210)}


@pytest.fixture
def wide(admin, campaign, tree, django_capture_on_commit_callbacks):
    """Seven entries with long titles from unions with long names in two counties, four jurors,
    five tiers: every column of every table has something wide in it."""
    unions = [UnionFactory(name=LONG_UNION.format(i), short_name=f"长名{i}", level="grassroots",
                           parent=tree["county_a" if i % 2 else "county_b"]) for i in range(4)]
    entries = [(unions[i % 4], LONG_TITLE.format(i + 1), [str(95 - 4 * i), str(92 - 4 * i), str(90 - 4 * i),
                                                          str(88 - 4 * i)]) for i in range(7)]
    tiers = [{"name": "特优", "quota_count": 1, "amount": "1200000"},
             {"name": "一等", "quota_count": 1, "amount": "150000"},
             {"name": "二等", "quota_count": 2, "amount": "80000.50"},
             {"name": "三等", "quota_count": 1, "amount": "30000"},
             {"name": "优秀奖", "quota_count": 1, "amount": "5000"}]
    campaign.budget = Decimal("5000000.00")
    campaign.save(update_fields=["budget"])
    with django_capture_on_commit_callbacks(execute=True):
        show, job = computed_roadshow(admin, campaign, entries, jurors=4, tiers=tiers, recuse=[(3, 2)])
        roadshow = show.roadshow
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    roadshow.refresh_from_db()
    award_services.finalize(actor=admin, roadshow=roadshow)
    return roadshow


def expected(roadshow, kind):
    """The headers and the amounts each PDF must show, from the export's own content (the rows
    the XLSX and CSV files hold)."""
    document = content.build(roadshow, kind)
    headers, amounts = set(), Counter()
    for sheet in document.sheets:
        headers |= {c.header for c in sheet.columns}
        kinds = [c.kind for c in sheet.columns]
        wanted = content.MONEY if content.MONEY in kinds else content.SCORE
        column = len(kinds) - 1 - kinds[::-1].index(wanted)  # the amount, or the score sheet's total
        for row in sheet.rows:
            value = row.cells[column]
            if value is not None:
                amounts[format_money(value) if wanted == content.MONEY else f"{value:.2f}"] += 1
    return headers, amounts


def check_pdf(data, headers, amounts):
    reader, text = pdf(data)
    flat = squeeze(text)
    missing = [h for h in headers if squeeze(h) not in flat]
    assert not missing, f"headers lost: {missing}"
    # A column too narrow wraps its text one character a line ("三/等", "申/报/单/位").
    lone = [line for line in text.splitlines() if len(line.strip()) == 1 and ord(line.strip()) > 0x2E7F]
    assert not lone, f"{len(lone)} lines of one character, e.g. {lone[:5]}"
    found = Counter()
    for line in text.splitlines():
        found.update(MONEY.findall(line))
    short = {a: n for a, n in amounts.items() if found[a] < n}
    assert not short, f"amounts lost (wanted: count): {short}"
    return reader, text


def page_size(page):
    width, height = float(page.mediabox.width) * 25.4 / 72, float(page.mediabox.height) * 25.4 / 72
    return round(width), round(height)


@pytest.mark.parametrize("kind", ["awards", "ranking", "scoresheets", "payouts"])
def test_every_pdf_table_keeps_every_header_and_every_rows_amount(admin_client, wide, kind):
    headers, amounts = expected(wide, kind)
    assert amounts and headers
    response = export(admin_client, wide, kind, "pdf")
    assert response.status_code == 200
    check_pdf(body(response), headers, amounts)


def test_wide_tables_print_landscape_and_narrow_ones_portrait(admin_client, wide):
    for kind, orientation in (("ranking", "landscape"), ("scoresheets", "landscape"), ("awards", "portrait")):
        reader, _text = pdf(body(export(admin_client, wide, kind, "pdf")))
        assert {page_size(p) for p in reader.pages} == {PAGE_MM[orientation]}, kind


def test_the_award_list_amounts_use_thousands_separators(admin_client, wide):
    _reader, text = pdf(body(export(admin_client, wide, "awards", "pdf")))
    assert "1,200,000.00" in text and "80,000.50" in text and "1200000.00" not in squeeze(text)


def test_column_widths_fit_and_headers_are_never_narrower_than_their_text():
    many = [content.Column("名次", 6, content.INT), content.Column("项目名称", 40), content.Column("申报单位", 28)]
    many += [content.Column(f"评分项目{i}均分（25）", 12, content.SCORE) for i in range(10)]
    many += [content.Column("奖补金额（元）", 16, content.MONEY)]
    layout = writers.table_layout(many)
    assert layout["landscape"] and abs(sum(layout["widths"]) - 100) < 0.1
    assert writers.SMALLEST_PT <= layout["font_pt"] < writers.TABLE_PT
    scale = layout["font_pt"] / writers.TABLE_PT
    for column, width in zip(many, layout["widths"], strict=True):
        mm = writers.LANDSCAPE_MM * width / 100
        assert mm >= writers._text_units(column.header) * writers.UNIT_MM * scale, column.header


# --- 1,000 rows -----------------------------------------------------------------------------


def thousand_entries(admin, campaign, unions, n=1000):
    """A computed roadshow of ``n`` entries with long titles, two jurors, written in bulk (the
    scoring services' writes, without 2,000 service calls): the world for the 1,000-row PDF."""
    roadshow = services.create_roadshow(actor=admin, campaign=campaign, title="千项路演",
                                        date=datetime.date(2026, 6, 1))
    projects = Project.objects.bulk_create(
        Project(campaign=campaign, applicant_union=unions[i % len(unions)], status=ProjectStatus.SHORTLISTED,
                title=LONG_TITLE.format(i + 1), category="职工帮扶服务", summary="摘要",
                budget_requested=Decimal("1000.00")) for i in range(n))
    Entry.objects.bulk_create(Entry(roadshow=roadshow, project=p, order=i) for i, p in enumerate(projects, 1))
    for juror in (JurorFactory(name="评委甲"), JurorFactory(name="评委乙")):
        services.add_juror(actor=admin, roadshow=roadshow, user=juror)
    services.start_roadshow(actor=admin, roadshow=roadshow)
    cards = list(Scorecard.objects.filter(entry__roadshow=roadshow).select_related("entry"))
    per_card = {total: card_scores(roadshow, total) for total in ("70", "75", "80", "85", "90", "95")}
    Score.objects.bulk_create(Score(card=card, criterion_id=pk, value=Decimal(v)) for card in cards
                              for pk, v in per_card[("70", "75", "80", "85", "90", "95")[card.entry.order % 6]].items())
    Scorecard.objects.filter(pk__in=[c.pk for c in cards]).update(status=CardStatus.SUBMITTED,
                                                                   submitted_at=timezone.now())
    services.close_roadshow(actor=admin, roadshow=roadshow)
    award_services.save_tiers(actor=admin, roadshow=roadshow, tiers=[
        {"name": "一等", "quota_percent": "10", "amount": "1234567.89"},
        {"name": "二等", "quota_percent": "30", "amount": "50000"}])
    award_services.compute_results(roadshow_id=roadshow.pk)
    roadshow.refresh_from_db()
    return roadshow


def test_a_1000_row_ranking_pdf_keeps_every_header_and_amount(admin, campaign, tree):
    campaign.budget = Decimal("999999999.00")
    campaign.save(update_fields=["budget"])
    unions = [UnionFactory(name=LONG_UNION.format(i), short_name=f"长名{i}", level="grassroots",
                           parent=tree["county_a"]) for i in range(3)]
    roadshow = thousand_entries(admin, campaign, unions)
    headers, amounts = expected(roadshow, "ranking")
    assert sum(amounts.values()) == 1000
    out = io.BytesIO()
    writers.write_pdf(content.build(roadshow, "ranking"), out)
    reader, _text = check_pdf(out.getvalue(), headers, amounts)
    assert {page_size(p) for p in reader.pages} == {PAGE_MM["landscape"]}


def test_xlsx_keeps_amounts_as_numbers_formatted_and_csv_as_plain_decimals(admin_client, wide):
    from .helpers import csv_rows, workbook

    ws = workbook(body(export(admin_client, wide, "awards", "xlsx"))).active
    amounts = [row[5] for row in ws.iter_rows(min_row=3) if row[5].value is not None]
    assert amounts and all(isinstance(c.value, (int, float)) and c.number_format == "#,##0.00" for c in amounts)
    rows = csv_rows(body(export(admin_client, wide, "awards", "csv")))
    assert rows[1][5] == "1200000.00" and "," not in "".join(r[5] for r in rows[1:])
