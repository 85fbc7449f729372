"""Reads of roadshows and scorecards. Visibility lives here, once: pages and API use it, so a
card or roadshow that is not yours is simply not found (404). Every function runs a constant
number of queries, whatever the number of entries, jurors or cards.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy

from evaluations import aggregation
from unionproj import prepared

from .enums import CardStatus, EntryState, RoadshowStatus
from .models import (
    Criterion,
    Entry,
    EvaluationEvent,
    JurySeat,
    QuorumOverride,
    Recusal,
    Roadshow,
    Rubric,
    Score,
    Scorecard,
)
from .sql import visibility

ONE_PLACE = Decimal("0.1")
PUBLISHED_STATES = (RoadshowStatus.PUBLICITY, RoadshowStatus.FINALIZED)


# --- roadshows ------------------------------------------------------------------------------


def administered_roadshows_q(user):
    """The ``Q`` of the roadshows ``user`` administers (admin of the campaign's owner union or
    above it; every roadshow for a superuser)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    if user.is_admin_role and user.union_id:
        return Q(campaign__owner_union__path__startswith=user.union.path)
    return Q(pk__in=[])


def roadshows_visible_to(user):
    """Roadshows ``user`` may read: those they administer; those they sit on as a juror; and,
    for union staff and county admins, those whose results are published (公示 or final)."""
    if not user.is_authenticated:
        return Roadshow.objects.none()
    q = administered_roadshows_q(user)
    if user.is_juror_role:
        q |= Q(Exists(JurySeat.objects.filter(roadshow=OuterRef("pk"), user=user)))
    if user.is_staff_role or user.is_county_admin_role:
        q |= Q(status__in=PUBLISHED_STATES)
    return Roadshow.objects.filter(q).select_related("campaign__owner_union", "rubric")


def roadshows_administered_by(user):
    return Roadshow.objects.filter(administered_roadshows_q(user)).select_related("campaign__owner_union", "rubric")


def criteria_of(roadshow):
    return list(roadshow.rubric.criteria.all())


def entries_of(roadshow):
    """The running order, with what a row shows."""
    return roadshow.entries.select_related("project__applicant_union").order_by("order", "id")


def seats_of(roadshow):
    return roadshow.seats.select_related("user__union", "group").order_by("id")


def rubrics_of(campaign):
    """The campaign's own rubrics (its default first, then one per category), criteria
    prefetched in order: two queries however many rubrics."""
    return (Rubric.objects.filter(campaign=campaign).prefetch_related("criteria")
            .order_by(F("category").asc(nulls_first=True), "id"))


def recusals_of(roadshow):
    """Every recusal of the roadshow (the setup page shows them all)."""
    return (Recusal.objects.filter(entry__roadshow=roadshow)
            .select_related("seat__user__union", "entry__project__applicant_union", "created_by")
            .order_by("entry__order", "entry_id", "seat_id"))


def events_of(roadshow):
    return EvaluationEvent.objects.filter(roadshow=roadshow).select_related("actor").order_by("at", "id")


# --- scorecards -----------------------------------------------------------------------------


def cards_for_juror(user, roadshow=None):
    """``user``'s own cards — never another juror's, never a recused entry's — with the entry,
    the project and the scores (2 queries however many cards)."""
    if not user.is_authenticated:
        return Scorecard.objects.none()
    cards = Scorecard.objects.filter(visibility.own_cards_q(user))
    if roadshow is not None:
        cards = cards.filter(entry__roadshow=roadshow)
    return (cards.select_related("entry__project__applicant_union", "entry__roadshow__rubric")
            .prefetch_related("scores")
            .order_by("-entry__roadshow__date", "entry__roadshow_id", "entry__order", "entry_id"))


def recused_entries_of_juror(user):
    """``[(roadshow id, entry order, entry id)]`` of the entries ``user`` is recused from — no
    project of them: the list says 回避 without naming what (one query)."""
    if not user.is_authenticated:
        return []
    return list(Recusal.objects.filter(seat__user=user)
                .values_list("entry__roadshow_id", "entry__order", "entry_id").order_by("entry__order", "entry_id"))


def next_card_for_juror(user, card):
    """The juror's card to score after ``card`` (``None``: none now). In live mode the draft of
    the entry now open (not ``card``'s own); otherwise the first draft after ``card`` in the
    running order, else the first before it. Only while the roadshow is scoring (one query)."""
    entry = card.entry
    roadshow = entry.roadshow
    if roadshow.status != RoadshowStatus.SCORING:
        return None
    drafts = (cards_for_juror(user, roadshow).filter(status=CardStatus.DRAFT).exclude(pk=card.pk)
              .prefetch_related(None))
    if roadshow.live:
        return drafts.filter(entry__state=EntryState.OPEN).first()
    later = Q(entry__order__gt=entry.order) | Q(entry__order=entry.order, entry_id__gt=entry.pk)
    return drafts.filter(later).first() or drafts.first()


