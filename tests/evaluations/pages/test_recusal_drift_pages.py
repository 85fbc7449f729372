"""Issue 13, item 2, on the pages: the user page and the union page move a juror or a union
through the same services as everything else, so the roadshows' recusals follow or the page
refuses with the reason — and nothing is saved."""

from django.urls import reverse

from evaluations import services
from evaluations.models import Recusal, Scorecard
from members.enums import UnionLevel
from members.models import Union, User
from tests.factories import JurorFactory, RoadshowFactory, full_scores, shortlisted


def user_form(juror, union):
    return {"username": juror.username, "name": juror.name, "union": union.pk if union else "", "roles": ["juror"],
            "juror_kind": "expert",
            "is_active": "on"}


def scoring_roadshow(admin, campaign, tree, juror):
    roadshow = RoadshowFactory(actor=admin, campaign=campaign,
                               projects=[shortlisted(campaign, tree["county_a"], title="职工书屋")], jurors=[juror])
    return services.start_roadshow(actor=admin, roadshow=roadshow)


def test_moving_a_juror_on_the_user_page_recuses_and_removes_the_draft(client_for, tree, people, campaign):
    juror = JurorFactory(username="juror_x")
    roadshow = scoring_roadshow(people["admin"], campaign, tree, juror)
    response = client_for(people["admin"]).post(reverse("members:user_edit", args=[juror.pk]),
                                                user_form(juror, tree["town_a1"]))
    assert response.status_code == 302
    assert Recusal.objects.filter(seat__roadshow=roadshow, seat__user=juror, automatic=True).exists()
    assert not Scorecard.objects.filter(juror=juror).exists()


def test_the_user_page_refuses_a_move_against_a_submitted_card_and_says_why(client_for, tree, people, campaign):
    juror = JurorFactory(username="juror_x")
    roadshow = scoring_roadshow(people["admin"], campaign, tree, juror)
    services.submit_card(actor=juror, card=Scorecard.objects.get(juror=juror), scores=full_scores(roadshow))
    response = client_for(people["admin"]).post(reverse("members:user_edit", args=[juror.pk]),
                                                user_form(juror, tree["town_a1"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请先由路演管理员退回该评分表" in html and "职工书屋" in html
    assert User.objects.get(pk=juror.pk).union is None
    assert Scorecard.objects.get(juror=juror).status == "submitted"
    assert not Recusal.objects.exists()


def test_the_union_page_refuses_a_move_after_scoring_closed(client_for, tree, people, campaign):
    juror = JurorFactory(username="juror_a1", union=tree["town_a1"])
    roadshow = scoring_roadshow(people["admin"], campaign, tree, juror)
    services.close_roadshow(actor=people["admin"], roadshow=roadshow, override_reason="测试：无人评分也结束")
    response = client_for(people["admin"]).post(reverse("members:union_edit", args=[tree["town_a1"].pk]), {
        "name": tree["town_a1"].name, "short_name": "澄江", "level": UnionLevel.TOWN, "parent": tree["county_b"].pk,
    })
    assert response.status_code == 200
    assert "评分已经结束" in response.content.decode()
    assert Union.objects.get(pk=tree["town_a1"].pk).parent == tree["county_a"]
    assert Recusal.objects.filter(seat__user=juror, entry__project__title="职工书屋").exists()


def test_the_django_admin_site_cannot_move_a_saved_user_or_union(client_for, tree, people):
    """The admin site would write the rows directly, past the services that keep the recusals in
    step: it shows a saved user's union and a saved union's parent, and changes neither."""
    root = User.objects.create_superuser("root", "root@example.com", "Root-pass-2026!")
    client = client_for(root)
    juror = JurorFactory(username="juror_x", union=tree["county_a"])
    form = client.get(reverse("admin:members_user_change", args=[juror.pk])).context["adminform"].form
    assert "union" not in form.fields and "username" in form.fields
    form = client.get(reverse("admin:members_union_change", args=[tree["town_a1"].pk])).context["adminform"].form
    assert "parent" not in form.fields and "name" in form.fields
    # A new union still gets its parent there (a new union has no roadshow to keep in step).
    assert "parent" in client.get(reverse("admin:members_union_add")).context["adminform"].form.fields
