"""Issue 13, item 2, as reported: a juror moved into an applicant's union on the user page
could still submit the card of that union's entry through the API (200). Now the card is gone:
the submit is a 404, and the juror's card list no longer offers it."""

from django.urls import reverse

from evaluations.models import Scorecard

from tests.factories import scores_body


def test_a_juror_moved_into_the_applicants_union_can_no_longer_submit_its_card(client, api_as, people, tree,
                                                                                scoring, jurors):
    juror = jurors[0]
    card = Scorecard.objects.get(entry__roadshow=scoring, juror=juror, entry__project__title="职工书屋")
    client.force_login(people["admin"])
    response = client.post(reverse("members:user_edit", args=[juror.pk]), {
        "username": juror.username, "name": juror.name, "union": tree["town_a1"].pk, "roles": ["juror"],
        "juror_kind": "expert",
        "is_active": "on"})
    assert response.status_code == 302

    api = api_as(juror)
    response = api.post(f"/api/v1/scorecards/{card.pk}/submit/", {"scores": scores_body(scoring)}, format="json")
    assert response.status_code == 404
    listed = api.get("/api/v1/scorecards/", {"roadshow": scoring.pk}).json()["results"]
    assert [c["project_title"] for c in listed] == ["安康杯竞赛"]
