"""Properties of the aggregation functions (hypothesis)."""

from decimal import Decimal as D
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.aggregation import (
    METHODS,
    Card,
    aggregate,
    mean,
    quantize_score,
    rank,
    trimmed_mean,
)

totals = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
shifts = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
methods = st.sampled_from(METHODS)


@st.composite
def card_sets(draw, min_size=1):
    """Cards of up to 6 jurors on up to 6 entries, at most one card per juror × entry."""
    pairs = draw(st.sets(st.tuples(st.integers(1, 6), st.integers(1, 6)), min_size=min_size, max_size=36))
    return [Card(j, e, draw(totals)) for j, e in sorted(pairs)]


@given(cards=card_sets(), method=methods, data=st.data())
def test_result_does_not_depend_on_the_order_of_the_cards(cards, method, data):
    shuffled = data.draw(st.permutations(cards))
    groups = {j: j % 2 for j in range(1, 7)}
    weights = {0: D("0.6"), 1: D("0.4")}
    assert aggregate(cards, method) == aggregate(shuffled, method)
    assert aggregate(cards, method, groups=groups, weights=weights) == aggregate(
        shuffled, method, groups=groups, weights=weights)


@given(values=st.lists(totals, min_size=1, max_size=20))
def test_trimmed_mean_lies_between_min_and_max(values):
    result, trimmed = trimmed_mean(values)
    assert min(values) <= result <= max(values)
    assert trimmed == (len(values) >= 3)


@given(values=st.lists(totals, min_size=1, max_size=20), shift=shifts)
def test_adding_a_constant_to_every_score_shifts_mean_and_trimmed_mean_by_it(values, shift):
    shifted = [v + shift for v in values]
    assert quantize_score(mean(shifted)) == quantize_score(mean(values)) + shift
    assert quantize_score(trimmed_mean(shifted)[0]) == quantize_score(trimmed_mean(values)[0]) + shift


@given(cards=card_sets(), method=st.sampled_from(["mean", "trimmed_mean"]), shift=shifts)
def test_shifting_every_card_shifts_every_entry_score(cards, method, shift):
    before = aggregate(cards, method)
    after = aggregate([Card(c.juror, c.entry, c.total + shift) for c in cards], method)
    assert {e: s.score + shift for e, s in before.items()} == {e: s.score for e, s in after.items()}


@given(value=totals, count=st.integers(1, 12), method=methods)
def test_identical_scores_aggregate_to_that_score(value, count, method):
    cards = [Card(j, "e", value) for j in range(count)]
    assert aggregate(cards, method)["e"].score == quantize_score(value)


@given(entry_totals=st.lists(totals, min_size=1, max_size=8), jurors=st.integers(1, 6))
def test_zscore_with_identical_jurors_equals_the_mean(entry_totals, jurors):
    cards = [Card(j, e, t) for j in range(jurors) for e, t in enumerate(entry_totals)]
    zs, means = aggregate(cards, "zscore"), aggregate(cards, "mean")
    assert {e: s.score for e, s in zs.items()} == {e: s.score for e, s in means.items()}


@given(cards=card_sets(), method=methods)
def test_final_scores_are_decimals_with_two_places(cards, method):
    for score in aggregate(cards, method).values():
        assert isinstance(score.score, D)
        assert score.score.as_tuple().exponent == -2


@given(cards=card_sets(), method=methods)
def test_a_score_never_leaves_the_range_of_its_cards_under_mean_and_trimmed_mean(cards, method):
    if method == "zscore":
        return
    for score in aggregate(cards, method).values():
        assert quantize_score(score.min_total) <= score.score <= quantize_score(score.max_total)


@settings(max_examples=200)
@given(scores=st.dictionaries(st.integers(1, 40), st.sampled_from([D("60.00"), D("70.50"), D("70.50"), D("88.25"),
                                                                    D("91.00")]), min_size=1))
def test_rank_is_one_plus_the_number_of_strictly_better_scores(scores):
    ranked = rank(scores)
    assert [r.key for r in ranked] == sorted(scores, key=lambda k: (-scores[k], k))
    for r in ranked:
        assert r.rank == 1 + sum(1 for s in scores.values() if s > r.score)
    # Equal scores share a rank; after a tie of n the next rank skips n − 1.
    for a, b in pairwise(ranked):
        assert (a.rank == b.rank) == (a.score == b.score)
        if a.score != b.score:
            assert b.rank == ranked.index(b) + 1


@given(pairs=st.lists(st.tuples(totals, totals, totals, totals), min_size=1, max_size=4))
def test_zscore_is_exact_when_the_z_scores_cancel(pairs):
    """Each pair of jurors scores two entries in opposite order (z = −1 and +1 on each entry):
    every score is the overall mean, rounded half-up from its exact value (often a tie, such
    as 15.025 → 15.03), however irrational the standard deviations on the way."""
    cards = []
    for i, (a, b, c, d) in enumerate(pairs):
        low, high = sorted((a, b))
        low2, high2 = sorted((c, d))
        if low == high or low2 == high2:
            continue
        cards += [Card(2 * i, "x", low), Card(2 * i, "y", high), Card(2 * i + 1, "x", high2),
                  Card(2 * i + 1, "y", low2)]
    if not cards:
        return
    overall = sum(c.total for c in cards) / len(cards)
    for score in aggregate(cards, "zscore").values():
        assert score.score == quantize_score(overall)


@given(cards=card_sets(), alone=st.integers(1, 6))
def test_zscore_of_a_juror_alone_in_a_group_is_that_jurors_total(cards, alone):
    groups = {j: "alone" if j == alone else "others" for j in range(1, 7)}
    result = aggregate(cards, "zscore", groups=groups)
    for c in cards:
        if c.juror == alone:
            assert result[c.entry].per_group["alone"] == c.total
