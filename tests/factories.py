"""factory_boy factories shared by every test module: one per role, campaigns and projects, and
the roadshow factories (``RoadshowFactory``, ``ScorecardFactory``, ``ScoredRoadshowFactory``),
which go through ``evaluations.services`` because only the services write a roadshow's and a
card's states. Also the small helpers that turn a total into a card's scores."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
from django.utils import timezone

from evaluations import services as evaluation_services
from evaluations.models import Entry, JurySeat, Roadshow, Scorecard

from members.enums import UnionLevel
from members.models import Union, User
from projects.enums import ProjectStatus
from projects.models import Campaign, Project

PASSWORD = "Test-pass-2026!"


class UnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Union

    name = factory.Sequence(lambda n: f"测试工会{n}")
    short_name = factory.Sequence(lambda n: f"工会{n}")
    level = UnionLevel.GRASSROOTS
    parent = None


class MunicipalUnionFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"测试市总工会{n}")
    level = UnionLevel.MUNICIPAL


class CountyUnionFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"测试区总工会{n}")
    level = UnionLevel.COUNTY
    parent = factory.SubFactory(MunicipalUnionFactory)


class TownUnionFactory(UnionFactory):
    name = factory.Sequence(lambda n: f"测试镇总工会{n}")
    level = UnionLevel.TOWN
    parent = factory.SubFactory(CountyUnionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff_role = True
    union = factory.SubFactory(CountyUnionFactory)


class CountyAdminFactory(UserFactory):
    is_county_admin_role = True
    union = factory.SubFactory(CountyUnionFactory)


class AdminFactory(UserFactory):
    is_admin_role = True
    union = factory.SubFactory(MunicipalUnionFactory)


class JurorFactory(UserFactory):
    is_juror_role = True
    juror_kind = "expert"
    union = None


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    year = 2026
    title = factory.Sequence(lambda n: f"2026年度工会创新工作项目{n}")
    owner_union = factory.SubFactory(MunicipalUnionFactory)
    filing_opens = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    filing_deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    budget = Decimal("1000000.00")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in any state, written directly: for tests that need a starting state. Tests of
    the workflow itself go through ``projects.services``."""

    class Meta:
        model = Project

    campaign = factory.SubFactory(CampaignFactory)
    applicant_union = factory.SubFactory(CountyUnionFactory, parent=factory.SelfAttribute("..campaign.owner_union"))
    title = factory.Sequence(lambda n: f"职工创新项目{n}")
    category = "职工帮扶服务"
    summary = "项目简介：为职工提供服务。"
    budget_requested = Decimal("50000.00")
    status = ProjectStatus.DRAFT


def shortlisted(campaign, union, **fields):
    """A project of ``campaign`` filed by ``union``, already shortlisted (ready to be entered)."""
    return ProjectFactory(campaign=campaign, applicant_union=union, status=ProjectStatus.SHORTLISTED, **fields)


# --- Scores for cards -------------------------------------------------------------------------

MAXIMA = (Decimal(25), Decimal(25), Decimal(30), Decimal(20))  # the default rubric


def split(total):
    """Per-criterion values of the default rubric adding up to ``total`` (each criterion filled
    to its maximum in turn)."""
    left, values = Decimal(str(total)), []
    for maximum in MAXIMA:
        value = min(maximum, left)
        values.append(value)
        left -= value
    assert left == 0, f"{total} is above 100"
    return values


def card_scores(roadshow, total):
    """``{criterion id: "value"}`` of ``roadshow``'s rubric adding up to ``total``."""
    return {c.pk: str(v) for c, v in zip(roadshow.rubric.criteria.all(), split(total), strict=True)}


def full_scores(roadshow, values=("20", "20", "25", "15")):
    """``{criterion id: value}``: ``values`` in the order of ``roadshow``'s criteria."""
    return {c.pk: v for c, v in zip(roadshow.rubric.criteria.all(), values, strict=True)}


def criteria_ids(roadshow):
    return [str(c.pk) for c in roadshow.rubric.criteria.all()]


def scores_body(roadshow, values=("20", "20", "25", "15")):
    """A full card of ``roadshow``'s rubric as the API takes it: ``{"<criterion id>": value}``."""
    return dict(zip(criteria_ids(roadshow), values, strict=True))


# --- Roadshows, through the services ----------------------------------------------------------

class RoadshowFactory(factory.Factory):
    """A roadshow made by ``evaluations.services``: created in setup (the campaign's rubric unless
    ``criteria`` are given), ``projects`` entered and ``jurors`` seated in that order, and started
    (every juror's draft cards) when ``started``. ``actor`` defaults to an admin of the campaign's
    union. Params: ``n_entries`` / ``n_jurors`` make that many shortlisted projects / jurors when
    ``projects`` / ``jurors`` are not given. Other keywords (``live``, ``aggregation``,
    ``criteria``, ``category``, ``venue``, ``budget_policy``) go to ``create_roadshow``."""

    class Meta:
        model = Roadshow

    class Params:
        n_entries = 0
        n_jurors = 0
        scoring = factory.Trait(started=True)

    campaign = factory.SubFactory(CampaignFactory)
    actor = factory.LazyAttribute(lambda o: AdminFactory(union=o.campaign.owner_union))
    title = "2026年度工会创新项目路演展评"
    date = datetime.date(2026, 6, 1)
    projects = factory.LazyAttribute(lambda o: [ProjectFactory(campaign=o.campaign, status=ProjectStatus.SHORTLISTED)
                                                for _ in range(o.n_entries)])
    jurors = factory.LazyAttribute(lambda o: [JurorFactory() for _ in range(o.n_jurors)])
    started = False

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("a roadshow is made by the services: use RoadshowFactory(), not .build()")

    @classmethod
    def _create(cls, model_class, *, actor, campaign, projects, jurors, started, **fields):
        roadshow = evaluation_services.create_roadshow(actor=actor, campaign=campaign, **fields)
        for project in projects:
            evaluation_services.add_entry(actor=actor, roadshow=roadshow, project=project)
        for juror in jurors:
            evaluation_services.add_juror(actor=actor, roadshow=roadshow, user=juror)
        if started:
            roadshow = evaluation_services.start_roadshow(actor=actor, roadshow=roadshow)
        return roadshow


