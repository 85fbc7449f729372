"""The PostgreSQL aggregation (one SQL statement, ``evaluations.sql.aggregation``) gives the very
same Decimals as the Python path, on seeded random roadshows: ties, recusals, drafts, weighted
and missing juror groups, trimmed mean with one or two cards, zscore with a juror who gives
everybody the same total and with every total equal; zscore's card table (one juror, several
groups, no submitted card, called twice in one transaction, no table left behind).

Two references, both pure Python: ``aggregation.aggregate`` on the cards as generated here (no
query shared with the SQL path), and the Python path of ``queries`` (its GROUP BY queries, as
SQLite runs them) on the same database.

Runs only on PostgreSQL (SQLite keeps the Python path); the CI pipeline has a PostgreSQL pass,
which is where these tests run.
"""

import random
from decimal import Decimal

import pytest
from django.db import connection, transaction

from awards.models import Result
from awards.services.results import compute_results
from evaluations import aggregation, queries, services
from evaluations.enums import CardStatus, RoadshowStatus
from evaluations.models import Entry, Recusal, Score, Scorecard
from evaluations.sql import aggregation as sql_aggregation
from tests.factories import JurorFactory, RoadshowFactory, shortlisted

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the SQL aggregation is PostgreSQL's (CI runs a PostgreSQL pass)")

SEEDS = range(8)


