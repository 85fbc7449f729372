"""Issue 22 item 6: the audit page reads for people on a desktop (1366) and a phone (390), in
Chinese and English: actions and states in words, score changes as "组织管理 20 → 22", every
column inside the screen (the 来源 column is no longer clipped)."""

import pytest
from django.conf import settings
from django.utils import translation

from evaluations import services as evaluation_services
from evaluations.enums import EventAction
from evaluations.queries import cards_for_juror
from members import audit
from members.models import AuditKind, AuditLog
from projects.enums import ProjectStatus
from projects.models import ProjectEvent
from tests.factories import JurorFactory, PASSWORD, RoadshowFactory, shortlisted

from .browser import login, shot

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_PATH = "/api/v1/projects/12345/attachments/67890/download/?disposition=attachment&token=abcdefghijklmnop"


@pytest.fixture
def audited(transactional_db, people, campaign, tree):
    juror = JurorFactory(username="e2e_juror", name="王评委")
    projects = [shortlisted(campaign, tree["county_a"], title="职工书屋与劳模创新工作室联合建设项目")]
    roadshow = evaluation_services.start_roadshow(
        actor=people["admin"], roadshow=RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects,
                                                        jurors=[juror]))
    card = cards_for_juror(juror, roadshow).first()
    first = roadshow.rubric.criteria.first()
    evaluation_services.save_draft(actor=juror, card=card, scores={first.pk: "20"})
    evaluation_services.save_draft(actor=juror, card=card, scores={first.pk: "22"})
    ProjectEvent.objects.create(project=projects[0], actor=people["county_admin_a"], action="recommend",
                                from_status="submitted", to_status="recommended", reason="基层推荐")
    audit.record(AuditKind.DENIED, user=people["staff_a"], reason="拒绝访问", data={})
    audit.record(AuditKind.LOGIN_FAILED, username="intruder")
    AuditLog(kind=AuditKind.DENIED, username="staff_b", ip="2001:db8:85a3::8a2e:370:7334", method="GET",
             path=LONG_PATH, reason="拒绝访问").save()
    return first


def _fits(page, width):
    wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)""",
                         width)
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    clipped = page.evaluate("""() => [...document.querySelectorAll('.audit-table td')]
        .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.className)""")
    assert clipped == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_audit_page_reads_for_people(new_context, live_server, people, audited, screen, language):
    context = new_context(viewport=VIEWPORTS[screen], is_mobile=screen == "phone", has_touch=screen == "phone")
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    login(page, live_server, people["admin"].username, PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    table = page.get_by_test_id("audit-table")
    text = table.inner_text()
    assert f"{audited.name} 20 → 22" in text
    submitted, recommended = ProjectStatus.SUBMITTED.label, ProjectStatus.RECOMMENDED.label
    with translation.override(language):
        assert f"{submitted} → {recommended}" in text
        assert str(EventAction.SAVE_DRAFT.label) in text
    for code in ("save_draft", "submitted → recommended", '{"scores"', '"target_'):
        assert code not in text, code
    assert LONG_PATH[:40] in text.replace("\n", "")
    shot(page, f"audit-{screen}-{language}")
    _fits(page, VIEWPORTS[screen]["width"])
