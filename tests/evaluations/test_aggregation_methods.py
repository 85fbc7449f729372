"""One object per aggregation method (evaluations/aggregation.py): ``Aggregation`` is the only
list of names, every name has exactly one method in ``REGISTRY``, and every method — a new one
included, with nothing to add here — is checked the same way: its value on figures worked out
by hand, and its SQL part against its Python part (the ``Part`` of every entry × juror group,
then the final scores) on seeded random roadshows.

The SQL part is PostgreSQL's; on SQLite the same roadshows check the Python path of
``queries.award_scores`` (its GROUP BY queries) instead.
"""

import ast
import random
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from evaluations import aggregation, queries, services
from evaluations.aggregation import REGISTRY, Card, Method
from evaluations.enums import Aggregation, CardStatus
from evaluations.models import Recusal, Score, Scorecard
from evaluations.sql import aggregation as sql_aggregation
from tests.factories import JurorFactory, RoadshowFactory, shortlisted

METHODS = list(REGISTRY.values())
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the SQL part is PostgreSQL's (CI runs a PostgreSQL pass)")


def test_every_aggregation_value_has_exactly_one_method():
    assert set(REGISTRY) == set(Aggregation)
    assert all(isinstance(m, Method) and m.name == name for name, m in REGISTRY.items())
    assert len({type(m) for m in REGISTRY.values()}) == len(Aggregation)
    assert aggregation.METHODS == tuple(Aggregation.values)
    with pytest.raises(ValueError):
        aggregation.method_of("median")


def _literal_name_lists(tree):
    names = set(Aggregation.values)
    for node in ast.walk(tree):
        elements = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
        if isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict) and elements:
            found = {e.value for e in elements if isinstance(e, ast.Constant) and e.value in names}
            if len(found) > 1:
                yield node.lineno, sorted(found)


def test_aggregation_is_the_only_list_of_method_names():
    """No app module (migrations aside) writes out two or more method names in one literal."""
    roots = [Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(settings.BASE_DIR)]
    roots.append(Path(settings.BASE_DIR) / "unionproj")
    found = []
    for root in roots:
        for path in root.rglob("*.py"):
            if "migrations" in path.parts or path.name == "enums.py":
                continue
            found += [(str(path), *hit) for hit in _literal_name_lists(ast.parse(path.read_text()))]
    assert not found


# --- each method, on its own ----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_one_card_scores_its_total(method):
    score = aggregation.aggregate([Card(1, "e", D("83.5"))], method.name)["e"]
    assert (score.score, score.card_count) == (D("83.50"), 1)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_equal_totals_score_that_total(method):
    cards = [Card(j, e, D("72.5")) for j in range(4) for e in "ab"]
    assert {s.score for s in aggregation.aggregate(cards, method.name).values()} == {D("72.50")}


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_value_is_an_exact_ratio_of_the_python_part(method):
    cards = [Card(j, e, D(t)) for j, e, t in [(1, "a", "80"), (2, "a", "91"), (3, "a", "70.5"), (1, "b", "60"),
                                              (2, "b", "66.5"), (3, "b", "99")]]
    parts = method.parts(cards)
    assert set(parts) == {"a", "b"}
    for entry, part in parts.items():
        numerator, denominator, _fell_back = method.value(part)
        assert denominator > 0 and isinstance(numerator, int)
        assert aggregation.aggregate(cards, method.name)[entry].score == aggregation.round_half_up(
            Fraction(numerator, denominator))


def test_the_values_on_hand_computed_figures():
    part = aggregation.Part(count=4, total=D("320"), high=D("95"), low=D("65"))
    def value(name, part):
        numerator, denominator, fell_back = REGISTRY[name].value(part)
        return Fraction(numerator, denominator), fell_back

    assert value(Aggregation.MEAN, part) == (80, False)
    assert value(Aggregation.TRIMMED_MEAN, part) == (80, False)  # (320 − 95 − 65) / 2
    two = aggregation.Part(count=2, total=D("160.5"), high=D("95"), low=D("65.5"))
    assert value(Aggregation.TRIMMED_MEAN, two) == (Fraction("80.25"), True)  # too few: the mean
    # zscore: N = 4 cards in the group, T = 320; one card counts raw (80), one is standardised
    # and adds N·S·z = 12: (N·80 + 1·T + 12) / (N·2) = (320 + 320 + 12) / 8.
    zs = aggregation.Part(count=2, total=D("170"), high=D("90"), low=D("80"), raw_total=D("80"), std_count=1,
                          std_sum=D("12"), group_count=4, group_total=D("320"))
    assert value(Aggregation.ZSCORE, zs) == (Fraction(652, 8), False)


