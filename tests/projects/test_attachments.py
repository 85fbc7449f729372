"""Attachments: the type is read from the bytes, the name is cleaned, the stored path is the
server's own, and only the applicant union's staff may attach to a proposal being edited."""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.attachments import OLE_MAGIC, check_upload, clean_filename
from projects.enums import ProjectStatus
from unionproj.errors import WorkflowError
from projects.models import Attachment
from tests.factories import ProjectFactory

# --- real minimal files -----------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _png_chunk(b"IEND", b"")
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"
OLE_DOC = OLE_MAGIC + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def _ooxml(part, first=None):
    """A minimal Office Open XML package: a zip with [Content_Types].xml and the main part."""
    buffer = io.BytesIO()

    def put(archive, name, text):
        # A fixed timestamp keeps the bytes, and so the test ids, the same in every process
        # (pytest-xdist workers must collect identical ids).
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, text)

    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            put(archive, first, "<x/>")
        put(archive, "[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        put(archive, "_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        put(archive, part, '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


DOCX = _ooxml("word/document.xml")
XLSX = _ooxml("xl/workbook.xml")
PPTX = _ooxml("ppt/presentation.xml")


def upload(name, data, content_type="application/octet-stream"):
    # The browser's content type is the client's claim; the check must not rely on it.
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(campaign, actors, tree):
    return ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])


# --- check_upload -------------------------------------------------------------------------------


