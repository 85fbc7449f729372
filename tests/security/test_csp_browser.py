"""The Content Security Policy in a real browser (Debian's chromium): the pages raise no CSP
violation while htmx, Bootstrap and Chart.js do their work, and an injected inline script is
blocked. Marked ``e2e`` like the journeys of tests/e2e."""

import pytest

from evaluations import services as evaluation_services
from tests.e2e.browser import (  # noqa: F401 - the browser's fixtures
    browser_context_args,
    browser_type_launch_args,
    desktop,
    login,
)
from tests.factories import (
    AdminFactory,
    CampaignFactory,
    CountyUnionFactory,
    JurorFactory,
    PASSWORD,
    RoadshowFactory,
    UnionFactory,
    shortlisted,
)

pytestmark = pytest.mark.e2e

WATCH = """() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', e => {
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
}"""


@pytest.fixture
def site(transactional_db):
    city = UnionFactory(name="无锡市总工会", short_name="市总")
    county = CountyUnionFactory(name="江阴市总工会", short_name="江阴", parent=city)
    admin = AdminFactory(username="csp_admin", union=city)
    juror = JurorFactory(username="csp_juror", name="王评委")
    campaign = CampaignFactory(owner_union=city)
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=[shortlisted(campaign, county, title="职工书屋")],
                               jurors=[juror], live=True)
    evaluation_services.start_roadshow(actor=admin, roadshow=roadshow)
    return {"admin": admin, "juror": juror, "roadshow": roadshow, "campaign": campaign}


def watched(page):
    console = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(f"({WATCH})()")
    return console


def violations(page):
    return page.evaluate("window.__csp || []")


def test_pages_raise_no_csp_violation_and_htmx_still_works(site, live_server, desktop):  # noqa: F811
    console = watched(desktop)
    login(desktop, live_server, "csp_admin", PASSWORD)
    roadshow = site["roadshow"]
    found = {}
    for path in ["/", "/projects/", "/campaigns/", "/audit/", "/users/", f"/roadshows/{roadshow.pk}/",
                 f"/roadshows/{roadshow.pk}/live/", f"/roadshows/{roadshow.pk}/screen/", "/dashboards/",
                 f"/dashboards/campaigns/{site['campaign'].pk}/", "/api/docs/"]:
        response = desktop.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        desktop.wait_for_load_state("networkidle")
        if violations(desktop):
            found[path] = violations(desktop)
    # The big screen's panel is filled by htmx polling: htmx runs under the policy.
    desktop.goto(f"{live_server.url}/roadshows/{roadshow.pk}/screen/")
    with desktop.expect_response(lambda r: "/screen/panel/" in r.url and r.status == 200):
        pass
    assert not found, found
    assert not console, console


def test_the_juror_home_loads_its_htmx_card_without_violations(site, live_server, desktop):  # noqa: F811
    console = watched(desktop)
    login(desktop, live_server, "csp_juror", PASSWORD)
    desktop.wait_for_selector("[data-testid=card-juror] .card-body a, [data-testid=card-juror] .card-body li",
                              timeout=10000)
    assert "正在加载评审任务" not in desktop.inner_text("[data-testid=card-juror]")
    assert not violations(desktop) and not console


def test_an_injected_inline_script_is_blocked(site, live_server, desktop):  # noqa: F811
    watched(desktop)
    login(desktop, live_server, "csp_admin", PASSWORD)
    ran = desktop.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.appendChild(s);
        const img = document.createElement('div');
        img.innerHTML = '<img src="data:," onerror="window.__ran = true">';
        document.body.appendChild(img);
        return new Promise(resolve => setTimeout(() => resolve(window.__ran === true), 300));
    }""")
    assert ran is False
    assert any("script-src" in v for v in violations(desktop))