def _value(rng, criterion, style):
    top = int(criterion.max_points * 10)
    if style == "ties":  # few distinct values: many equal totals and equal final scores
        return Decimal(rng.choice([top // 2, top * 3 // 4, top])) / 10
    return Decimal(rng.randint(0, top)) / 10


def build_world(seed, people, campaign, tree):
    """A roadshow with random entries, jurors, groups, recusals, drafts and scores. Returns
    ``(roadshow, cards, values, groups, weights)`` as generated: ``cards`` are the submitted
    ``aggregation.Card``s, ``values`` the ``(entry, criterion, value)`` of submitted scores."""
    rng = random.Random(seed)
    style = rng.choice(["ties", "spread"])
    projects = [shortlisted(campaign, tree["county_a"], title=f"项目{seed}-{i}") for i in range(rng.randint(3, 9))]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=[])
    admin = people["admin"]
    groups_made = [services.save_juror_group(actor=admin, roadshow=roadshow, name=f"组{g}",
                                             weight=rng.choice(["1", "0.6", "0.3", "0.25", "2.5"]))
                   for g in range(rng.randint(1, 3))]
    jurors = [JurorFactory(username=f"j{seed}_{i}") for i in range(rng.randint(2, 8))]
    groups, weights = {}, {g.pk: g.weight for g in groups_made}
    for juror in jurors:
        group = rng.choice([*groups_made, None]) if rng.random() < 0.9 else None
        seat = services.add_juror(actor=admin, roadshow=roadshow, user=juror, group=group)
        if seat.group_id is None:
            continue
        groups[juror.pk] = seat.group_id
    criteria = list(roadshow.rubric.criteria.all())
    entries = list(roadshow.entries.all())
    flat = rng.choice(jurors)  # gives every entry the same scores: sd 0, counts raw
    flat_values = {c.pk: _value(rng, c, style) for c in criteria}
    all_equal = rng.random() < 0.15  # every total the same: S = 0
    cards, values = [], []
    for entry in entries:
        sparse = rng.random() < 0.3  # one or two cards: trimmed mean falls back to the mean
        for juror in jurors:
            if sparse and rng.random() < 0.7:
                continue
            if rng.random() < 0.1:
                seat = roadshow.seats.get(user=juror)
                Recusal.objects.create(seat=seat, entry=entry, reason="回避", created_by=admin)
                continue
            draft = rng.random() < 0.15
            card = Scorecard.objects.create(entry=entry, juror=juror,
                                            status=CardStatus.DRAFT if draft else CardStatus.SUBMITTED)
            chosen = {}
            for criterion in criteria:
                if all_equal:
                    chosen[criterion.pk] = (Decimal(criterion.max_points) / 2).quantize(Decimal("0.1"))
                elif juror == flat:
                    chosen[criterion.pk] = flat_values[criterion.pk]
                else:
                    chosen[criterion.pk] = _value(rng, criterion, style)
            Score.objects.bulk_create(Score(card=card, criterion_id=c, value=v) for c, v in chosen.items())
            if not draft:
                cards.append(aggregation.Card(juror.pk, entry.pk, sum(chosen.values(), Decimal("0.0"))))
                values.extend((entry.pk, c, v) for c, v in chosen.items())
    return roadshow, cards, values, groups, weights


@pytest.mark.parametrize("seed", SEEDS)
def test_sql_aggregation_equals_the_python_path(seed, people, campaign, tree):
    roadshow, cards, values, groups, weights = build_world(seed, people, campaign, tree)
    expected_averages = aggregation.per_criterion_averages(values)
    for method in aggregation.METHODS:
        scores, averages = queries.award_scores(roadshow, method)  # PostgreSQL: the SQL path
        expected = aggregation.aggregate(cards, method, groups=groups, weights=weights)
        assert scores == expected, method
        # The Python path of the same function (what SQLite runs), on the same rows.
        python = aggregation.aggregate(queries.card_totals(roadshow), method, groups=groups, weights=weights)
        assert scores == python, method
        assert averages == expected_averages == queries.criterion_averages(roadshow)
        for score in scores.values():
            assert isinstance(score.score, Decimal) and score.score.as_tuple().exponent == -2


def test_zscore_with_every_total_equal_and_a_flat_juror(people, campaign, tree):
    """The edge cases named: S = 0 (every total equal) and a juror with sd 0 among others."""
    projects = [shortlisted(campaign, tree["county_a"], title=f"项目{i}") for i in range(3)]
    jurors = [JurorFactory(username=f"z{i}") for i in range(3)]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=jurors)
    criteria = list(roadshow.rubric.criteria.all())
    for round_, totals in enumerate([{0: "10", 1: "10", 2: "10"}, {0: "10", 1: "14.5", 2: "3.5"}]):
        Score.objects.filter(card__entry__roadshow=roadshow).delete()
        Scorecard.objects.filter(entry__roadshow=roadshow).delete()
        cards = []
        for j, juror in enumerate(jurors):
            for e, entry in enumerate(roadshow.entries.order_by("order")):
                # Juror 0 is flat in round 1; in round 0 every total is 10.
                total = Decimal(totals[e]) if j else Decimal("10")
                if round_ == 1 and j == 2:
                    total = Decimal(totals[(e + 1) % 3])
                card = Scorecard.objects.create(entry=entry, juror=juror, status=CardStatus.SUBMITTED)
                Score.objects.create(card=card, criterion=criteria[0], value=total)
                cards.append(aggregation.Card(juror.pk, entry.pk, total))
        groups, weights = queries.group_weights(roadshow)
        scores, _averages = queries.award_scores(roadshow, "zscore")
        assert scores == aggregation.aggregate(cards, "zscore", groups=groups, weights=weights)
        if round_ == 0:
            assert {s.score for s in scores.values()} == {Decimal("10.00")}


def test_compute_job_stores_what_the_python_path_computes(people, campaign, tree):
    """End to end on PostgreSQL: the stored results are the Python path's ranking."""
    roadshow, cards, values, groups, weights = build_world(3, people, campaign, tree)
    unscored_entry(roadshow, campaign, tree)
    type(roadshow).objects.filter(pk=roadshow.pk).update(status=RoadshowStatus.CLOSED)
    compute_results(roadshow_id=roadshow.pk)
    expected = aggregation.rank_entries(aggregation.aggregate(cards, roadshow.aggregation, groups=groups,
                                                              weights=weights))
    averages = aggregation.per_criterion_averages(values)
    stored = {r.entry_id: r for r in Result.objects.filter(roadshow=roadshow)}
    # Every entry is stored; one without a submitted card has no score or rank (无有效评分).
    assert set(stored) == set(roadshow.entries.values_list("pk", flat=True))
    scored = {s.entry for s, _rank in expected}
    assert set(stored) - scored
    for entry in set(stored) - scored:
        result = stored[entry]
        assert (result.final_score, result.rank, result.card_count, result.tier, result.note) == (
            None, None, 0, "", "无有效评分")
    for score, rank in expected:
        result = stored[score.entry]
        assert (result.final_score, result.rank, result.card_count, result.spread) == (
            score.score, rank, score.card_count, score.spread)
        assert result.per_criterion == {str(k): str(v) for k, v in sorted(averages[score.entry].items())}
    # Run twice: updated in place, nothing created or deleted.
    ids = {r.pk for r in stored.values()}
    compute_results(roadshow_id=roadshow.pk)
    assert set(Result.objects.filter(roadshow=roadshow).values_list("pk", flat=True)) == ids


def unscored_entry(roadshow, campaign, tree):
    """An entry nobody scored (every juror skipped it), added to a generated roadshow."""
    project = shortlisted(campaign, tree["county_b"], title=f"无人评分{roadshow.pk}")
    return Entry.objects.create(roadshow=roadshow, project=project, order=999)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_plan_is_the_same_on_both_paths_unscored_entries_included(seed, people, campaign, tree):
    """The award plan (ranks, tiers, amounts, and the entries without a card listed unranked)
    from the SQL path's scores equals the plan from the Python path's, entry for entry."""
    from awards.services.planning import plan_awards, remaining_budget
    from awards.services.tiers import tiers_for

    roadshow, cards, values, groups, weights = build_world(seed, people, campaign, tree)
    unscored_entry(roadshow, campaign, tree)
    for method in aggregation.METHODS:
        sql_scores, sql_averages = queries.award_scores(roadshow, method)
        python_scores = aggregation.aggregate(queries.card_totals(roadshow), method, groups=groups, weights=weights)
        plans = [plan_awards(roadshow, method=method, tiers=tiers_for(roadshow), policy="scale",
                       budget=remaining_budget(roadshow), scores=scores, averages=averages)
                 for scores, averages in ((sql_scores, sql_averages),
                                          (python_scores, queries.criterion_averages(roadshow)))]
        rows = [[(r.entry.pk, r.final_score, r.rank, r.tier, r.amount, r.card_count, r.note) for r in plan.rows]
                for plan in plans]
        assert rows[0] == rows[1], method
        assert len(rows[0]) == roadshow.entries.count()
        unscored = [r for r in rows[0] if r[1] is None]
        assert unscored
        assert all(r[2:] == (None, None, Decimal("0.00"), 0, "无有效评分") for r in unscored)
        assert rows[0][len(rows[0]) - len(unscored):] == unscored  # listed after the ranked ones


def _card_table_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"pg_temp.{sql_aggregation.CARD_TABLE}"])
        return cursor.fetchone()[0] is not None