def own_card(user, pk):
    """The caller's own card, or ``Scorecard.DoesNotExist`` (also for another juror's card)."""
    return cards_for_juror(user).get(pk=pk)


def cards_visible_to(user):
    """The cards ``user`` may read: their own, or any card of a roadshow they administer (for
    the progress view and reopening); the rule is :mod:`evaluations.sql.visibility`'s. No
    joins: callers add what they read."""
    if not user.is_authenticated:
        return Scorecard.objects.none()
    own = visibility.own_cards_q(user)
    if not (user.is_superuser or (user.is_admin_role and user.union_id)):
        return Scorecard.objects.filter(own)  # administers nothing: a simpler query
    administered = Roadshow.objects.filter(administered_roadshows_q(user))
    return Scorecard.objects.filter(own | Q(entry__roadshow__in=administered))


def card_visible_to(user, pk):
    """A card the user may read (:func:`cards_visible_to`), with its entry, roadshow, project,
    juror and scores. ``Scorecard.DoesNotExist`` otherwise."""
    if not user.is_authenticated:
        raise Scorecard.DoesNotExist
    return (cards_visible_to(user)
            .select_related("entry__project__applicant_union", "entry__roadshow__campaign__owner_union",
                            "entry__roadshow__rubric", "juror")
            .prefetch_related("scores")
            .get(pk=pk))


def card_to_score(user, pk):
    """The bare card row (id, entry, juror, status; the rest deferred) if ``user`` may read it,
    for the scoring endpoints: they only need to know it is visible (else 404) and whose it is
    (else 403); the scoring service then locks it and reads the rest. Visible as
    :func:`cards_visible_to` says: the user's own card of an entry they are not recused from
    (decided by one fixed statement, :func:`evaluations.sql.visibility.card_to_score`: the
    scoring endpoints run it on every autosave of every phone), else only through the roadshows
    they administer (the full query). ``Scorecard.DoesNotExist`` otherwise."""
    if not user.is_authenticated:
        raise Scorecard.DoesNotExist
    with prepared.cursor() as cursor:
        cursor.execute(visibility.card_to_score(), [user.pk, pk])
        row = cursor.fetchone()
    if row is None:
        raise Scorecard.DoesNotExist
    card_id, entry_id, juror_id, status, own = row
    if own:
        return Scorecard.from_db(None, ["id", "entry_id", "juror_id", "status"], [card_id, entry_id, juror_id, status])
    return cards_visible_to(user).get(pk=pk)  # an administrator's view of another juror's card (or 404)


# --- live progress --------------------------------------------------------------------------


NO_CARD = "none"
RECUSED = "recused"


@dataclass
class EntryProgress:
    entry: Entry
    submitted: int
    expected: int
    cells: list = field(default_factory=list)  # [(seat, "submitted"|"draft"|"recused"|"none")]

    @property
    def complete(self):
        return self.expected > 0 and self.submitted >= self.expected


@dataclass
class LiveProgress:
    roadshow: Roadshow
    seats: list
    rows: list
    open_row: EntryProgress | None

    @property
    def submitted(self):
        return sum(r.submitted for r in self.rows)

    @property
    def expected(self):
        return sum(r.expected for r in self.rows)


def live_progress(roadshow):
    """Per entry: how many of the expected (non-recused) jurors have submitted, and each
    juror's status. Four queries whatever the size. Before scoring starts there are no cards:
    ``expected`` is still the number of non-recused jurors."""
    entries = list(entries_of(roadshow))
    seats = list(seats_of(roadshow))
    recused = set(Recusal.objects.filter(entry__roadshow=roadshow).values_list("seat_id", "entry_id"))
    card_status = {(juror, entry): status for juror, entry, status in
                   Scorecard.objects.filter(entry__roadshow=roadshow).values_list("juror_id", "entry_id", "status")}
    rows, open_row = [], None
    for entry in entries:
        cells, submitted, expected = [], 0, 0
        for seat in seats:
            if (seat.pk, entry.pk) in recused:
                cells.append((seat, RECUSED))
                continue
            expected += 1
            status = card_status.get((seat.user_id, entry.pk), NO_CARD)
            submitted += status == CardStatus.SUBMITTED
            cells.append((seat, status))
        row = EntryProgress(entry=entry, submitted=submitted, expected=expected, cells=cells)
        rows.append(row)
        if entry.state == EntryState.OPEN:
            open_row = row
    return LiveProgress(roadshow=roadshow, seats=seats, rows=rows, open_row=open_row)


# --- results --------------------------------------------------------------------------------


