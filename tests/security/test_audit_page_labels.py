"""Issue 22 item 6: the audit page is for people — actions and states in words, score changes
as "组织管理 20 → 22", never a code or a JSON blob."""

import pytest
from django.utils import translation

from evaluations import services as evaluation_services
from evaluations.queries import cards_for_juror
from members import audit
from members.models import AuditKind
from projects.enums import ProjectStatus
from projects.models import ProjectEvent

AUDIT = "/audit/"


@pytest.fixture
def scored(people, scoring, jurors):
    """A juror saves a draft twice (组织管理 20 → 22) and the county admin recommends a project."""
    card = cards_for_juror(jurors[0], scoring).first()
    first, *_rest = scoring.rubric.criteria.all()
    evaluation_services.save_draft(actor=jurors[0], card=card, scores={first.pk: "20"})
    evaluation_services.save_draft(actor=jurors[0], card=card, scores={first.pk: "22"}, comment="讲得好")
    ProjectEvent.objects.create(project=card.entry.project, actor=people["county_admin_a"], action="recommend",
                                from_status="submitted", to_status="recommended", reason="推荐理由")
    audit.record(AuditKind.UNLOCK, user=people["admin"], object_type="lockout", from_value="staff_a",
                 to_value="203.0.113.9", reason="解除", data={"target_username": "staff_a", "target_ip": "203.0.113.9"})
    return card, first


def _row(rows, **match):
    return next(r for r in rows if all(r[k] == v for k, v in match.items()))


def test_codes_become_labels_and_scores_read_as_changes(client_for, people, scored):
    card, first = scored
    response = client_for(people["admin"]).get(AUDIT)
    rows, page = response.context["rows"], response.content.decode()
    recommend = _row(rows, source="project", action="recommend")
    submitted, recommended = str(ProjectStatus.SUBMITTED.label), str(ProjectStatus.RECOMMENDED.label)
    assert (recommend["action_label"], recommend["from_label"], recommend["to_label"]) == (
        "推荐", submitted, recommended)
    drafts = [r for r in rows if r["source"] == "evaluation" and r["action"] == "save_draft"]
    assert [r["action_label"] for r in drafts] == ["保存评分草稿", "保存评分草稿"]
    assert drafts[0]["changes"] == [f"{first.name} 20 → 22", "修改了评语"]
    assert drafts[1]["changes"] == [f"{first.name} — → 20"]
    assert _row(rows, source="evaluation", action="start")["to_label"] == "评分中"
    for code in ("save_draft", "submitted → recommended", '{"scores"', "&quot;scores&quot;"):
        assert code not in page.split('data-testid="audit-table"')[1].replace('data-action="save_draft"', ""), code
    assert "保存评分草稿" in page and f"{submitted} → {recommended}" in page and f"{first.name} 20" in page


def test_the_page_reads_in_english_too(client_for, people, scored, settings):
    _card, first = scored
    client = client_for(people["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(AUDIT)
    with translation.override("en"):
        rows = response.context["rows"]
        recommend = _row(rows, source="project", action="recommend")
        assert recommend["action_label"] == "Recommend"
        assert recommend["to_label"] == "Recommended"
    assert any(line.startswith(f"{first.name} ") for r in rows for line in r["changes"])