def test_zscore_outside_a_transaction_leaves_no_transaction_and_no_table(transactional_db, people, campaign,
                                                                        tree):
    """As the compute job calls it: no transaction open, so zscore's card table lives in a
    transaction of its own, and neither outlives the call."""
    roadshow, cards, _values, groups, weights = build_world(5, people, campaign, tree)
    assert not connection.in_atomic_block
    scores, _averages = queries.award_scores(roadshow, "zscore")
    assert scores == aggregation.aggregate(cards, "zscore", groups=groups, weights=weights)
    assert not connection.in_atomic_block
    assert not _card_table_exists()


def test_zscore_twice_in_one_transaction(people, campaign, tree):
    """Inside a caller's transaction (the test's, as the compute job's second read under the
    lock): the card table is dropped after each call, so a second call can make it again, and a
    plain method between them is unaffected."""
    roadshow, cards, _values, groups, weights = build_world(6, people, campaign, tree)
    expected = aggregation.aggregate(cards, "zscore", groups=groups, weights=weights)
    with transaction.atomic():
        first, _averages = queries.award_scores(roadshow, "zscore")
        assert not _card_table_exists()
        queries.award_scores(roadshow, "mean")
        second, _averages = queries.award_scores(roadshow, "zscore")
    assert first == second == expected


def test_zscore_of_a_roadshow_without_submitted_cards_is_empty(people, campaign, tree):
    projects = [shortlisted(campaign, tree["county_a"], title=f"项目{i}") for i in range(2)]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects,
                               jurors=[JurorFactory(username="e0")])
    entry = roadshow.entries.first()
    card = Scorecard.objects.create(entry=entry, juror=roadshow.seats.get().user, status=CardStatus.DRAFT)
    Score.objects.create(card=card, criterion=roadshow.rubric.criteria.first(), value=Decimal("7.5"))
    for method in aggregation.METHODS:
        assert queries.award_scores(roadshow, method) == ({}, {})


@pytest.mark.parametrize("jurors_count", [1, 2])
def test_zscore_with_one_juror_and_with_jurors_in_several_groups(jurors_count, people, campaign, tree):
    """One juror alone (ρ = 1, each entry keeps its total); two groups of one juror each plus a
    juror without a group, with weights."""
    projects = [shortlisted(campaign, tree["county_a"], title=f"项目{i}") for i in range(4)]
    jurors = [JurorFactory(username=f"g{i}") for i in range(jurors_count * 2 - 1)]
    roadshow = RoadshowFactory(actor=people["admin"], campaign=campaign, projects=projects, jurors=[])
    made = [services.save_juror_group(actor=people["admin"], roadshow=roadshow, name=f"组{g}", weight=w)
            for g, w in enumerate(["0.6", "0.4"][:jurors_count])]
    for i, juror in enumerate(jurors):
        services.add_juror(actor=people["admin"], roadshow=roadshow, user=juror,
                           group=made[i] if i < len(made) else None)
    criteria = list(roadshow.rubric.criteria.all())
    cards = []
    for e, entry in enumerate(roadshow.entries.order_by("order")):
        for j, juror in enumerate(jurors):
            card = Scorecard.objects.create(entry=entry, juror=juror, status=CardStatus.SUBMITTED)
            values = [Decimal(5 + (3 * e + 7 * j + k) % 11) / 2 for k in range(len(criteria))]
            Score.objects.bulk_create(Score(card=card, criterion=c, value=v) for c, v in zip(criteria, values))
            cards.append(aggregation.Card(juror.pk, entry.pk, sum(values, Decimal("0.0"))))
    groups, weights = queries.group_weights(roadshow)
    scores, _averages = queries.award_scores(roadshow, "zscore")
    assert scores == aggregation.aggregate(cards, "zscore", groups=groups, weights=weights)
    if jurors_count == 1:
        assert {s.entry: s.score for s in scores.values()} == {c.entry: c.total.quantize(Decimal("0.01"))
                                                               for c in cards}
