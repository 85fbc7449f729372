"""The quorum check (issue 13): closing an entry below its quorum, closing the roadshow or
computing results while any entry is below quorum is refused (``QuorumNotMet``, a 409 naming
the entries and their counts) unless the admin gives an override reason, which is stored
(``QuorumOverride``), written into the action's audit row, and printed on the results page and
on every export of the roadshow.

**An override stands for the shortfall it was given for.** A stored override names each entry
below quorum with its card count and quorum at that moment; a later action whose shortfall is
exactly that (same entry, same count, same quorum) is not refused again. Once a roadshow is
closed its cards, recusals and ``min_cards`` cannot change, so the compute after a close with
an override meets the very shortfall the admin already justified: asking again would add a
click, not a safeguard. Anything new — another entry, a card reopened, a roadshow closed
before the quorum existed — needs a reason of its own.

Called by the services of ``setup`` and ``awards`` under the roadshow's lock; reads in five
queries whatever the size. The compute is checked when it is requested (``request_compute``,
where the admin can answer); the job itself (``compute_results``) does not check again: the
cards it reads are those the request saw, frozen since the close.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionproj.errors import WorkflowError
from unionproj.text import quoted

from ..enums import CardStatus
from ..models import Entry, QuorumOverride, Recusal, Scorecard
from ..quorum import MIN_CARDS_LIMIT, effective_quorum

REASON_LIMIT = 2000


class QuorumNotMet(WorkflowError):
    """Entries below quorum and no override reason: 409, the body lists them
    (``below_quorum``)."""

    def __init__(self, message, *, state, shortfall):
        super().__init__(message, state=state)
        self.extra = {"below_quorum": [s.as_dict() for s in shortfall]}


@dataclass(frozen=True)
class Shortfall:
    entry: int
    project: str
    cards: int
    quorum: int

    def as_dict(self):
        return {"entry": self.entry, "project": self.project, "cards": self.cards, "quorum": self.quorum}

    @property
    def key(self):
        return (self.entry, self.cards, self.quorum)


def entry_counts(roadshow, entry=None):
    """``[(entry id, project title, submitted cards, quorum)]`` in running order, of every entry
    of the roadshow (or of ``entry``). Four queries."""
    entries = Entry.objects.filter(roadshow=roadshow)
    if entry is not None:
        entries = entries.filter(pk=entry.pk)
    rows = list(entries.order_by("order", "id").values_list("pk", "project__title"))
    seated = roadshow.seats.count()
    recused = Counter(Recusal.objects.filter(entry__roadshow=roadshow).values_list("entry_id", flat=True))
    cards = Counter(Scorecard.objects.filter(entry__roadshow=roadshow, status=CardStatus.SUBMITTED)
                    .values_list("entry_id", flat=True))
    return [(pk, title, cards[pk], effective_quorum(roadshow.min_cards, seated - recused[pk])) for pk, title in rows]


def shortfalls(roadshow, entry=None):
    """The entries (of the roadshow, or ``entry``) with fewer submitted cards than their
    quorum, as ``[Shortfall]``."""
    return [Shortfall(pk, title, cards, quorum) for pk, title, cards, quorum in entry_counts(roadshow, entry)
            if cards < quorum]


def clean_reason(reason):
    """The override reason stripped (``""`` when none given); ``ValidationError`` when too
    long."""
    if reason is None:
        return ""
    if not isinstance(reason, str):
        raise ValidationError({"override_reason": _("例外理由须为文字。")})
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"override_reason": _("例外理由最多 %(n)s 字。") % {"n": REASON_LIMIT}})
    return reason


def describe(shortfall):
    """“项目A”1 份（法定 3 份）、…: the entries and their counts, for a message."""
    return _("、").join(_("%(p)s%(c)s 份（法定 %(q)s 份）") % {"p": quoted(s.project), "c": s.cards, "q": s.quorum}
                       for s in shortfall)


REFUSALS = {
    "close_entry": gettext_lazy("该项目的有效评分表不足法定数，不能结束评分：%(list)s。如确需结束，请填写例外理由。"),
    "close": gettext_lazy("以下项目的有效评分表不足法定数，不能结束评分：%(list)s。如确需结束，请填写例外理由。"),
    "request_compute": gettext_lazy("以下项目的有效评分表不足法定数，不能计算结果：%(list)s。如确需计算，请填写例外理由。"),
}


def check_quorum(*, actor, roadshow, action, state, entry=None, override_reason=None):
    """Refuse ``action`` (``close_entry``, ``close`` or ``request_compute``) while an entry is
    below quorum and not covered by an earlier override (see the module docstring), unless
    ``override_reason`` is given. The caller holds the roadshow's lock and writes the action's
    audit row with what this returns: ``(reason, shortfall dicts)`` of the override stored now,
    or ``("", [])``. Raises ``QuorumNotMet`` (``state``: what the 409 reports),
    ``ValidationError`` for a reason too long. Side effects: a ``QuorumOverride`` row."""
    reason = clean_reason(override_reason)
    below = shortfalls(roadshow, entry)
    if not below:
        return "", []
    covered = {(item["entry"], item["cards"], item["quorum"])
               for shortfall in QuorumOverride.objects.filter(roadshow=roadshow).values_list("shortfall", flat=True)
               for item in shortfall}
    uncovered = [s for s in below if s.key not in covered]
    if not uncovered:
        return "", []
    if not reason:
        raise QuorumNotMet(REFUSALS[str(action)] % {"list": describe(uncovered)}, state=state, shortfall=uncovered)
    listed = [s.as_dict() for s in uncovered]
    QuorumOverride.objects.create(roadshow=roadshow, action=str(action), reason=reason, shortfall=listed, actor=actor)
    return reason, listed


def clean_min_cards(value):
    """``Roadshow.min_cards`` as entered: empty → ``None`` (the default rule), else a whole
    number from 1 to ``MIN_CARDS_LIMIT``; ``ValidationError`` otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        valid = not isinstance(value, (bool, float)) and 1 <= int(str(value).strip()) <= MIN_CARDS_LIMIT
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError({"min_cards": _("最少有效评分表数须为 1 到 %(n)s 之间的整数，或留空使用默认规则。")
                               % {"n": MIN_CARDS_LIMIT}})
    return int(str(value).strip())