class ScorecardFactory(factory.Factory):
    """``juror``'s card on ``entry`` (``start_roadshow`` made it as a draft), submitted by
    ``evaluations.services.submit_card`` with ``scores`` — or with the scores of ``total``
    (:func:`card_scores`) — and ``comment``; ``submitted=False`` saves them as a draft instead.
    Without an entry, a started roadshow of one entry and one juror is made for it."""

    class Meta:
        model = Scorecard

    entry = factory.LazyFunction(
        lambda: RoadshowFactory(n_entries=1, n_jurors=1, started=True).entries.get())
    juror = factory.LazyAttribute(lambda o: o.entry.roadshow.seats.order_by("pk").first().user)
    total = None
    scores = factory.LazyAttribute(lambda o: None if o.total is None else card_scores(o.entry.roadshow, o.total))
    comment = None
    submitted = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("a card is made by start_roadshow: use ScorecardFactory(), not .build()")

    @classmethod
    def _create(cls, model_class, *, entry, juror, total, scores, comment, submitted):
        card = Scorecard.objects.get(entry=entry, juror=juror)
        write = evaluation_services.submit_card if submitted else evaluation_services.save_draft
        return write(actor=juror, card=card, scores=scores, comment=comment)


@dataclass(frozen=True)
class ScoredRoadshow:
    """What :class:`ScoredRoadshowFactory` made: the roadshow (refreshed), its entries in running
    order, the jurors in seat order, their seats, and the cards it submitted."""

    roadshow: Roadshow
    entries: list[Entry]
    jurors: list
    seats: list[JurySeat]
    cards: list[Scorecard]


class ScoredRoadshowFactory(factory.Factory):
    """A roadshow scored through the services, closed unless ``closed=False``.

    ``totals``: one row per entry, the card totals of jurors 0, 1, … for that entry (a shorter
    row, or ``None``, leaves that juror's card a draft, which does not count). The entries are
    ``projects`` when given, else a shortlisted project per row filed by ``union``, titled
    ``"<title>项目<i>"``. ``jurors`` defaults to as many new jurors as the longest row.
    ``recuse``: ``[(juror index, entry index)]`` manual recusals made before the start (those
    cards do not exist). ``comment(juror, entry)`` gives each card's comment. ``submit=False``
    leaves every card a draft. Entries below quorum need ``close_reason`` (the quorum override).
    Returns a :class:`ScoredRoadshow`, not the model with attributes stuck on it."""

    class Meta:
        model = ScoredRoadshow

    campaign = factory.SubFactory(CampaignFactory)
    actor = factory.LazyAttribute(lambda o: AdminFactory(union=o.campaign.owner_union))
    union = factory.LazyAttribute(
        lambda o: None if o.projects is not None else CountyUnionFactory(parent=o.campaign.owner_union))
    totals = (("90", "80", "70"),)
    jurors = factory.LazyAttribute(lambda o: [JurorFactory() for _ in range(max(len(t) for t in o.totals))])
    title = "路演展评"
    date = datetime.date(2026, 6, 1)
    projects = None
    recuse = ()
    comment = None
    submit = True
    closed = True
    close_reason = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("a roadshow is made by the services: use ScoredRoadshowFactory(), not .build()")

    @classmethod
    def _create(cls, model_class, *, actor, campaign, union, totals, jurors, title, projects, recuse, comment,
                submit, closed, close_reason, **fields):
        jurors = list(jurors)
        roadshow = evaluation_services.create_roadshow(actor=actor, campaign=campaign, title=title, **fields)
        if projects is None:
            projects = [shortlisted(campaign, union, title=f"{title}项目{i + 1}") for i in range(len(totals))]
        entries = [evaluation_services.add_entry(actor=actor, roadshow=roadshow, project=project)
                   for project in projects]
        seats = [evaluation_services.add_juror(actor=actor, roadshow=roadshow, user=juror) for juror in jurors]
        for juror_index, entry_index in recuse:
            evaluation_services.add_manual_recusal(actor=actor, seat=seats[juror_index], entry=entries[entry_index],
                                                   reason="与申报单位有利害关系")
        evaluation_services.start_roadshow(actor=actor, roadshow=roadshow)
        recused, cards = set(recuse), []
        if submit:
            for e, (entry, row) in enumerate(zip(entries, totals, strict=True)):
                for j, (juror, total) in enumerate(zip(jurors, row, strict=False)):
                    if total is None or (j, e) in recused:
                        continue
                    cards.append(ScorecardFactory(entry=entry, juror=juror, total=total,
                                                  comment=comment(juror, entry) if comment else None))
        if closed:
            evaluation_services.close_roadshow(actor=actor, roadshow=roadshow, override_reason=close_reason)
        roadshow.refresh_from_db()
        return model_class(roadshow=roadshow, entries=entries, jurors=jurors, seats=seats, cards=cards)