# What an entry without a submitted card shows instead of a score (issue 13): it is listed,
# unranked, never dropped.
NO_VALID_SCORE = gettext_lazy("无有效评分")


@dataclass
class ResultRow:
    entry: Entry
    rank: int | None
    score: object  # aggregation.EntryScore; None: no submitted card (无有效评分)
    per_criterion: dict  # {criterion id: Decimal}

    @property
    def final_score(self):
        return None if self.score is None else self.score.score

    @property
    def card_count(self):
        return 0 if self.score is None else self.score.card_count


def submitted_scores(roadshow):
    """``[(juror id, entry id, criterion id, value)]`` of the roadshow's submitted cards."""
    return list(Score.objects.filter(card__entry__roadshow=roadshow, card__status=CardStatus.SUBMITTED)
                .values_list("card__juror_id", "card__entry_id", "criterion_id", "value"))


def scoring_results(roadshow, aggregation_method=None):
    """The ranking of the entries with at least one submitted card, under the roadshow's
    aggregation (or ``aggregation_method``), with per-criterion averages and card counts, then
    the entries without one (no score, no rank), in running order.
    Reads only — storing results is the compute task's job. Five queries whatever the size."""
    method = aggregation_method or roadshow.aggregation
    rows = submitted_scores(roadshow)
    totals = defaultdict(lambda: aggregation.ZERO)
    for juror, entry, _criterion, value in rows:
        totals[(juror, entry)] += value
    cards = [aggregation.Card(juror, entry, total) for (juror, entry), total in totals.items()]
    seats = list(roadshow.seats.select_related("group"))
    groups = {seat.user_id: seat.group_id for seat in seats}
    weights = {seat.group_id: seat.group.weight for seat in seats if seat.group is not None}
    scores = aggregation.aggregate(cards, method, groups=groups, weights=weights)
    averages = aggregation.per_criterion_averages((entry, criterion, value) for _j, entry, criterion, value in rows)
    entries = {e.pk: e for e in entries_of(roadshow)}
    return ([ResultRow(entry=entries[s.entry], rank=rank, score=s, per_criterion=averages.get(s.entry, {}))
             for s, rank in aggregation.rank_entries(scores) if s.entry in entries]
            + [ResultRow(entry=e, rank=None, score=None, per_criterion={}) for pk, e in entries.items()
               if pk not in scores])


def card_counts(roadshow):
    """``{entry id: {"submitted": n, "draft": n}}`` in one query."""
    counts = defaultdict(Counter)
    for entry, status in Scorecard.objects.filter(entry__roadshow=roadshow).values_list("entry_id", "status"):
        counts[entry][status] += 1
    return counts


# --- aggregation: the inputs of the awards' compute task --------------------------------------
# For a big roadshow (issue 7 measures a million scores) the per-card sums and per-criterion
# averages are GROUP BY queries: Python sees one row per card and one per entry × criterion,
# never one per score.

SUM_FIELD = DecimalField(max_digits=20, decimal_places=1)


def card_totals(roadshow):
    """``[aggregation.Card(juror, entry, total)]`` of the roadshow's submitted cards (one
    query, summed in the database)."""
    rows = (Score.objects.filter(card__entry__roadshow=roadshow, card__status=CardStatus.SUBMITTED)
            .values("card__juror_id", "card__entry_id")
            .annotate(total=Sum("value", output_field=SUM_FIELD))
            .order_by())
    return [aggregation.Card(r["card__juror_id"], r["card__entry_id"], Decimal(r["total"]).quantize(ONE_PLACE))
            for r in rows]


def criterion_averages(roadshow):
    """``{entry id: {criterion id: mean}}`` over the submitted cards, each mean rounded
    half-up to 2 places (one query: sums and counts in the database, the division in
    ``Decimal``)."""
    rows = (Score.objects.filter(card__entry__roadshow=roadshow, card__status=CardStatus.SUBMITTED)
            .values("card__entry_id", "criterion_id")
            .annotate(total=Sum("value", output_field=SUM_FIELD), n=Count("id"))
            .order_by())
    averages = defaultdict(dict)
    for r in rows:
        total = Decimal(r["total"]).quantize(ONE_PLACE)
        averages[r["card__entry_id"]][r["criterion_id"]] = aggregation.average_half_up(total, r["n"])
    return dict(averages)


def group_weights(roadshow):
    """``({juror id: group id}, {group id: weight})`` of the roadshow's jury."""
    seats = list(roadshow.seats.select_related("group"))
    return ({seat.user_id: seat.group_id for seat in seats},
            {seat.group_id: seat.group.weight for seat in seats if seat.group is not None})


