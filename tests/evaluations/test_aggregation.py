"""Aggregation on hand-computed numbers (pure functions, no database)."""

from decimal import Decimal as D

import pytest

from evaluations.aggregation import (
    Card,
    aggregate,
    mean,
    per_criterion_averages,
    pstdev,
    quantize_score,
    rank,
    trimmed_mean,
)


def test_quantize_score_rounds_half_up_to_two_places():
    assert quantize_score(D("85.125")) == D("85.13")  # half-even would give 85.12
    assert quantize_score(D("85.124999")) == D("85.12")
    assert str(quantize_score(D("85"))) == "85.00"


def test_mean_of_three_totals():
    assert quantize_score(mean([D("80"), D("90"), D("85.5")])) == D("85.17")


def test_mean_refuses_floats():
    with pytest.raises(TypeError):
        mean([80.0])


def test_population_standard_deviation():
    assert pstdev([D("2"), D("4"), D("4"), D("4"), D("5"), D("5"), D("7"), D("9")]) == D("2")
    assert pstdev([D("7")]) == 0


def test_trimmed_mean_drops_one_highest_and_one_lowest():
    assert trimmed_mean([D("70"), D("100"), D("80"), D("90")]) == (D("85"), True)
    # Only one of two equal highest totals is dropped.
    assert trimmed_mean([D("90"), D("90"), D("60")]) == (D("90"), True)


def test_trimmed_mean_of_two_cards_is_the_plain_mean_and_says_so():
    result = aggregate([Card(1, "e", D("80")), Card(2, "e", D("91"))], "trimmed_mean")["e"]
    assert result.score == D("85.50")
    assert result.untrimmed is True
    three = aggregate([Card(j, "e", D(t)) for j, t in enumerate(["80", "91", "70"])], "trimmed_mean")["e"]
    assert three.score == D("80.00") and three.untrimmed is False


def test_zscore_standardises_each_juror_over_the_entries_it_scored():
    # Juror 1: 80, 90 (mean 85, sd 5); juror 2: 60, 80 (mean 70, sd 10): both give e1 z = -1
    # and e2 z = +1. All totals: mean 77.5, population sd √118.75 = 10.8972…
    cards = [Card(1, "e1", D("80")), Card(1, "e2", D("90")), Card(2, "e1", D("60")), Card(2, "e2", D("80"))]
    result = aggregate(cards, "zscore")
    assert result["e1"].score == D("66.60")
    assert result["e2"].score == D("88.40")


def test_zscore_counts_jurors_with_one_card_raw():
    # Every juror scored one entry: all count raw, so the zscore is the plain mean.
    cards = [Card(1, "e1", D("80")), Card(2, "e1", D("70")), Card(3, "e2", D("95")), Card(4, "e2", D("60"))]
    zs, means = aggregate(cards, "zscore"), aggregate(cards, "mean")
    assert {e: s.score for e, s in zs.items()} == {e: s.score for e, s in means.items()} == {
        "e1": D("75.00"), "e2": D("77.50")}


def test_zscore_counts_a_juror_with_zero_spread_raw():
    # Juror 3 gives everybody 75: z = (75 − M) / S, i.e. its raw 75 enters the entry score.
    cards = [Card(1, "e1", D("80")), Card(1, "e2", D("90")), Card(2, "e1", D("60")), Card(2, "e2", D("80")),
             Card(3, "e1", D("75")), Card(3, "e2", D("75"))]
    result = aggregate(cards, "zscore")
    overall = mean(c.total for c in cards)
    sd = pstdev(c.total for c in cards)
    z_raw = (D("75") - overall) / sd
    expected_e1 = overall + sd * ((D(-1) + D(-1) + z_raw) / 3)
    assert result["e1"].score == quantize_score(expected_e1)


def test_juror_groups_weight_their_aggregates_and_renormalise_when_a_group_is_missing():
    cards = [Card("a", "e1", D("80")), Card("b", "e1", D("90")), Card("c", "e1", D("70")),
             Card("a", "e2", D("88"))]
    groups = {"a": "expert", "b": "expert", "c": "public"}
    weights = {"expert": D("0.6"), "public": D("0.4")}
    result = aggregate(cards, "mean", groups=groups, weights=weights)
    assert result["e1"].score == D("79.00")  # 0.6 × 85 + 0.4 × 70
    assert result["e2"].score == D("88.00")  # only the experts scored it
    assert result["e1"].card_count == 3
    assert result["e1"].spread == D("20")


def test_ranking_shares_ranks_and_skips():
    ranked = rank({"a": D("90.00"), "b": D("85.00"), "c": D("85.00"), "d": D("80.00")})
    assert [(r.key, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_per_criterion_averages_round_half_up():
    rows = [("e1", 1, D("20")), ("e1", 1, D("21")), ("e1", 1, D("22.5")), ("e1", 2, D("25"))]
    assert per_criterion_averages(rows) == {"e1": {1: D("21.17"), 2: D("25.00")}}


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        aggregate([Card(1, 1, D("1"))], "median")
