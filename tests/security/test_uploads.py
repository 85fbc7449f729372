"""Uploads: a PNG that is also an HTML page (a polyglot) is accepted as the PNG it is, stored
under a name the server makes, and always served as a download that no browser renders: on the
project attachment route and on the juror's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Scorecard
from projects.enums import ProjectStatus
from projects.models import Attachment
from tests.factories import ProjectFactory

from .samples import POLYGLOT


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def assert_served_as_a_download(response, name):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"] or "filename*=" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == POLYGLOT


def test_a_polyglot_uploaded_on_the_project_page_is_served_as_a_png_download(client_for, people, tree, campaign,
                                                                             media):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.DRAFT)
    staff = client_for(people["staff_a"])
    response = staff.post(reverse("projects:attachment-upload", args=[project.pk]),
                          {"file": SimpleUploadedFile("../../evil.png", POLYGLOT, content_type="text/html")})
    assert response.status_code == 302
    attachment = Attachment.objects.get(project=project)
    # The type is the content's, the user's path is gone, the stored name is the server's.
    assert attachment.content_type == "image/png"
    assert attachment.name == "evil.png"
    assert ".." not in attachment.file.name and "evil" not in attachment.file.name
    assert attachment.file.name.startswith(f"attachments/{campaign.pk}/{project.pk}/")
    url = reverse("projects:attachment-download", args=[attachment.pk])
    assert_served_as_a_download(staff.get(url), "evil.png")
    # A draft's file stays with its union.
    assert client_for(people["staff_b"]).get(url).status_code == 404


def test_a_polyglot_is_served_to_a_juror_as_a_png_download(client_for, scoring, jurors, media):
    card = Scorecard.objects.filter(entry__roadshow=scoring, juror=jurors[0]).select_related("entry").first()
    attachment = Attachment(project=card.entry.project, name="现场照片.png", size=len(POLYGLOT),
                            content_type="image/png")
    attachment.file.save("photo.png", SimpleUploadedFile("photo.png", POLYGLOT), save=True)
    response = client_for(jurors[0]).get(reverse("evaluations:attachment-download", args=[attachment.pk]))
    assert_served_as_a_download(response, "现场照片.png")


def test_an_html_page_named_png_is_refused(client_for, people, tree, campaign, media):
    project = ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], status=ProjectStatus.DRAFT)
    response = client_for(people["staff_a"]).post(
        reverse("projects:attachment-upload", args=[project.pk]),
        {"file": SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")}, follow=True)
    assert response.status_code == 200
    assert not Attachment.objects.filter(project=project).exists()


def test_media_files_are_never_served_by_url(client_for, people, settings):
    assert settings.MEDIA_URL == "/media-not-served/"
    assert client_for(people["admin"]).get("/media-not-served/attachments/x.png").status_code == 404
