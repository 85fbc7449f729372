"""What each export holds, independent of the file format: a :class:`Document` of one or more
sheets, each with its columns and a *stream* of rows (generators over ``.iterator()`` queries,
so that a large export never holds its rows in memory). The writers in ``xlsx``, ``csv`` and
``pdf`` turn a document into a file.

Every builder runs a constant number of queries whatever the number of entries, jurors or
cards: the rows come from one query each, score sheets merge two ordered streams (cards and
scores) instead of prefetching per card.

The rows are read with ``.values_list(...).iterator(chunk_size=CHUNK)``: tuples of exactly the
columns a row shows, no model instances (building four related instances per row cost more
than writing the file; see docs/PERFORMANCE.md, exports).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Payout, Result
from awards.services.ranking import top_level_union_id
from evaluations.enums import CardStatus
from evaluations.models import Entry, JurySeat, QuorumOverride, Recusal, Score, Scorecard
from evaluations.queries import NO_VALID_SCORE
from unionproj.text import quoted

from .models import EXPORT_FORMATS, EXPORT_KINDS

# Rows fetched per round trip (PostgreSQL: a server-side cursor). Memory is bounded by the
# chunk, not by the number of entries: the peak holds about two chunks (the next is fetched
# while the last is still referenced), so a bigger chunk shows up as growth between a small and
# a large export (2,000: +1 MiB from 2,500 to 10,000 rows; 500: +45 KiB) for no measurable gain
# in time (a round trip on loopback is ~1 ms: 20 of them for 10,000 rows).
CHUNK = 500
ZERO = Decimal("0.00")

# kind → label (the file's name and subtitle); the API's names are fixed (API.md).
AWARDS, RANKING, SCORESHEETS, PAYOUTS, CERTIFICATES = "awards", "ranking", "scoresheets", "payouts", "certificates"
KINDS = dict(EXPORT_KINDS)
XLSX, CSV, PDF = "xlsx", "csv", "pdf"
FORMATS = dict(EXPORT_FORMATS)
# Certificates exist as PDF only.
FORMATS_OF = {AWARDS: (XLSX, CSV, PDF), RANKING: (XLSX, CSV, PDF), SCORESHEETS: (XLSX, CSV, PDF),
              PAYOUTS: (XLSX, CSV, PDF), CERTIFICATES: (PDF,)}

TEXT, MONEY, SCORE, INT = "text", "money", "score", "int"
DEFAULT_NOTICE_TITLE = "关于{campaign}“{roadshow}”评审结果的通报"


@dataclass
class Column:
    header: str
    width: int = 12  # in characters (XLSX); PDF tables size themselves
    kind: str = TEXT


@dataclass(slots=True)
class Row:
    cells: list
    style: str = ""   # "", "subtotal", "total"
    group: str = ""   # awards: the tier; the PDF starts a section when it changes
    mark: str = ""    # score sheets: "recused", "draft", "none"


@dataclass
class Sheet:
    name: str                       # worksheet name (≤ 31 characters), CSV's first column when asked
    title: str                      # the heading above the table
    columns: list
    rows: Iterable                  # of Row
    footer: list = field(default_factory=list)  # lines under the table (signature, date)


@dataclass
class Document:
    kind: str
    roadshow: object
    title: str                      # campaign and roadshow
    notice_title: str               # the official notice's title (PDF)
    subtitle: str                   # what the file is (获奖名单 …)
    sheets: Iterable                # of Sheet
    rows: int = 0                   # how many rows, for progress and the sync/async threshold
    csv_sheet_column: str = ""      # score sheets: CSV prefixes each row with the sheet's name
    issuer: str = ""
    date: object = None
    notes: list = field(default_factory=list)  # printed with every sheet: the quorum overrides

    @property
    def filename_stem(self):
        return f"{self.roadshow.title}-{self.subtitle}"


def notice_title(roadshow):
    """The official notice's title: ``settings.EXPORT_NOTICE_TITLE`` (placeholders ``{campaign}``,
    ``{roadshow}``, ``{year}``, ``{union}``)."""
    template = getattr(settings, "EXPORT_NOTICE_TITLE", "") or DEFAULT_NOTICE_TITLE
    campaign = roadshow.campaign
    values = {"campaign": campaign.title, "roadshow": roadshow.title, "year": campaign.year,
              "union": campaign.owner_union.name}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):  # a malformed setting must not break the export
        return template


def quorum_notes(roadshow):
    """One line per quorum override of the roadshow (issue 13), which every export prints: who
    went on below quorum, when, doing what, for which entries, and why (one query)."""
    lines = []
    for override in QuorumOverride.objects.filter(roadshow=roadshow).select_related("actor").order_by("at", "id"):
        entries = "、".join(_("%(p)s%(c)s 份（法定 %(q)s 份）") % {"p": quoted(item["project"]), "c": item["cards"],
                                                                   "q": item["quorum"]}
                           for item in override.shortfall)
        lines.append(_("有效评分表不足法定数的例外：%(at)s %(who)s%(action)s，%(entries)s；理由：%(reason)s") % {
            "at": timezone.localtime(override.at).strftime("%Y-%m-%d %H:%M"),
            "who": override.actor.display_name if override.actor else "", "action": override.get_action_display(),
            "entries": entries, "reason": override.reason})
    return lines


def _document(roadshow, kind, sheets, rows, **kwargs):
    campaign = roadshow.campaign
    return Document(kind=kind, roadshow=roadshow, title=f"{campaign.title} · {roadshow.title}",
                    notice_title=notice_title(roadshow), subtitle=str(KINDS[kind]), sheets=sheets, rows=rows,
                    issuer=campaign.owner_union.name, date=timezone.localdate(), notes=quorum_notes(roadshow),
                    **kwargs)


def criteria(roadshow):
    return list(roadshow.rubric.criteria.all())


def _results(roadshow):
    return Result.objects.filter(roadshow=roadshow)


# The awarded entries in the order of the award list and of the certificates.
AWARD_ORDER = ("tier_order", "rank", "entry__order", "entry_id")


# --- row counts (the sync/async threshold) ---------------------------------------------------


def estimate_rows(roadshow, kind):
    """How many rows the export of ``kind`` has (one query)."""
    if kind in (AWARDS, CERTIFICATES):
        return Result.objects.filter(roadshow=roadshow).exclude(tier="").count()
    if kind == RANKING:
        return Result.objects.filter(roadshow=roadshow).count()
    if kind == SCORESHEETS:  # one row per juror × entry
        return _seat_entry_count(roadshow)
    if kind == PAYOUTS:
        return Payout.objects.filter(roadshow=roadshow).count()
    return 0


def _seat_entry_count(roadshow):
    from django.db.models import Count

    counts = type(roadshow).objects.filter(pk=roadshow.pk).aggregate(
        seats=Count("seats", distinct=True), entries=Count("entries", distinct=True))
    return counts["seats"] * counts["entries"]


# --- awards (获奖名单) ------------------------------------------------------------------------


def awards(roadshow, rows=None):
    """The awarded entries grouped by tier (the rules' order: 特优, 一等, 二等, 三等), by rank
    within a tier, and a total row."""
    rows = estimate_rows(roadshow, AWARDS) if rows is None else rows
    columns = [Column(_("等次"), 8), Column(_("名次"), 6, INT), Column(_("项目名称"), 40), Column(_("申报单位"), 28),
               Column(_("最终得分"), 10, SCORE), Column(_("奖补金额（元）"), 16, MONEY)]

    def stream():
        count, total = 0, ZERO
        results = (_results(roadshow).exclude(tier="").order_by(*AWARD_ORDER)
                   .values_list("tier", "rank", "entry__project__title", "entry__project__applicant_union__name",
                                "final_score", "amount")
                   .iterator(chunk_size=CHUNK))
        for tier, rank, title, union, final_score, amount in results:
            count += 1
            total += amount
            yield Row([tier, rank, title, union, final_score, amount], group=tier)
        yield Row([_("合计"), None, _("共 %(n)s 个项目") % {"n": count}, "", None, total], style="total")

    sheet = Sheet(name=str(KINDS[AWARDS]), title=str(KINDS[AWARDS]), columns=columns, rows=stream())
    return _document(roadshow, AWARDS, [sheet], rows)


# --- ranking (评审排名表) ---------------------------------------------------------------------


def ranking(roadshow, rows=None):
    """Every entry in rank order: final score, per-criterion averages, card count, tier; the
    entries without a submitted card last, unranked, as 无有效评分."""
    rows = estimate_rows(roadshow, RANKING) if rows is None else rows
    crits = criteria(roadshow)
    columns = [Column(_("名次"), 6, INT), Column(_("项目名称"), 40), Column(_("申报单位"), 28),
               Column(_("最终得分"), 10, SCORE)]
    columns += [Column(_("%(name)s均分（%(max)s）") % {"name": c.name, "max": _points(c.max_points)}, 12, SCORE)
                for c in crits]
    columns += [Column(_("有效评分表"), 10, INT), Column(_("等次"), 8), Column(_("奖补金额（元）"), 16, MONEY)]

    keys = [str(c.pk) for c in crits]  # per_criterion is keyed by the criterion's id as text

    def stream():
        results = (_results(roadshow).order_by(F("rank").asc(nulls_last=True), "entry__order", "entry_id")
                   .values_list("rank", "entry__project__title", "entry__project__applicant_union__name",
                                "final_score", "per_criterion", "card_count", "tier", "amount")
                   .iterator(chunk_size=CHUNK))
        no_score = str(NO_VALID_SCORE)
        for rank, title, union, final_score, per_criterion, card_count, tier, amount in results:
            per_criterion = per_criterion or {}
            yield Row([rank, title, union, no_score if final_score is None else final_score,
                       *[_decimal(per_criterion.get(k)) for k in keys], card_count, tier, amount])

    sheet = Sheet(name=str(KINDS[RANKING]), title=str(KINDS[RANKING]), columns=columns, rows=stream())
    return _document(roadshow, RANKING, [sheet], rows)


def _decimal(value):
    """A stored average (JSON: text, or a number from older results) as a Decimal; a float goes
    through its text so that 12.3 stays 12.3."""
    if value is None or value == "":
        return None
    return Decimal(value if value.__class__ is str else str(value))


def _points(value):
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


# --- score sheets (评分表) --------------------------------------------------------------------


class _Stream:
    """An iterator one can look into: ``head`` is the next item (``None`` at the end)."""

    def __init__(self, iterable):
        self._it = iter(iterable)
        self.head = next(self._it, None)

    def advance(self):
        self.head = next(self._it, None)


def scoresheets(roadshow, rows=None):  # rows: unused, the count is seats × entries (no query)
    """One sheet per juror (ordered by user id): every entry of the running order with the
    juror's per-criterion scores, total and comment; a recused entry is marked 回避, a card not
    submitted 未提交. A signature and date line under each.

    Six queries whatever the size: criteria, seats, entries, recusals, then the cards and the
    scores as two streams sorted the same way — (juror, running order, entry, card) — merged
    as the sheets are written, so that no card or score is held longer than its row."""
    crits = criteria(roadshow)
    seats = list(JurySeat.objects.filter(roadshow=roadshow).select_related("user").order_by("user_id"))
    entries = list(Entry.objects.filter(roadshow=roadshow).select_related("project__applicant_union")
                   .order_by("order", "id"))
    recused = set(Recusal.objects.filter(entry__roadshow=roadshow).values_list("seat_id", "entry_id"))
    columns = [Column(_("路演顺序"), 8, INT), Column(_("项目名称"), 36), Column(_("申报单位"), 24)]
    columns += [Column(f"{c.name}({_points(c.max_points)})", 11, SCORE) for c in crits]
    columns += [Column(_("总分"), 9, SCORE), Column(_("评语"), 36), Column(_("状态"), 8)]
    names = _sheet_names([seat.user.display_name for seat in seats])
    footer = [_("评委签名：______________________        日期：________年____月____日")]
    blank = [None] * len(crits)
    # Worked out once, not per juror × entry: each entry's first cells, the criteria's ids, the
    # status labels (a gettext lookup each).
    rows_of_entries = [(e.pk, (e.order, e.project.title, e.project.applicant_union.name)) for e in entries]
    criterion_ids = [c.pk for c in crits]
    label_recused, label_none, label_draft, label_submitted = _("回避"), _("无评分表"), _("未提交"), _("已提交")

    def sheets():
        cards = _Stream(
            Scorecard.objects.filter(entry__roadshow=roadshow)
            .order_by("juror_id", "entry__order", "entry_id", "id")
            .values_list("juror_id", "entry__order", "entry_id", "id", "status", "comment")
            .iterator(chunk_size=CHUNK))
        scores = _Stream(
            Score.objects.filter(card__entry__roadshow=roadshow)
            .order_by("card__juror_id", "card__entry__order", "card__entry_id", "card_id")
            .values_list("card__juror_id", "card__entry__order", "card__entry_id", "card_id", "criterion_id",
                         "value")
            .iterator(chunk_size=CHUNK * 4))

        def card_for(juror_id, entry_order, entry_id):
            key = (juror_id, entry_order, entry_id)
            while cards.head is not None and cards.head[:3] < key:  # a juror no longer seated
                cards.advance()
            if cards.head is not None and cards.head[:3] == key:
                card = cards.head
                cards.advance()
                return card
            return None

        def values_of(card):
            key = card[:4]
            while scores.head is not None and scores.head[:4] < key:
                scores.advance()
            values = {}
            while scores.head is not None and scores.head[:4] == key:
                values[scores.head[4]] = scores.head[5]
                scores.advance()
            return values

        def sheet_rows(seat):
            seat_id, juror_id = seat.pk, seat.user_id
            for entry_id, base in rows_of_entries:
                card = card_for(juror_id, base[0], entry_id)
                if (seat_id, entry_id) in recused:
                    yield Row([*base, *blank, None, "", label_recused], mark="recused")
                elif card is None:
                    yield Row([*base, *blank, None, "", label_none], mark="none")
                elif card[4] != CardStatus.SUBMITTED:
                    yield Row([*base, *blank, None, "", label_draft], mark="draft")
                else:
                    values = values_of(card)
                    cells = [values.get(pk) for pk in criterion_ids]
                    total = sum((v for v in cells if v is not None), Decimal("0.0"))
                    yield Row([*base, *cells, total, card[5], label_submitted])

        for seat, name in zip(seats, names, strict=True):
            yield Sheet(name=name, title=_("评委：%(name)s") % {"name": seat.user.display_name}, columns=columns,
                        rows=sheet_rows(seat), footer=footer)

    return _document(roadshow, SCORESHEETS, sheets(), len(seats) * len(entries), csv_sheet_column=_("评委"))


INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _sheet_names(names):
    """Worksheet names: ≤ 31 characters, none of ``[]:*?/\\``, unique."""
    seen, result = set(), []
    for name in names:
        base = (name or "sheet").translate(INVALID_SHEET_CHARS)[:28] or "sheet"
        candidate, i = base, 2
        while candidate.lower() in seen:
            candidate = f"{base[:26]}({i})"
            i += 1
        seen.add(candidate.lower())
        result.append(candidate)
    return result


# --- payouts (补贴拨付表) ---------------------------------------------------------------------


def payouts(roadshow, rows=None):
    """One row per applicant union (its projects, tiers and amount), a subtotal per county (the
    union directly under the root) and the grand total, which equals the sum of the payouts.
    Two queries: the payouts in union-path order (a county's unions are contiguous), and the
    counties' names."""
    from members.models import Union

    rows = estimate_rows(roadshow, PAYOUTS) if rows is None else rows
    columns = [Column(_("所属县（市、区）"), 18), Column(_("申报单位"), 28), Column(_("项目数"), 8, INT),
               Column(_("获奖项目及等次"), 50), Column(_("拨付金额（元）"), 16, MONEY)]
    # The counties' names: the path's second id (the root's own projects count under the root).
    paths = (Payout.objects.filter(roadshow=roadshow).values_list("project__applicant_union__path", flat=True)
             .distinct())

    def stream():
        county_ids = {top_level_union_id(p) for p in paths}
        county_names = dict(Union.objects.filter(pk__in=county_ids).values_list("pk", "name"))
        payout_rows = (Payout.objects.filter(roadshow=roadshow)
                       .order_by("project__applicant_union__path", "result__rank", "id")
                       .values_list("project__applicant_union_id", "project__applicant_union__name",
                                    "project__applicant_union__path", "project__title", "tier", "amount")
                       .iterator(chunk_size=CHUNK))
        grand, grand_n = ZERO, 0
        county, county_total, county_n = None, ZERO, 0
        union, union_name, union_total, union_projects = None, "", ZERO, []

        def union_row():
            return Row([county_names.get(county, ""), union_name, len(union_projects), "、".join(union_projects),
                        union_total])

        def county_row():
            return Row([_("%(c)s 小计") % {"c": county_names.get(county, "")}, "", county_n, "", county_total],
                       style="subtotal")

        for applicant_id, applicant_name, path, title, tier, amount in payout_rows:
            this_county = top_level_union_id(path)
            if union is not None and applicant_id != union:
                yield union_row()
                union, union_total, union_projects = None, ZERO, []
            if county is not None and this_county != county:
                yield county_row()
                county_total, county_n = ZERO, 0
            county = this_county
            union, union_name = applicant_id, applicant_name
            union_total += amount
            union_projects.append(f"{title}({tier})")
            county_total += amount
            county_n += 1
            grand += amount
            grand_n += 1
        if union is not None:
            yield union_row()
            yield county_row()
        yield Row([_("合计"), "", grand_n, "", grand], style="total")

    sheet = Sheet(name=str(KINDS[PAYOUTS]), title=str(KINDS[PAYOUTS]), columns=columns, rows=stream(),
                  footer=[_("制表人：______________    审核人：______________    日期：________年____月____日")])
    return _document(roadshow, PAYOUTS, [sheet], rows)


# --- certificates (荣誉证书) ------------------------------------------------------------------


@dataclass
class Certificate:
    project: str
    union: str
    tier: str
    rank: int


def certificates(roadshow, rows=None):
    """One certificate per awarded project, highest tier first (one query)."""
    rows = estimate_rows(roadshow, CERTIFICATES) if rows is None else rows

    def stream():
        results = (_results(roadshow).exclude(tier="").order_by(*AWARD_ORDER)
                   .values_list("entry__project__title", "entry__project__applicant_union__name", "tier", "rank")
                   .iterator(chunk_size=CHUNK))
        for title, union, tier, rank in results:
            yield Certificate(project=title, union=union, tier=tier, rank=rank)

    return _document(roadshow, CERTIFICATES, stream(), rows)


BUILDERS = {AWARDS: awards, RANKING: ranking, SCORESHEETS: scoresheets, PAYOUTS: payouts, CERTIFICATES: certificates}


def build(roadshow, kind, rows=None):
    """The document of ``kind``; ``rows``: the count the caller already has (a query less)."""
    return BUILDERS[kind](roadshow, rows)