def award_scores(roadshow, aggregation_method=None):
    """``({entry id: EntryScore}, {entry id: {criterion id: mean}})`` of the entries with a
    submitted card, under the roadshow's aggregation or ``aggregation_method``.

    On PostgreSQL the scores are read once and aggregated down to one row per entry × juror
    group (:mod:`evaluations.sql.aggregation`: one statement; zscore three, through a
    temporary table of the cards); elsewhere (SQLite, the
    embedded default) the card totals and per-criterion sums are two GROUP BY queries and the
    rest is Python. Both end in :func:`aggregation.combine`: identical Decimals. Whatever the
    size: on PostgreSQL 4 queries for mean and trimmed mean, 7 for zscore (the seats, the
    criteria, the planner settings, the aggregation; plus a savepoint pair inside a caller's
    transaction); 3 elsewhere (tests/evaluations/test_queries.py compares two sizes)."""
    method = aggregation_method or roadshow.aggregation
    groups, weights = group_weights(roadshow)
    if connection.vendor == "postgresql":
        from .sql import aggregation as sql_aggregation

        criteria = list(Criterion.objects.filter(rubric_id=roadshow.rubric_id).values_list("pk", flat=True))
        parts, averages, stray = sql_aggregation.parts_and_averages(roadshow, aggregation.method_of(method), criteria)
        if stray:  # a score outside the rubric (never, unless it changed under the cards)
            averages = criterion_averages(roadshow)
        return aggregation.combine(parts, method, weights), averages
    scores = aggregation.aggregate(card_totals(roadshow), method, groups=groups, weights=weights)
    return scores, criterion_averages(roadshow)


def ranked_scores(roadshow, aggregation_method=None, cards=None):
    """``[(EntryScore, rank)]`` of the entries with a submitted card, under the roadshow's
    aggregation or ``aggregation_method``; ``cards`` (from :func:`card_totals`) saves reading
    them again."""
    if cards is None:
        scores, _averages = award_scores(roadshow, aggregation_method)
        return aggregation.rank_entries(scores)
    groups, weights = group_weights(roadshow)
    scores = aggregation.aggregate(cards, aggregation_method or roadshow.aggregation, groups=groups, weights=weights)
    return aggregation.rank_entries(scores)


def quorum_overrides_of(roadshow):
    """The roadshow's quorum override reasons (issue 13), oldest first, with the admin (one
    query): the results page and every export print them."""
    return list(QuorumOverride.objects.filter(roadshow=roadshow).select_related("actor").order_by("at", "id"))


# --- the quorum overrides, the juror spread and the big screen's scores ------------------------


def juror_spread(roadshow):
    """Per juror of the roadshow: the number, mean, minimum and maximum of their submitted card
    totals, so that a juror scoring far above or below the others stands out (two queries).
    ``[{"juror": id, "name": str, "cards": n, "mean": Decimal, "min": Decimal, "max": Decimal}]``
    ordered by mean, highest first."""
    per_juror = defaultdict(list)
    for card in card_totals(roadshow):
        per_juror[card.juror].append(card.total)
    names = {seat.user_id: seat.user.display_name for seat in roadshow.seats.select_related("user")}
    rows = []
    for juror, totals in per_juror.items():
        mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
        rows.append({"juror": juror, "name": names.get(juror, str(juror)), "cards": len(totals), "mean": mean,
                     "min": min(totals), "max": max(totals)})
    return sorted(rows, key=lambda r: (-r["mean"], r["name"]))


def scores_on_screen(roadshow):
    """What the hall may see on the big screen (page and API alike): ``(finished, shown, ranks)``
    — every entry's result once scoring is over, else only the closed entries' (a score being
    given never moves on screen), keyed by entry id, and their ranking (``aggregation.rank``: shared ranks, in order)."""
    finished = roadshow.status not in (RoadshowStatus.SETUP, RoadshowStatus.SCORING)
    shown = {r.entry.pk: r for r in scoring_results(roadshow) if finished or r.entry.state == EntryState.CLOSED}
    return finished, shown, aggregation.rank({pk: r.final_score for pk, r in shown.items()
                                              if r.final_score is not None})


# --- entries locked on their roadshow ------------------------------------------------------


def unfinished_entries_of_project(project, exclude_roadshow=None):
    """The entries of ``project`` on roadshows not finalised yet (other than
    ``exclude_roadshow``, an id), with their roadshow, oldest roadshow first. While there is
    one, the project's status belongs to that roadshow (``evaluations.services.entries``)."""
    entries = (Entry.objects.filter(project_id=project.pk).exclude(roadshow__status=RoadshowStatus.FINALIZED)
               .select_related("roadshow").order_by("roadshow_id", "pk"))
    if exclude_roadshow is not None:
        entries = entries.exclude(roadshow_id=exclude_roadshow)
    return entries
