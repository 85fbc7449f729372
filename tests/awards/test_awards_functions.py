"""The money and tier functions (allocation.allocation): examples and Hypothesis properties."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards import allocation
from awards.allocation import BudgetExceeded, Tier, assign_tiers, default_tiers, payouts
from awards.enums import DEFAULT_TIERS

D = Decimal
FOUR_TIERS = [
    Tier("特优", D("150000"), 1, quota_count=1),
    Tier("一等", D("80000"), 2, quota_count=3),
    Tier("二等", D("50000"), 3, quota_count=4),
    Tier("三等", D("30000"), 4, quota_count=6),
]


def names(result):
    return {key: (tier.name if tier else None) for key, tier in result.items()}


# --- rounding helpers -----------------------------------------------------------------------


def test_quantize_money_rounds_half_up_and_down_helper_rounds_down():
    assert allocation.quantize_money(D("1.005")) == D("1.01")
    assert allocation.quantize_money(D("1.004")) == D("1.00")
    assert allocation.quantize_money_down(D("1.009")) == D("1.00")
    assert allocation.quantize_money_down(D("0.019999")) == D("0.01")


def test_money_helpers_refuse_floats():
    with pytest.raises(TypeError):
        allocation.quantize_money(1.5)


@pytest.mark.parametrize(("entries", "percent", "expected"), [
    (16, "10", 2),      # 1.6 → 2
    (10, "15", 2),      # 1.5 → 2 (half-up)
    (10, "14", 1),      # 1.4 → 1
    (3, "1", 1),        # 0.03 → at least 1
    (16, "6.25", 1),
    (16, "37.5", 6),
])
def test_percent_quota_is_rounded_half_up_and_at_least_one(entries, percent, expected):
    assert allocation.round_quota(entries, D(percent)) == expected


# --- defaults -------------------------------------------------------------------------------


def test_default_tiers_for_sixteen_entries_fit_a_million():
    tiers = default_tiers(16)
    assert [(t.name, t.quota_count, t.amount) for t in tiers] == [
        (name, count, D(amount)) for name, count, amount in DEFAULT_TIERS]
    assert sum(t.quota_count * t.amount for t in tiers) == D("770000") <= D("1000000")


def test_default_tiers_scale_with_the_entry_count_but_keep_one_place_each():
    assert [t.quota_count for t in default_tiers(32)] == [2, 6, 8, 12]
    assert [t.quota_count for t in default_tiers(2)] == [1, 1, 1, 1]


# --- tiers ----------------------------------------------------------------------------------


def test_sixteen_entries_under_the_default_rules():
    scores = {i: D(100 - i) for i in range(16)}
    result = names(assign_tiers(scores, FOUR_TIERS))
    assert [result[i] for i in range(16)] == (["特优"] + ["一等"] * 3 + ["二等"] * 4 + ["三等"] * 6 + [None] * 2)


def test_a_tie_at_a_quota_boundary_admits_every_tied_entry_to_the_higher_tier():
    # 特优 has one place; a and b tie for it: both are 特优. 一等 then still has its 3 places.
    scores = {"a": D("90"), "b": D("90"), "c": D("85"), "d": D("84"), "e": D("83"), "f": D("82")}
    result = names(assign_tiers(scores, FOUR_TIERS[:2]))
    assert result == {"a": "特优", "b": "特优", "c": "一等", "d": "一等", "e": "一等", "f": None}


def test_a_tie_at_the_last_tier_boundary_admits_the_tied_entries():
    scores = {"a": D("90"), "b": D("80"), "c": D("80"), "d": D("70")}
    result = names(assign_tiers(scores, [Tier("一等", D("1"), 1, quota_count=2)]))
    assert result == {"a": "一等", "b": "一等", "c": "一等", "d": None}


def test_min_score_leaves_lower_entries_to_the_next_rule_or_to_none():
    rules = [Tier("一等", D("100"), 1, quota_count=5, min_score=D("85")),
             Tier("二等", D("50"), 2, min_score=D("70"))]
    scores = {"a": D("90"), "b": D("85"), "c": D("84.99"), "d": D("70"), "e": D("69.99")}
    assert names(assign_tiers(scores, rules)) == {"a": "一等", "b": "一等", "c": "二等", "d": "二等", "e": None}


def test_percent_quota_counts_the_entries_given():
    rules = [Tier("一等", D("1"), 1, quota_percent=D("25"))]
    scores = {i: D(i) for i in range(10)}  # 2.5 → 3 places
    assert sum(t is not None for t in assign_tiers(scores, rules).values()) == 3
    assert sum(t is not None for t in assign_tiers(scores, rules, entry_count=4).values()) == 1


def test_no_rules_no_tiers():
    assert names(assign_tiers({"a": D("99")}, [])) == {"a": None}


scores_st = st.dictionaries(
    st.integers(min_value=1, max_value=10_000),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    max_size=40,
)
tier_st = st.builds(
    lambda count, percent, min_score, amount, kind: Tier(
        "t", amount, 0,
        quota_count=count if kind in ("count", "count+min") else None,
        quota_percent=percent if kind == "percent" else None,
        min_score=min_score if kind in ("min", "count+min") else None),
    st.integers(min_value=1, max_value=8),
    st.decimals(min_value="0.01", max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=200000, places=2),
    st.sampled_from(["count", "percent", "min", "count+min"]),
)
rules_st = st.lists(tier_st, max_size=5).map(
    lambda ts: [Tier(f"等次{i}", t.amount, i, t.quota_count, t.quota_percent, t.min_score)
                for i, t in enumerate(ts, start=1)])


@settings(max_examples=200, deadline=None)
@given(scores_st, rules_st)
def test_a_higher_score_never_gets_a_lower_tier_and_equal_scores_the_same(scores, rules):
    result = assign_tiers(scores, rules)
    rank = {None: len(rules) + 1, **{t.name: t.order for t in rules}}
    for a, sa in scores.items():
        for b, sb in scores.items():
            ta, tb = rank[result[a] and result[a].name], rank[result[b] and result[b].name]
            if sa > sb:
                assert ta <= tb
            if sa == sb:
                assert ta == tb


@settings(max_examples=200, deadline=None)
@given(scores_st, rules_st, st.randoms(use_true_random=False))
def test_tiers_are_deterministic_and_do_not_depend_on_the_input_order(scores, rules, rnd):
    items = list(scores.items())
    rnd.shuffle(items)
    shuffled_rules = list(rules)
    rnd.shuffle(shuffled_rules)
    assert assign_tiers(items, shuffled_rules) == assign_tiers(scores, rules) == assign_tiers(scores, rules)


@settings(max_examples=200, deadline=None)
@given(scores_st, rules_st)
def test_each_tier_respects_its_minimum_and_its_quota_except_for_a_tie(scores, rules):
    result = assign_tiers(scores, rules)
    for rule in rules:
        members = [k for k, t in result.items() if t is not None and t.name == rule.name]
        for key in members:
            assert rule.min_score is None or scores[key] >= rule.min_score
        quota = rule.quota(len(scores))
        if quota is not None and len(members) > quota:
            lowest = min(scores[k] for k in members)
            # Only a tie at the boundary may overfill: the extra ones share the lowest score.
            assert sum(1 for k in members if scores[k] > lowest) < quota


# --- payouts --------------------------------------------------------------------------------


def test_within_budget_amounts_are_paid_as_they_are():
    plan = payouts({"a": D("150000"), "b": D("80000")}, D("1000000"), "scale")
    assert plan.amounts == {"a": D("150000.00"), "b": D("80000.00")}
    assert (plan.total, plan.scaled) == (D("230000.00"), False)


def test_scale_multiplies_by_budget_over_total_rounding_down_to_the_fen():
    plan = payouts({"a": D("100"), "b": D("100"), "c": D("100")}, D("100"), "scale")
    assert plan.amounts == {"a": D("33.33"), "b": D("33.33"), "c": D("33.33")}
    assert plan.total == D("99.99") <= D("100")
    assert plan.scaled and plan.requested == D("300.00")


def test_scale_with_no_budget_left_pays_nothing():
    plan = payouts({"a": D("100")}, D("-5"), "scale")
    assert plan.amounts == {"a": D("0.00")} and plan.total == D("0.00")


def test_refuse_over_budget_raises_a_clear_error():
    with pytest.raises(BudgetExceeded) as caught:
        payouts({"a": D("600000"), "b": D("600000")}, D("1000000"), "refuse")
    assert "1,200,000.00" in str(caught.value) and "1,000,000.00" in str(caught.value)
    assert "超出" in str(caught.value)


def test_refuse_within_budget_pays_in_full():
    assert payouts({"a": D("600000")}, D("1000000"), "refuse").total == D("600000.00")


amounts_st = st.dictionaries(st.integers(min_value=1, max_value=500),
                             st.decimals(min_value=0, max_value=500000, places=2), max_size=30)
budget_st = st.decimals(min_value=-1000, max_value=3_000_000, places=2)


@settings(max_examples=300, deadline=None)
@given(amounts_st, budget_st)
def test_scaled_total_never_exceeds_the_budget_and_every_amount_is_whole_fen(amounts, budget):
    plan = payouts(amounts, budget, "scale")
    assert plan.total == sum(plan.amounts.values(), D(0))
    assert plan.total <= max(budget, D(0))  # never above the budget (nothing when none is left)
    for key, amount in plan.amounts.items():
        assert amount >= 0
        assert amount == amount.quantize(D("0.01"))
        assert amount <= amounts[key]


@settings(max_examples=200, deadline=None)
@given(amounts_st, budget_st, st.randoms(use_true_random=False))
def test_payouts_are_deterministic_and_do_not_depend_on_the_input_order(amounts, budget, rnd):
    items = list(amounts.items())
    rnd.shuffle(items)
    assert payouts(dict(items), budget, "scale") == payouts(amounts, budget, "scale")


@settings(max_examples=200, deadline=None)
@given(amounts_st, budget_st)
def test_scaling_keeps_the_order_of_the_amounts(amounts, budget):
    plan = payouts(amounts, budget, "scale")
    for a in amounts:
        for b in amounts:
            if amounts[a] >= amounts[b]:
                assert plan.amounts[a] >= plan.amounts[b]
