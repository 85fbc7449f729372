"""API.md attachments: upload checked by content, list, download as an attachment to who can see."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.enums import ProjectStatus
from projects.models import Attachment
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(tree, campaign):
    return ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"])


def upload(client, project, name, content, content_type="application/octet-stream"):
    return client.post(f"/api/v1/projects/{project.pk}/attachments/",
                       {"file": SimpleUploadedFile(name, content, content_type=content_type)}, format="multipart")


def test_a_real_pdf_is_accepted_and_stored_under_a_server_made_name(api_as, people, draft, media):
    response = upload(api_as(people["staff_a1"]), draft, "项目申报书.pdf", PDF)
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get()
    body = response.json()
    assert {k: body[k] for k in ("id", "name", "size", "content_type")} == {
        "id": attachment.pk, "name": "项目申报书.pdf", "size": len(PDF), "content_type": "application/pdf"}
    assert "项目申报书" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
    assert (media / attachment.file.name).read_bytes() == PDF


def test_a_png_is_accepted(api_as, people, draft):
    response = upload(api_as(people["staff_a1"]), draft, "现场照片.png", PNG, "image/png")
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"


def test_a_renamed_exe_is_refused(api_as, people, draft):
    response = upload(api_as(people["staff_a1"]), draft, "申报书.pdf", EXE, "application/pdf")
    assert response.status_code == 400
    assert list(response.json()) == ["file"]
    assert response.json()["file"][0]
    assert not Attachment.objects.exists()


def test_an_unknown_type_is_refused(api_as, people, draft):
    response = upload(api_as(people["staff_a1"]), draft, "说明.txt", "纯文本说明".encode(), "text/plain")
    assert response.status_code == 400
    assert "txt" in response.json()["file"][0]
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused(api_as, people, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 64
    response = upload(api_as(people["staff_a1"]), draft, "大文件.pdf", PDF + b"%" * 100)
    assert response.status_code == 400
    assert "file" in response.json()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("data", [{}, {"file": "not a file"}])
def test_a_missing_file_is_400(api_as, people, draft, data):
    response = api_as(people["staff_a1"]).post(f"/api/v1/projects/{draft.pk}/attachments/", data,
                                               format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_an_empty_file_is_400(api_as, people, draft):
    response = upload(api_as(people["staff_a1"]), draft, "空.pdf", b"")
    assert response.status_code == 400
    assert "file" in response.json()


def test_a_json_body_is_not_an_upload(api_as, people, draft):
    response = api_as(people["staff_a1"]).post(f"/api/v1/projects/{draft.pk}/attachments/", {"file": "x"},
                                               format="json")
    assert response.status_code == 415


def test_attachments_are_listed_to_who_sees_the_project(api_as, people, draft):
    upload(api_as(people["staff_a1"]), draft, "申报书.pdf", PDF)
    upload(api_as(people["staff_a1"]), draft, "照片.png", PNG)
    response = api_as(people["county_admin_a"]).get(f"/api/v1/projects/{draft.pk}/attachments/")
    assert response.status_code == 200
    assert [a["name"] for a in response.json()] == ["申报书.pdf", "照片.png"]
    assert response.json()[0]["download_url"].endswith(f"/api/v1/attachments/{response.json()[0]['id']}/download/")
    assert api_as(people["staff_b"]).get(f"/api/v1/projects/{draft.pk}/attachments/").status_code == 404


def test_download_is_an_attachment_with_the_chinese_name_encoded(api_as, people, draft):
    client = api_as(people["staff_a1"])
    attachment_id = upload(client, draft, "无锡 项目申报书.pdf", PDF).json()["id"]
    response = client.get(f"/api/v1/attachments/{attachment_id}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('无锡 项目申报书.pdf')}" in disposition
    assert "无锡" not in disposition  # no raw non-ASCII in the header


def test_the_admin_downloads_once_the_project_is_filed(api_as, people, draft):
    attachment_id = upload(api_as(people["staff_a1"]), draft, "申报书.pdf", PDF).json()["id"]
    url = f"/api/v1/attachments/{attachment_id}/download/"
    assert api_as(people["admin"]).get(url).status_code == 404  # a draft is not the admin's yet
    type(draft).objects.filter(pk=draft.pk).update(status=ProjectStatus.SUBMITTED)
    assert api_as(people["admin"]).get(url).status_code == 200


@pytest.mark.parametrize("who", ["staff_b", "county_admin_b", "juror"])
def test_who_cannot_see_the_project_gets_404_on_download(api_as, people, draft, who):
    attachment_id = upload(api_as(people["staff_a1"]), draft, "申报书.pdf", PDF).json()["id"]
    assert api_as(people[who]).get(f"/api/v1/attachments/{attachment_id}/download/").status_code == 404


def test_anonymous_download_is_401(api, api_as, people, draft):
    attachment_id = upload(api_as(people["staff_a1"]), draft, "申报书.pdf", PDF).json()["id"]
    api.logout()
    assert api.get(f"/api/v1/attachments/{attachment_id}/download/").status_code == 401


@pytest.mark.parametrize("pk", ["424242", "99999999999999999999999999"])
def test_unknown_attachment_is_404(api_as, people, pk):
    assert api_as(people["admin"]).get(f"/api/v1/attachments/{pk}/download/").status_code == 404


def test_a_file_missing_from_disk_is_404_not_500(api_as, people, draft, media):
    client = api_as(people["staff_a1"])
    attachment_id = upload(client, draft, "申报书.pdf", PDF).json()["id"]
    (media / Attachment.objects.get().file.name).unlink()
    assert client.get(f"/api/v1/attachments/{attachment_id}/download/").status_code == 404


def test_no_attachment_once_submitted(api_as, people, tree, campaign):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED)
    response = upload(api_as(people["staff_a1"]), project, "申报书.pdf", PDF)
    assert response.status_code == 409
    assert response.json()["state"] == "submitted"
