"""Dashboard figures against the hand-made programme of ``conftest.py`` (exact numbers), the
county admin's subtree-only view, and a constant number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import queries
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_campaign_figures_for_the_admin(people, tree, programme):
    figures = queries.campaign_figures(queries.scope_for(people["admin"]), programme["campaign"])

    assert {r["status"]: r["n"] for r in figures["status"] if r["n"]} == {
        "submitted": 1, "approved": 1, "rejected": 1, "shortlisted": 1, "awarded": 1, "closing": 1, "closed": 1}
    assert [(r["category"], r["n"]) for r in figures["category"]] == [
        ("职工帮扶服务", 3), ("维权服务工作", 2), ("劳动技能竞赛", 1), ("工会自身建设", 1)]
    assert figures["funnel"] == {"filed": 7, "approved": 5, "shortlisted": 3, "closed": 1}
    assert figures["rates"] == {"approval": Decimal("71.4"), "shortlist": Decimal("60.0"), "closure": Decimal("20.0")}
    assert [(u["name"], u["filed"], u["approved"], u["closed"], u["subsidy"]) for u in figures["units"]] == [
        ("江阴", 4, 4, 1, Decimal("50000.00")), ("宜兴", 3, 1, 0, Decimal("0.00"))]
    assert [(t["tier"], t["n"], t["amount"]) for t in figures["tiers"]] == [
        ("一等", 1, Decimal("30000.00")), ("二等", 1, Decimal("20000.00"))]
    assert figures["subsidy_total"] == Decimal("50000.00")
    assert figures["replications"] == 2


def test_a_county_admin_sees_its_own_subtree_only(people, tree, programme):
    scope = queries.scope_for(people["county_admin_a"])
    figures = queries.campaign_figures(scope, programme["campaign"])
    assert figures["funnel"] == {"filed": 4, "approved": 4, "shortlisted": 3, "closed": 1}
    # grouped by the unions right under 江阴: 江阴 itself (P2, P3) and 澄江 (P1, P8)
    assert sorted((u["name"], u["filed"], u["subsidy"]) for u in figures["units"]) == [
        ("江阴", 2, Decimal("20000.00")), ("澄江", 2, Decimal("30000.00"))]
    years = queries.year_figures(scope)
    assert [(r["year"], r["filed"], r["approved"], r["closed"], r["plans"]) for r in years["years"]] == [
        (2016, 1, 1, 0, 0), (2017, 0, 0, 0, 1), *((y, 0, 0, 0, 0) for y in range(2018, 2026)), (2026, 4, 4, 1, 2)]
    assert [r.union.name for r in years["ranking"]] == ["江阴市总工会"]


def test_figures_year_by_year(people, tree, programme):
    figures = queries.year_figures(queries.scope_for(people["admin"]))
    assert [(r["year"], r["filed"], r["approved"], r["shortlisted"], r["closed"], r["plans"], r["subsidy"])
            for r in figures["years"]] == [
        (2016, 2, 2, 0, 1, 0, Decimal("50000.00")),
        (2017, 0, 0, 0, 0, 1, Decimal("0.00")),
        # the years between, with nothing in them, are on the axis too: no gap
        *((y, 0, 0, 0, 0, 0, Decimal("0.00")) for y in range(2018, 2026)),
        (2026, 7, 5, 3, 1, 2, Decimal("50000.00")),
    ]
    assert figures["tier_names"] == ["一等", "二等"]
    assert [r["tiers"] for r in figures["years"]] == [[1, 0], [0, 0], *([[0, 0]] * 8), [1, 1]]
    assert figures["totals"] == {"approved": 7, "closed": 2, "plans": 3, "subsidy": Decimal("100000.00")}
    assert figures["ranking_year"] == 2026
    assert [(r.rank, r.union.short_name) for r in figures["ranking"]] == [(1, "江阴"), (2, "宜兴")]


def test_staff_and_jurors_have_no_dashboard(client, people, programme):
    for who in ("staff_a", "juror"):
        client.force_login(people[who])
        assert client.get("/dashboards/").status_code == 403
        assert client.get("/dashboards/years/").status_code == 403


def test_the_pages_show_the_figures_with_chart_data(client, people, programme):
    client.force_login(people["admin"])
    page = client.get(f"/dashboards/campaigns/{programme['campaign'].pk}/").content.decode()
    assert 'data-testid="kpi-filed">7<' in page and 'data-testid="kpi-replications">2<' in page
    assert 'id="dashboard-data" type="application/json"' in page and "chart.umd.min.js" in page
    assert "<script>" not in page.replace("<script src", "")  # no inline script
    years = client.get("/dashboards/years/").content.decode()
    assert 'data-testid="total-plans">3<' in years and 'data-testid="total-approved">7<' in years
    # a campaign outside the admin's scope is not found
    client.force_login(people["county_admin_a"])
    assert client.get(f"/dashboards/campaigns/{programme['campaign'].pk}/").status_code == 200
    assert client.get("/dashboards/campaigns/999999/").status_code == 404


@pytest.mark.parametrize("who", ["admin", "county_admin_a"])
def test_a_constant_number_of_queries_whatever_the_number_of_projects(client, people, tree, programme, who):
    client.force_login(people[who])
    campaign = programme["campaign"]

    def counts():
        result = []
        for url in (f"/dashboards/campaigns/{campaign.pk}/", "/dashboards/years/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx))
        return result

    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status="approved")
    one = counts()
    for state in ["approved", "closed", "shortlisted"] * 10:
        ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=state)
    assert counts() == one
