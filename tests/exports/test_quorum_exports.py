"""Every export of a roadshow closed below quorum prints the override reason, and the ranking
lists the entry nobody scored as 无有效评分, unranked (issue 13) — in XLSX, CSV and PDF."""

import pytest

from awards import services as award_services
from tests.exports.roadshows import computed_roadshow

from .helpers import body, csv_rows, export, pdf, squeeze, workbook

REASON = "第三个项目的申报单位当天弃权"


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def below_quorum(admin, campaign, unions, django_capture_on_commit_callbacks):
    entries = [(unions["county_a"], "职工创新工作室建设", ["95", "90", "85"]),
               (unions["county_b"], "安康杯竞赛", ["80", "80", "80"]),
               (unions["town_a1"], "弃权的项目", [None, None, None])]
    with django_capture_on_commit_callbacks(execute=True):
        show, job = computed_roadshow(admin, campaign, entries, close_reason=REASON)
        roadshow = show.roadshow
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    return roadshow


def cells(sheet):
    return [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]


def test_the_ranking_in_every_format_lists_the_unscored_entry_and_the_reason(admin_client, below_quorum):
    book = workbook(body(export(admin_client, below_quorum, "ranking", "xlsx")))
    rows = cells(book.worksheets[0])
    unscored = next(r for r in rows if "弃权的项目" in r)
    assert unscored[:3] == ["弃权的项目", "江阴市澄江街道总工会", "无有效评分"]  # no rank: the cell is empty
    assert any(REASON in str(c) and "“弃权的项目”0 份（法定 2 份）" in str(c) for r in rows for c in r)

    lines = csv_rows(body(export(admin_client, below_quorum, "ranking", "csv")))
    row = next(r for r in lines if "弃权的项目" in r)
    assert row[0] == "" and row[3] == "无有效评分" and row[-3:] == ["0", "", "0.00"]
    assert [r.index("弃权的项目") if "弃权的项目" in r else None for r in lines[1:4]] == [None, None, 1]
    assert any(REASON in c for r in lines for c in r)

    _reader, text = pdf(body(export(admin_client, below_quorum, "ranking", "pdf")))
    flat = squeeze(text)
    assert "弃权的项目" in flat and "无有效评分" in flat and REASON in flat


@pytest.mark.parametrize("kind, fmt", [
    ("awards", "xlsx"), ("awards", "csv"), ("awards", "pdf"), ("scoresheets", "xlsx"), ("scoresheets", "csv"),
    ("scoresheets", "pdf"), ("payouts", "xlsx"), ("payouts", "csv"), ("payouts", "pdf"), ("certificates", "pdf"),
])
def test_every_export_prints_the_override_reason(admin, admin_client, below_quorum, kind, fmt):
    if kind == "payouts":  # payout tables exist once finalised
        award_services.finalize(actor=admin, roadshow=below_quorum)
    response = export(admin_client, below_quorum, kind, fmt)
    assert response.status_code == 200, response.content[:300]
    data = body(response)
    if fmt == "xlsx":
        book = workbook(data)
        for sheet in book.worksheets:
            assert any(REASON in str(c) for r in cells(sheet) for c in r), sheet.title
    elif fmt == "csv":
        assert any(REASON in c for r in csv_rows(data) for c in r)
    else:
        _reader, text = pdf(data)
        assert REASON in squeeze(text)
