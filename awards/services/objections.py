"""Objections (异议) during 公示, and the admin's answers (issue 21, item 5: no flooding).

Any union's staff may object to an entry while the results are in 公示; every objection must be
answered (or dismissed) before ``finalize``. So that nobody can block a roadshow by volume:

- at most ``OBJECTIONS_PER_USER_PER_ENTRY`` objections per user and entry, and
  ``OBJECTIONS_PER_UNION_PER_ENTRY`` per union and entry (counted under the roadshow's lock, so
  two filings at once cannot both take the last place) — 409;
- the same text (normalised: :func:`normalise`) twice on one entry is refused — 409, backed by
  a unique constraint on ``(entry, text_key)``;
- at most ``OBJECTION_RATE_LIMIT`` filings per user in ``OBJECTION_RATE_WINDOW`` seconds,
  counted in the Django cache (local memory or Redis) — :class:`RateLimited`, 429 in the API;
- admins answer or dismiss several objections at once, each one audited.
"""

import hashlib
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.enums import EventAction, RoadshowStatus
from evaluations.rules import MANAGE_AWARDS
from evaluations.services.common import ROW_LOCK, clean_text, lock_roadshow, record, require_status
from members.rules import require_perm
from unionproj.errors import WorkflowError

from ..models import Objection

TEXT_LIMIT = 2000
BULK_LIMIT = 500
MAX_ID = 2**63 - 1


class RateLimited(WorkflowError):
    """Too many objections by one user in the rate window: 429 in the API (``retry_after``
    seconds), a message on the page."""

    def __init__(self, message, *, state="", retry_after=None):
        super().__init__(message, state=state)
        self.retry_after = retry_after


def normalise(text):
    """The text as compared for duplicates: NFKC (full-width → half-width), case folded, with
    every space, punctuation mark and symbol removed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZSC")


def text_key(text):
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _rate_key(actor):
    return f"objections:rate:{actor.pk}"


def _check_rate(actor, roadshow):
    limit = settings.OBJECTION_RATE_LIMIT
    if limit and (cache.get(_rate_key(actor)) or 0) >= limit:
        minutes = max(1, settings.OBJECTION_RATE_WINDOW // 60)
        raise RateLimited(
            _("提出异议过于频繁：每人 %(m)s 分钟内最多 %(n)s 条，请稍后再试。") % {"m": minutes, "n": limit},
            state=roadshow.status, retry_after=settings.OBJECTION_RATE_WINDOW)


def _count_rate(actor):
    """One more filing in the user's window (a fixed window opened by the first filing)."""
    if not settings.OBJECTION_RATE_LIMIT:
        return
    key = _rate_key(actor)
    if cache.add(key, 1, timeout=settings.OBJECTION_RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.OBJECTION_RATE_WINDOW)


def _check_limits(*, actor, roadshow, entry, key):
    duplicate = _("该项目已有内容相同的异议，请勿重复提出。")
    if Objection.objects.filter(entry=entry, text_key=key).exists():
        raise WorkflowError(duplicate, state=roadshow.status)
    per_user = settings.OBJECTIONS_PER_USER_PER_ENTRY
    if Objection.objects.filter(entry=entry, filed_by=actor).count() >= per_user:
        raise WorkflowError(_("您对该项目已提出 %(n)s 条异议，已达上限。") % {"n": per_user}, state=roadshow.status)
    per_union = settings.OBJECTIONS_PER_UNION_PER_ENTRY
    if actor.union_id and Objection.objects.filter(entry=entry, union_id=actor.union_id).count() >= per_union:
        raise WorkflowError(
            _("本单位对该项目已提出 %(n)s 条异议，已达上限（每个单位对每个项目最多 %(n)s 条）。") % {"n": per_union},
            state=roadshow.status)
    return duplicate


@transaction.atomic
def file_objection(*, actor, roadshow, entry, text):
    """An objection (异议) on an entry, by any union's staff while the results are in 公示 (409
    before or after), within the limits above. Side effects: the objection, an ``object``
    event, one more filing in the actor's rate window (cache)."""
    roadshow = lock_roadshow(roadshow)
    require_perm(actor, "evaluations.file_objection", roadshow)
    require_status(roadshow, {RoadshowStatus.PUBLICITY}, _("只能在结果公示期间提出异议。"))
    if roadshow.publicity_until is not None and timezone.now() > roadshow.publicity_until:
        raise WorkflowError(_("公示期已结束，不能再提出异议。"), state=roadshow.status)
    if entry.roadshow_id != roadshow.pk:
        raise ValidationError({"entry": _("该项目不在本次路演中。")})
    text = clean_text(text, field="text", empty=_("请填写异议内容。"), too_long=_("异议内容最多 %(n)s 字。"),
                      limit=TEXT_LIMIT)
    key = text_key(text)
    duplicate = _check_limits(actor=actor, roadshow=roadshow, entry=entry, key=key)
    _check_rate(actor, roadshow)
    try:
        with transaction.atomic():
            objection = Objection.objects.create(roadshow=roadshow, entry=entry, filed_by=actor, union=actor.union,
                                                 text=text, text_key=key)
    except IntegrityError:  # the roadshow lock makes this unreachable; the constraint is the backstop
        raise WorkflowError(duplicate, state=roadshow.status) from None
    record(actor=actor, obj=objection, action=EventAction.OBJECT, roadshow=roadshow,
           data={"entry": entry.pk, "union": actor.union_id})
    _count_rate(actor)
    return objection


