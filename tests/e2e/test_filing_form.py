"""The filing form's first screen in a real browser (issue 20 item 6, issue 22 item 8): attachments
with the first draft, with a progress bar; what submission needs is checked before the
"提交后不能修改" confirmation."""

import re

import pytest
from playwright.sync_api import expect

from members.enums import UnionLevel
from projects.models import Attachment, Project
from tests.factories import PASSWORD, CampaignFactory, StaffFactory, UnionFactory

from .browser import login, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    city = UnionFactory(name="无锡市总工会", short_name="市总", level=UnionLevel.MUNICIPAL)
    jiangyin = UnionFactory(name="江阴市总工会", short_name="江阴", level=UnionLevel.COUNTY, parent=city)
    StaffFactory(username="jy_staff", name="张申报", union=jiangyin)
    return CampaignFactory(owner_union=city, title="2026年度无锡工会创新工作项目")


def test_submit_checks_the_required_fields_before_the_confirmation(world, live_server, new_context):
    page = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, live_server, "jy_staff", PASSWORD)
    page.goto(f"{live_server.url}/projects/new/?campaign={world.pk}")
    page.fill("input[name=title]", "职工技能夜校")
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_timeout(300)
    assert dialogs == []  # nothing asked: the form says what is missing first
    expect(page.locator("#id_summary")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_category")).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".required-for-submit").first).to_have_text("提交申报前请填写此项。")
    shot(page, "filing_required_before_confirm_phone")
    page.select_option("#id_category", index=1)
    page.fill("#id_summary", "每周两晚开设技能课程。")
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_timeout(300)
    assert dialogs == ["确认提交申报？提交后不能修改。"]  # complete: now it asks (and was told no)
    assert not Project.objects.exists()


def test_first_draft_with_files_shows_upload_progress(world, live_server, new_context, tmp_path):
    context = new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    login(page, live_server, "jy_staff", PASSWORD)
    big = tmp_path / "申报书.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n")
    page.goto(f"{live_server.url}/projects/new/?campaign={world.pk}")
    page.fill("input[name=title]", "职工技能夜校")
    page.select_option("#id_category", index=1)
    page.set_input_files("input[name=files]", str(big))
    # A slow uplink, so that the bar is there to be seen.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1024 * 1024})
    page.get_by_role("button", name="保存草稿").click()
    bar = page.locator(".upload-progress")
    expect(bar).to_be_visible()
    shot(page, "filing_upload_progress")
    page.wait_for_url("**/projects/*/", timeout=60_000)
    expect(page.locator(".alert-success")).to_contain_text("草稿已保存")
    project = Project.objects.get()
    assert [a.name for a in Attachment.objects.filter(project=project)] == ["申报书.pdf"]
    expect(page.get_by_text("申报书.pdf")).to_be_visible()