# --- SQL part against Python part, on seeded roadshows ----------------------------------------

SEEDS = range(4)


def _world(seed, people, campaign, tree):
    """A roadshow with random scores: juror groups with weights (or no group at all), a juror
    who gives every entry the same scores, entries with one or two cards, recusals and
    drafts. Returns ``(roadshow, submitted cards, groups, weights)``."""
    rng = random.Random(seed)
    admin = people["admin"]
    projects = [shortlisted(campaign, tree["county_a"], title=f"方法{seed}-{i}") for i in range(rng.randint(3, 7))]
    roadshow = RoadshowFactory(actor=admin, campaign=campaign, projects=projects, jurors=[])
    made = [services.save_juror_group(actor=admin, roadshow=roadshow, name=f"组{g}",
                                      weight=rng.choice(["1", "0.6", "0.3"]))
            for g in range(rng.randint(0, 2))]  # none: every juror is in the group None
    jurors = [JurorFactory(username=f"m{seed}_{i}") for i in range(rng.randint(3, 6))]
    groups, weights = {}, {g.pk: g.weight for g in made}
    for i, juror in enumerate(jurors):
        group = made[i % len(made)] if made else None
        seat = services.add_juror(actor=admin, roadshow=roadshow, user=juror, group=group)
        if seat.group_id is not None:
            groups[juror.pk] = seat.group_id
    criteria = list(roadshow.rubric.criteria.all())
    flat = {c.pk: D(rng.randint(0, int(c.max_points * 10))) / 10 for c in criteria}
    cards = []
    for entry in roadshow.entries.all():
        sparse = rng.random() < 0.3
        for j, juror in enumerate(jurors):
            if sparse and rng.random() < 0.7:
                continue
            if rng.random() < 0.1:
                Recusal.objects.create(seat=roadshow.seats.get(user=juror), entry=entry, reason="回避",
                                       created_by=admin)
                continue
            draft = rng.random() < 0.15
            card = Scorecard.objects.create(entry=entry, juror=juror,
                                            status=CardStatus.DRAFT if draft else CardStatus.SUBMITTED)
            values = flat if j == 1 else {c.pk: D(rng.randint(0, int(c.max_points * 10))) / 10 for c in criteria}
            Score.objects.bulk_create(Score(card=card, criterion_id=c, value=v) for c, v in values.items())
            if not draft:
                cards.append(Card(juror.pk, entry.pk, sum(values.values(), D("0.0"))))
    return roadshow, cards, groups, weights


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_award_scores_equal_the_pure_python_aggregate(method, seed, people, campaign, tree):
    """PostgreSQL: the method's SQL part; SQLite: the GROUP BY queries and the Python part."""
    roadshow, cards, groups, weights = _world(seed, people, campaign, tree)
    scores, _averages = queries.award_scores(roadshow, method.name)
    assert scores == aggregation.aggregate(cards, method.name, groups=groups, weights=weights)
    assert scores


@on_postgresql
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_sql_part_gives_the_python_part(method, seed, people, campaign, tree):
    """Part for Part, each entry × juror group: what the method's statements read equals what
    its Python part computes from the same cards."""
    roadshow, cards, groups, weights = _world(seed, people, campaign, tree)
    criteria = list(roadshow.rubric.criteria.values_list("pk", flat=True))
    parts, _averages, stray = sql_aggregation.parts_and_averages(roadshow, method, criteria)
    assert stray == 0
    assert parts == aggregation.group_parts(cards, method.name, groups)
    assert aggregation.combine(parts, method.name, weights) == aggregation.aggregate(
        cards, method.name, groups=groups, weights=weights)
