"""Exports in a real browser: from the results page the admin opens the export page and
downloads the award list (XLSX) and the award certificates (PDF); both files open."""

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from awards import services as award_services
from members.enums import UnionLevel
from tests.exports.roadshows import computed_roadshow
from tests.factories import PASSWORD, AdminFactory, CampaignFactory, UnionFactory

from .browser import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("eager_celery")]  # jobs (the compute) run in process


@pytest.fixture
def finalized(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    yixing = UnionFactory(name="宜兴市总工会", short_name="宜兴", level=UnionLevel.COUNTY, parent=city)
    campaign = CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")
    admin = AdminFactory(username="city_admin", name="李管理", union=city)
    show, job = computed_roadshow(admin, campaign, [
        (jiangyin, "“江阴职工之家”网上入会", ["95", "90", "85"]),
        (yixing, "宜兴安康杯竞赛", ["85", "85", "80"]),
        (jiangyin, "职工书屋进车间", ["80", "78", "76"]),
        (yixing, "困难职工精准帮扶", ["70", "72", "68"]),
        (jiangyin, "工会财务规范化", ["60", "62", "58"]),
    ], title="2026年度路演展评")
    roadshow = show.roadshow
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    award_services.finalize(actor=admin, roadshow=roadshow)
    return {"admin": admin, "roadshow": roadshow}


def test_admin_downloads_award_list_and_certificates_from_the_results_page(desktop, live_server, finalized,
                                                                           tmp_path):
    page = desktop
    roadshow = finalized["roadshow"]
    login(page, live_server, finalized["admin"].username, PASSWORD)
    page.goto(f"{live_server.url}/roadshows/{roadshow.pk}/results/")
    with page.expect_navigation():
        page.click("[data-testid=exports-link]")
    assert page.url.endswith(f"/roadshows/{roadshow.pk}/exports/")

    with page.expect_download() as download_info:
        page.click("[data-testid=export-awards-xlsx]")
    download = download_info.value
    assert download.suggested_filename == "2026年度路演展评-获奖名单.xlsx"
    xlsx = tmp_path / "awards.xlsx"
    download.save_as(xlsx)
    ws = load_workbook(xlsx).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows[:4]] == ["特优", "一等", "二等", "三等"]
    assert rows[0][2] == "“江阴职工之家”网上入会"
    assert rows[-1][0] == "合计" and rows[-1][5] == 310000

    with page.expect_download() as download_info:
        page.click("[data-testid=export-certificates-pdf]")
    download = download_info.value
    assert download.suggested_filename == "2026年度路演展评-荣誉证书.pdf"
    pdf = tmp_path / "certificates.pdf"
    download.save_as(pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 4
    assert "荣誉证书" in "".join(reader.pages[0].extract_text().split())
    shot(page, "exports-page")


def test_a_slow_pdf_shows_that_it_is_being_made_until_the_download_starts(finalized, live_server, desktop):
    page = desktop
    roadshow = finalized["roadshow"]
    login(page, live_server, finalized["admin"].username, PASSWORD)
    page.goto(f"{live_server.url}/roadshows/{roadshow.pk}/exports/")
    button = page.locator("[data-testid=export-scoresheets-pdf]")
    with page.expect_download() as download_info:
        button.click()
        # Right after the click, while the server lays out the PDF: busy, with a spinner.
        assert button.get_attribute("aria-busy") == "true"
        assert button.locator(".spinner-border").count() == 1
        shot(page, "exports-pdf-in-progress")
    assert download_info.value.suggested_filename.endswith("-评分表.pdf")
    # The server's cookie names the click: the button is itself again.
    # (polled from here: the page's CSP forbids the string evaluation of wait_for_function)
    for _ in range(100):
        if button.get_attribute("aria-busy") is None:
            break
        page.wait_for_timeout(100)
    assert button.get_attribute("aria-busy") is None
    assert button.inner_text() == "PDF"
