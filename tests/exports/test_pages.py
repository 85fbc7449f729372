"""The export page: what each user sees, downloads through it, and the link from the results page."""

import pytest

from .helpers import attachment_header, body, csv_rows


def test_admin_sees_every_kind_and_format_and_the_certificates(client, admin, scored):
    client.force_login(admin)
    response = client.get(f"/roadshows/{scored.pk}/exports/")
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("awards", "ranking", "scoresheets"):
        for fmt in ("xlsx", "csv", "pdf"):
            assert f'data-testid="export-{kind}-{fmt}"' in html
    assert 'data-testid="export-certificates-pdf"' in html
    assert 'data-testid="export-payouts-blocked"' in html  # not finalised yet


def test_results_page_links_to_the_export_page(client, admin, scored):
    client.force_login(admin)
    html = client.get(f"/roadshows/{scored.pk}/results/").content.decode()
    assert f'href="/roadshows/{scored.pk}/exports/"' in html


def test_page_download_sends_the_file_with_a_chinese_name(client, admin, scored):
    client.force_login(admin)
    response = client.get(f"/roadshows/{scored.pk}/exports/download/", {"kind": "awards", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == attachment_header(f"{scored.title}-获奖名单.csv")
    assert csv_rows(body(response))[1][0] == "特优"


def test_page_download_before_compute_explains_instead_of_failing(client, admin, closed_roadshow):
    client.force_login(admin)
    page = client.get(f"/roadshows/{closed_roadshow.pk}/exports/")
    assert b"exports-not-computed" in page.content
    response = client.get(f"/roadshows/{closed_roadshow.pk}/exports/download/", {"kind": "awards", "format": "csv"},
                          follow=True)
    assert "尚未计算评定结果".encode() in response.content


def test_page_bad_format_is_400(client, admin, scored):
    client.force_login(admin)
    response = client.get(f"/roadshows/{scored.pk}/exports/download/", {"kind": "awards", "format": "exe"})
    assert response.status_code == 400


def test_applicant_sees_only_the_award_list_after_finalisation(client, applicant, finalized):
    client.force_login(applicant)
    html = client.get(f"/roadshows/{finalized.pk}/exports/").content.decode()
    assert 'data-testid="export-awards-xlsx"' in html
    assert "export-ranking" not in html and "export-certificates" not in html
    response = client.get(f"/roadshows/{finalized.pk}/exports/download/", {"kind": "ranking", "format": "csv"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["staff_b_unrelated", "juror"])
def test_others_are_refused_the_page(client, finalized, people, tree, who, scored_show):
    from tests.factories import StaffFactory, UnionFactory

    if who == "juror":
        user = scored_show.jurors[0]
    else:
        user = StaffFactory(username="unrelated", union=UnionFactory(name="某直属单位工会", level="direct",
                                                                     parent=tree["city"]))
    client.force_login(user)
    assert client.get(f"/roadshows/{finalized.pk}/exports/").status_code == 403


def test_page_of_an_invisible_roadshow_is_404(client, applicant, scored):
    client.force_login(applicant)  # closed, not published
    assert client.get(f"/roadshows/{scored.pk}/exports/").status_code == 404


def test_anonymous_is_sent_to_login(client, scored):
    response = client.get(f"/roadshows/{scored.pk}/exports/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_page_download_with_a_token_answers_with_the_ready_cookie(client, admin, scored):
    client.force_login(admin)
    url = f"/roadshows/{scored.pk}/exports/download/"
    response = client.get(url, {"kind": "awards", "format": "csv", "token": "abc123def456"})
    assert response.status_code == 200
    cookie = response.cookies["export_ready"]
    assert cookie.value == "abc123def456" and cookie["path"] == f"/roadshows/{scored.pk}/exports/"
    for bad in ("x", "<script>", "A" * 40):
        response = client.get(url, {"kind": "awards", "format": "csv", "token": bad})
        assert response.status_code == 200 and "export_ready" not in response.cookies
