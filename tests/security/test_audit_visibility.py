"""Issue 21 item 2: the audit page shows rows about a project or roadshow only to whoever may
read that object (the objects' own visibility, reused): another union's draft is as private on
the audit page, under every filter, as on its own page (404)."""

import datetime

import pytest
from django.utils import timezone

from evaluations.models import EvaluationEvent
from dashboards import audit
from projects import services as project_services
from projects.models import ProjectEvent
from tests.factories import AdminFactory, ProjectFactory

AUDIT = "/audit/"
DRAFT_TITLE = "尚未提交的秘密草稿"


@pytest.fixture
def draft(people, campaign):
    """Another union's draft: created (a ``create`` event) and edited, never submitted."""
    project = project_services.create_project(actor=people["staff_b"], campaign=campaign, title=DRAFT_TITLE,
                                              category=campaign.categories[0], summary="草稿摘要")
    return project


def _filters(draft):
    today = timezone.localdate().isoformat()
    filters = [{}, {"q": DRAFT_TITLE}, {"q": "秘密"}, {"user": "staff_b"}, {"date_from": today},
               {"date_to": today}, {"date_from": today, "date_to": today}, {"page": "1"},
               {"q": DRAFT_TITLE, "kind": "project", "user": "staff_b", "date_from": today, "date_to": today}]
    filters += [{"kind": kind} for kind, _label in audit.kind_choices()]
    filters += [{"kind": kind, "q": DRAFT_TITLE} for kind, _label in audit.kind_choices()]
    return filters


def _listed(response, text):
    """The page without the search box's echo of ``text``."""
    return response.content.decode().replace(f'value="{text}"', "")


def _assert_hidden(client, draft):
    for params in _filters(draft):
        response = client.get(AUDIT, params)
        assert response.status_code == 200, params
        assert DRAFT_TITLE not in _listed(response, DRAFT_TITLE), params
        assert not [r for r in response.context["rows"] if r["source"] == "project" and r["object_id"] == draft.pk]


@pytest.mark.parametrize("who", ["admin", "superuser"])
def test_no_audit_filter_shows_another_unions_draft(client_for, people, draft, who, django_user_model):
    user = people["admin"] if who == "admin" else django_user_model.objects.create_superuser("root", "", "x")
    client = client_for(user)
    assert client.get(f"/projects/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{draft.pk}/history/").status_code == 404
    _assert_hidden(client, draft)


def test_the_draft_appears_once_it_is_submitted(client_for, people, campaign, draft):
    campaign.filing_opens = timezone.localdate() - datetime.timedelta(days=1)
    campaign.filing_deadline = timezone.localdate() + datetime.timedelta(days=5)
    campaign.save()
    project_services.submit_project(actor=people["staff_b"], project=draft)
    rows = client_for(people["admin"]).get(AUDIT, {"q": DRAFT_TITLE}).context["rows"]
    assert {(r["action"], r["object_id"]) for r in rows} == {("create", draft.pk), ("submit", draft.pk)}


def test_the_own_unions_staff_rule_is_the_projects_rule(people, draft, campaign):
    """The reader's rows are exactly the events of the projects the same user may read."""
    from projects.queries import projects_visible_to

    submitted = ProjectFactory(campaign=campaign, applicant_union=people["staff_a"].union, status="submitted")
    ProjectEvent.objects.create(project=submitted, actor=people["staff_a"], action="submit", from_status="draft",
                                to_status="submitted")
    for user in (people["admin"], people["county_admin_b"], people["staff_a"]):
        listed = {r[audit.COLUMNS.index("object_id")] for r in audit.audit_rows(user, kind="project")}
        assert listed == set(projects_visible_to(user).filter(events__isnull=False).values_list("pk", flat=True))


def test_a_lower_admin_does_not_see_the_citys_roadshow_events(client_for, people, tree, scoring):
    county_admin = AdminFactory(username="admin_b", union=tree["county_b"])
    assert EvaluationEvent.objects.filter(roadshow=scoring).exists()
    for params in [{}, {"kind": "evaluation"}, {"q": scoring.title}, {"user": "admin1"}]:
        response = client_for(county_admin).get(AUDIT, params)
        assert scoring.title not in _listed(response, scoring.title), params
        assert not [r for r in response.context["rows"] if r["source"] == "evaluation"], params
    city_rows = client_for(people["admin"]).get(AUDIT, {"kind": "evaluation"}).context["rows"]
    assert {r["object_label"] for r in city_rows} == {scoring.title}
