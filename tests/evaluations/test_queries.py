"""Reads: blindness, visibility, live progress, results — and their query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import aggregation, queries, services
from evaluations.models import Roadshow, Scorecard
from tests.factories import AdminFactory, JurorFactory, RoadshowFactory, StaffFactory, full_scores, shortlisted



def test_a_juror_sees_only_own_cards(scoring, jurors):
    mine = list(queries.cards_for_juror(jurors[0]))
    assert len(mine) == 2 and {c.juror_id for c in mine} == {jurors[0].pk}
    other = Scorecard.objects.filter(juror=jurors[1]).first()
    with pytest.raises(Scorecard.DoesNotExist):
        queries.own_card(jurors[0], other.pk)
    with pytest.raises(Scorecard.DoesNotExist):
        queries.card_visible_to(jurors[0], other.pk)
    assert queries.card_visible_to(jurors[0], mine[0].pk) == mine[0]


def test_a_recused_juror_has_no_card_for_the_entry(tree, people, campaign, jurors):
    conflicted = JurorFactory(union=tree["county_a"])
    projects = [shortlisted(campaign, tree["county_a"]), shortlisted(campaign, tree["county_b"])]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects,
                               jurors=[*jurors, conflicted])
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    assert [c.entry.project for c in queries.cards_for_juror(conflicted, roadshow)] == [projects[1]]
    other = Scorecard.objects.get(entry__project=projects[0], juror=jurors[0])
    with pytest.raises(Scorecard.DoesNotExist):
        queries.card_visible_to(conflicted, other.pk)


def test_the_roadshow_admin_can_read_any_card_of_it_but_others_cannot(people, scoring, jurors):
    card = Scorecard.objects.filter(juror=jurors[0]).first()
    assert queries.card_visible_to(people["admin"], card.pk) == card
    for outsider in (AdminFactory(), people["staff_a"]):
        with pytest.raises(Scorecard.DoesNotExist):
            queries.card_visible_to(outsider, card.pk)


def test_roadshows_visible_to(people, roadshow, jurors):
    assert list(queries.roadshows_visible_to(people["admin"])) == [roadshow]
    assert list(queries.roadshows_visible_to(jurors[0])) == [roadshow]
    assert list(queries.roadshows_visible_to(JurorFactory())) == []
    assert list(queries.roadshows_visible_to(AdminFactory())) == []
    assert list(queries.roadshows_visible_to(people["staff_a"])) == []
    Roadshow.objects.filter(pk=roadshow.pk).update(status="publicity")
    assert list(queries.roadshows_visible_to(people["staff_a"])) == [roadshow]


def test_live_progress_counts_submitted_of_expected(tree, people, campaign, jurors):
    conflicted = JurorFactory(union=tree["county_a"])
    projects = [shortlisted(campaign, tree["county_a"]), shortlisted(campaign, tree["county_b"])]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects,
                               jurors=[*jurors, conflicted])
    before = queries.live_progress(roadshow)
    assert [(r.submitted, r.expected) for r in before.rows] == [(0, 3), (0, 4)]
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    card = Scorecard.objects.get(entry__project=projects[0], juror=jurors[0])
    services.submit_card(actor=jurors[0], card=card, scores=full_scores(roadshow))
    services.open_entry(actor=people["admin"], entry=card.entry)
    progress = queries.live_progress(roadshow)
    assert [(r.submitted, r.expected) for r in progress.rows] == [(1, 3), (0, 4)]
    assert progress.open_row.entry == card.entry
    assert [status for _seat, status in progress.rows[0].cells] == ["submitted", "draft", "draft", "recused"]
    assert (progress.submitted, progress.expected) == (1, 7)


def test_scoring_results_rank_entries_under_the_roadshow_aggregation(people, scoring, jurors):
    first, second = scoring.entries.all()
    sheets = {first: [("20", "20", "25", "15"), ("25", "25", "30", "20"), ("10", "10", "10", "10")],
              second: [("20", "20", "25", "15")] * 3}
    for entry, values in sheets.items():
        for juror, row in zip(jurors, values, strict=True):
            card = Scorecard.objects.get(entry=entry, juror=juror)
            services.submit_card(actor=juror, card=card, scores=full_scores(scoring, row))
    results = queries.scoring_results(scoring)  # trimmed mean: first 80 (of 80, 100, 40), second 80
    assert [(r.entry, r.final_score, r.rank, r.score.card_count) for r in results] == [
        (first, Decimal("80.00"), 1, 3), (second, Decimal("80.00"), 1, 3)]
    by_mean = queries.scoring_results(scoring, "mean")
    assert [(r.entry, r.final_score, r.rank) for r in by_mean] == [
        (second, Decimal("80.00"), 1), (first, Decimal("73.33"), 2)]
    criterion = scoring.rubric.criteria.first()
    assert by_mean[1].per_criterion[criterion.pk] == Decimal("18.33")


def _roadshow_with(people, campaign, tree, n_entries, jurors):
    projects = [shortlisted(campaign, tree["county_b"]) for _ in range(n_entries)]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors)
    services.start_roadshow(actor=people["admin"], roadshow=roadshow)
    for card in Scorecard.objects.filter(entry__roadshow=roadshow, juror=jurors[0]):
        services.submit_card(actor=jurors[0], card=card, scores=full_scores(roadshow))
    return roadshow


def _count(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("read", [
    lambda roadshow, juror: [c.total for c in queries.cards_for_juror(juror, roadshow)],
    lambda roadshow, juror: [r.cells for r in queries.live_progress(roadshow).rows],
    lambda roadshow, juror: queries.scoring_results(roadshow),
    lambda roadshow, juror: [(r.seat.user.union, r.entry.project.applicant_union)
                             for r in queries.recusals_of(roadshow)],
    *[lambda roadshow, juror, method=method: queries.award_scores(roadshow, method)
      for method in aggregation.METHODS],
], ids=["cards_for_juror", "live_progress", "scoring_results", "recusals_of",
        *[f"award_scores_{method}" for method in aggregation.METHODS]])
def test_reads_take_the_same_number_of_queries_for_3_and_30_entries(tree, people, campaign, jurors, read):
    small = _roadshow_with(people, campaign, tree, 3, jurors)
    large = _roadshow_with(people, campaign, tree, 30, [*jurors, JurorFactory(union=tree["county_b"])])
    small = Roadshow.objects.get(pk=small.pk)
    large = Roadshow.objects.get(pk=large.pk)
    assert _count(lambda: read(small, jurors[0])) == _count(lambda: read(large, jurors[0]))


def test_staff_has_no_cards(people, scoring):
    assert not queries.cards_for_juror(StaffFactory()).exists()