def _clean_answer(value):
    return clean_text(value, field="answer", empty=_("请填写答复内容。"), too_long=_("答复内容最多 %(n)s 字。"),
                      limit=TEXT_LIMIT)


def _clean_reason(value):
    return clean_text(value, field="reason", empty=_("请填写驳回理由。"), too_long=_("驳回理由最多 %(n)s 字。"),
                      limit=TEXT_LIMIT)


def _clean_ids(ids):
    if not isinstance(ids, (list, tuple)) or not ids:
        raise ValidationError({"ids": _("请选择要处理的异议。")})
    if len(ids) > BULK_LIMIT:
        raise ValidationError({"ids": _("一次最多处理 %(n)s 条异议。") % {"n": BULK_LIMIT}})
    cleaned = set()
    for value in ids:
        try:
            number = None if isinstance(value, (bool, float)) else int(str(value).strip())
        except ValueError:
            number = None
        if number is None or not 1 <= number <= MAX_ID:
            raise ValidationError({"ids": _("异议编号无效。")})
        cleaned.add(number)
    return sorted(cleaned)


def _close(*, actor, roadshow, ids, text, dismissed):
    """Answer (or dismiss) the objections ``ids`` of ``roadshow`` with ``text`` (cleaned by
    :func:`_clean_answer` or :func:`_clean_reason` after the permission and state checks): all
    or none. The caller is inside a transaction."""
    roadshow = lock_roadshow(roadshow)
    require_perm(actor, MANAGE_AWARDS, roadshow)
    require_status(roadshow, {RoadshowStatus.PUBLICITY}, _("只能在结果公示期间答复异议。"))
    ids = _clean_ids(ids)
    objections = list(Objection.objects.select_for_update(**ROW_LOCK).filter(roadshow=roadshow, pk__in=ids)
                      .order_by("pk"))
    missing = sorted(set(ids) - {o.pk for o in objections})
    if missing:
        raise ValidationError({"ids": _("本次路演没有编号为 %(ids)s 的异议。") % {"ids": "、".join(map(str, missing))}})
    done = [o.pk for o in objections if o.answered]
    if done:
        message = (_("该异议已答复。") if len(objections) == 1 else
                   _("异议 %(ids)s 已答复或已驳回，请取消勾选后重试。") % {"ids": "、".join(map(str, done))})
        raise WorkflowError(message, state="answered")
    text = _clean_reason(text) if dismissed else _clean_answer(text)
    now = timezone.now()
    action, to_state = (EventAction.DISMISS, "dismissed") if dismissed else (EventAction.ANSWER, "answered")
    for objection in objections:
        objection.answer, objection.answered_by, objection.answered_at = text, actor, now
        objection.dismissed = dismissed
        objection.save(update_fields=["answer", "answered_by", "answered_at", "dismissed"])
        record(actor=actor, obj=objection, action=action, roadshow=roadshow, from_state="open", to_state=to_state,
               reason=text if dismissed else "", data={"entry": objection.entry_id, "batch": len(objections)})
    return objections


@transaction.atomic
def answer_objection(*, actor, objection, answer):
    """The admin's answer to one objection, once, during 公示. Side effects: the answer, an
    ``answer`` event."""
    return _close(actor=actor, roadshow=objection.roadshow, ids=[objection.pk], text=answer, dismissed=False)[0]


@transaction.atomic
def answer_objections(*, actor, roadshow, ids, answer):
    """Answer several objections of the roadshow with one text (admin, during 公示): all or
    none — an unknown id is 400, one already answered 409. Side effects: each answer, one
    ``answer`` event per objection. Returns the objections."""
    return _close(actor=actor, roadshow=roadshow, ids=ids, text=answer, dismissed=False)


@transaction.atomic
def dismiss_objections(*, actor, roadshow, ids, reason):
    """Dismiss (驳回, 不予受理) several objections with a reason (admin, during 公示): all or
    none, as :func:`answer_objections`. A dismissed objection counts as answered for
    ``finalize``; the reason is its answer. Side effects: each objection, one ``dismiss`` event
    per objection with the reason. Returns the objections."""
    return _close(actor=actor, roadshow=roadshow, ids=ids, text=reason, dismissed=True)


__all__ = ["RateLimited", "answer_objection", "answer_objections", "dismiss_objections", "file_objection"]