@pytest.mark.parametrize("name,data,content_type", [
    ("项目申报书.pdf", PDF, "application/pdf"),
    ("现场照片.png", PNG, "image/png"),
    ("现场照片.JPG", JPEG, "image/jpeg"),
    ("现场照片.jpeg", JPEG, "image/jpeg"),
    ("申报书.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("预算表.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("路演.pptx", PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("旧申报书.doc", OLE_DOC, "application/msword"),
    ("旧预算表.xls", OLE_DOC, "application/vnd.ms-excel"),
    ("旧路演.ppt", OLE_DOC, "application/vnd.ms-powerpoint"),
    ("宣传片.mp4", MP4, "video/mp4"),
])
def test_real_files_of_every_allowed_type_are_accepted(name, data, content_type):
    assert check_upload(upload(name, data)) == (name, content_type)


@pytest.mark.parametrize("name,part", [
    ("申报书.docx", "word/document.xml"), ("预算表.xlsx", "xl/workbook.xml"), ("路演.pptx", "ppt/presentation.xml"),
])
def test_an_office_file_whose_first_zip_entry_is_unusual_is_still_recognised(name, part):
    # Some tools write another part first; the generic sniffer then only sees "a zip".
    assert check_upload(upload(name, _ooxml(part, first="mimetype")))[0] == name


@pytest.mark.parametrize("name,data", [
    ("申报书.pdf", EXE),  # a renamed program
    ("照片.pdf", PNG),  # a real picture, wrong name
    ("申报书.docx", PDF),
    ("预算表.xlsx", DOCX),  # a Word file is not a spreadsheet
    ("申报书.docx", OLE_DOC),  # a legacy file called new
    ("压缩包.docx", b"PK\x05\x06" + b"\x00" * 18),  # an empty zip
    ("照片.png", JPEG),
    ("视频.mp4", PDF),
    ("文本.pdf", "只是一段文字".encode()),
])
def test_content_that_does_not_match_the_name_is_refused(name, data):
    with pytest.raises(ValidationError) as err:
        check_upload(upload(name, data))
    assert "内容与扩展名不符" in err.value.messages[0]


@pytest.mark.parametrize("name", ["说明.txt", "程序.exe", "网页.html", "无扩展名", "脚本.pdf.js"])
def test_unknown_types_are_refused(name):
    with pytest.raises(ValidationError) as err:
        check_upload(upload(name, PDF))
    assert "不支持的文件类型" in err.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as err:
        check_upload(upload("空.pdf", b""))
    assert "空文件" in err.value.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as err:
        check_upload(upload("大文件.pdf", PDF))
    assert "超过大小上限" in err.value.messages[0]
    settings.ATTACHMENT_MAX_BYTES = len(PDF)
    assert check_upload(upload("刚好.pdf", PDF))[0] == "刚好.pdf"


def test_the_default_limit_is_50_mb(settings):
    assert settings.ATTACHMENT_MAX_BYTES == 50 * 1024 * 1024


@pytest.mark.parametrize("raw,clean", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\x\\报告.pdf", "报告.pdf"),
    ("/abs/path/申报书.pdf", "申报书.pdf"),
    ("a\x00b.pdf", "a_b.pdf"),
    ("  点结尾.pdf. ", "点结尾.pdf"),
    ("..", "file"),
    ("", "file"),
])
def test_file_names_lose_any_path_and_control_characters(raw, clean):
    assert clean_filename(raw) == clean


def test_the_check_reads_the_whole_upload_from_the_start_again():
    uploaded = upload("申报书.pdf", PDF)
    uploaded.read(5)
    check_upload(uploaded)
    assert uploaded.read() == PDF


# --- add_attachment -----------------------------------------------------------------------------


def test_the_applicant_attaches_a_pdf_under_a_server_made_path(draft, actors, campaign, tmp_path):
    attachment = services.add_attachment(actor=actors["applicant_staff"], project=draft,
                                         uploaded=upload("../../etc/passwd.pdf", PDF))
    attachment.refresh_from_db()
    assert attachment.name == "passwd.pdf"
    assert attachment.size == len(PDF)
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == actors["applicant_staff"]
    assert re.fullmatch(rf"attachments/{campaign.pk}/{draft.pk}/[0-9a-f]{{32}}\.pdf", attachment.file.name)
    assert "passwd" not in attachment.file.name
    stored = tmp_path / attachment.file.name
    assert stored.read_bytes() == PDF


def test_a_chinese_windows_path_keeps_only_the_base_name(draft, actors):
    attachment = services.add_attachment(actor=actors["applicant_staff"], project=draft,
                                         uploaded=upload("C:\\x\\报告.pdf", PDF))
    assert attachment.name == "报告.pdf"
    assert "报告" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")


def test_two_files_of_the_same_name_are_stored_apart(draft, actors):
    first = services.add_attachment(actor=actors["applicant_staff"], project=draft, uploaded=upload("照片.png", PNG))
    second = services.add_attachment(actor=actors["applicant_staff"], project=draft, uploaded=upload("照片.png", PNG))
    assert first.file.name != second.file.name
    assert draft.attachments.count() == 2


def test_a_refused_file_writes_nothing(draft, actors, tmp_path):
    with pytest.raises(ValidationError):
        services.add_attachment(actor=actors["applicant_staff"], project=draft, uploaded=upload("申报书.pdf", EXE))
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("state", [ProjectStatus.DRAFT, ProjectStatus.RETURNED])
def test_attaching_is_allowed_while_the_proposal_is_editable(state, campaign, tree, actors):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    services.add_attachment(actor=actors["applicant_staff"], project=project, uploaded=upload("a.pdf", PDF))
    assert project.attachments.count() == 1


@pytest.mark.parametrize("state", [ProjectStatus.SUBMITTED, ProjectStatus.APPROVED, ProjectStatus.CLOSED])
def test_attaching_to_a_filed_project_is_a_conflict(state, campaign, tree, actors):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    with pytest.raises(WorkflowError) as err:
        services.add_attachment(actor=actors["applicant_staff"], project=project, uploaded=upload("a.pdf", PDF))
    assert err.value.state == state
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("who", ["sibling_staff", "staff_above", "county_admin_above", "campaign_admin", "juror",
                                 "superuser"])
def test_only_the_applicant_unions_staff_may_attach(who, draft, actors):
    with pytest.raises(PermissionDenied):
        services.add_attachment(actor=actors[who], project=draft, uploaded=upload("a.pdf", PDF))
    assert not Attachment.objects.exists()


def test_permission_is_checked_before_the_file(draft, actors):
    # a stranger learns nothing about the project from the error
    with pytest.raises(PermissionDenied):
        services.add_attachment(actor=actors["sibling_staff"], project=draft, uploaded=upload("a.txt", b"x"))


def test_deleting_an_attachment_removes_the_row_and_the_file(draft, actors, tmp_path, django_capture_on_commit_callbacks):
    attachment = services.add_attachment(actor=actors["applicant_staff"], project=draft, uploaded=upload("a.pdf", PDF))
    stored = tmp_path / attachment.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_attachment(actor=actors["applicant_staff"], attachment=attachment)
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_deleting_an_attachment_of_a_filed_project_is_a_conflict(draft, actors, tmp_path):
    attachment = services.add_attachment(actor=actors["applicant_staff"], project=draft, uploaded=upload("a.pdf", PDF))
    type(draft).objects.filter(pk=draft.pk).update(status=ProjectStatus.SUBMITTED)
    with pytest.raises(WorkflowError):
        services.delete_attachment(actor=actors["applicant_staff"], attachment=attachment)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert (tmp_path / attachment.file.name).exists()
