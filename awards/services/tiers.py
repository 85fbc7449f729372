"""Tier rules (评定等次): cleaning, defaults, saving."""

import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards import allocation
from evaluations import aggregation
from evaluations.enums import EventAction
from evaluations.rules import MANAGE_AWARDS
from evaluations.services.common import lock_roadshow, record, require_status
from members.rules import require_perm
from unionproj.inputs import MAX_INT, clean_text, parse_decimal, parse_int
from unionproj.text import quoted

from .. import queries
from ..enums import (
    TIER_STATES,
)
from ..models import TierRule
from ._common import MAX_AMOUNT, MAX_SCORE

# --- tier rules -----------------------------------------------------------------------------


def _clean_decimal(value, *, places, low, high, message):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError({"tiers": message})
    try:
        number = parse_decimal(value)  # ASCII digits only; -0 is 0 (unionproj/inputs.py)
        valid = low <= number <= high and number == number.quantize(places)
    except ValueError:
        valid = False
    if not valid:
        raise ValidationError({"tiers": message})
    return number.quantize(places)


def clean_tiers(tiers):
    """Validate tier rules ``[{name, amount, quota_count?, quota_percent?, min_score?}]``
    (highest tier first; ``awards.allocation.Tier`` objects are accepted too). Each needs a
    name (unique), an amount ≥ 0 to the fen, and a quota (a count ≥ 1 *or* a percentage in
    (0, 100]) and/or a minimum score. Returns ``[allocation.Tier]`` numbered from 1; raises
    ``ValidationError`` under ``tiers`` naming the rule."""
    if not isinstance(tiers, (list, tuple)):
        raise ValidationError({"tiers": _("奖项等次格式不正确。")})
    cleaned, names = [], set()
    for i, item in enumerate(tiers, start=1):
        if isinstance(item, allocation.Tier):
            item = item.as_dict()
        if not isinstance(item, dict):
            raise ValidationError({"tiers": _("奖项等次格式不正确。")})
        try:
            name = clean_text(str(item.get("name") or "")).strip()
        except ValidationError as exc:
            raise ValidationError({"tiers": exc.messages}) from None
        if not name or len(name) > 30:
            raise ValidationError({"tiers": _("第 %(i)s 个奖项等次缺少名称（最多 30 字）。") % {"i": i}})
        if name in names:
            raise ValidationError({"tiers": _("奖项等次%(n)s重复。") % {"n": quoted(name)}})
        names.add(name)
        amount = _clean_decimal(item.get("amount"), places=allocation.FEN, low=Decimal(0), high=MAX_AMOUNT,
                                message=_("%(n)s的奖补金额须为不小于 0 的金额，精确到分。") % {"n": quoted(name)})
        if amount is None:
            raise ValidationError({"tiers": _("请填写%(n)s的奖补金额。") % {"n": quoted(name)}})
        count = item.get("quota_count")
        if count in (None, ""):
            count = None
        else:
            count = parse_int(count, low=1, high=MAX_INT) if isinstance(count, (int, str)) else None
            if count is None:
                raise ValidationError({"tiers": _("%(n)s的名额须为正整数。") % {"n": quoted(name)}})
        percent = _clean_decimal(item.get("quota_percent"), places=allocation.FEN, low=Decimal("0.01"),
                                 high=Decimal(100),
                                 message=_("%(n)s的名额比例须在 0 到 100 之间，最多两位小数。") % {"n": quoted(name)})
        if count is not None and percent is not None:
            raise ValidationError({"tiers": _("%(n)s的名额请只填人数或比例中的一项。") % {"n": quoted(name)}})
        min_score = _clean_decimal(item.get("min_score"), places=aggregation.SCORE_PLACES, low=Decimal(0),
                                   high=MAX_SCORE,
                                   message=_("%(n)s的最低分须为不小于 0 的数，最多两位小数。") % {"n": quoted(name)})
        if count is None and percent is None and min_score is None:
            raise ValidationError({"tiers": _("%(n)s须设置名额或最低分。") % {"n": quoted(name)}})
        cleaned.append(allocation.Tier(name=name, amount=amount, order=i, quota_count=count, quota_percent=percent,
                                   min_score=min_score))
    return cleaned


def _tier_of_rule(rule):
    return allocation.Tier(name=rule.name, amount=rule.amount, order=rule.order, quota_count=rule.quota_count,
                       quota_percent=rule.quota_percent, min_score=rule.min_score)


def tiers_for(roadshow, entry_count=None):
    """The roadshow's tier rules as ``[allocation.Tier]``; the defaults (unsaved) when it has none
    yet, sized for ``entry_count`` (default: its number of entries)."""
    stored = [_tier_of_rule(r) for r in queries.tiers_of(roadshow)]
    if stored:
        return stored
    if entry_count is None:
        entry_count = roadshow.entries.count()
    return allocation.default_tiers(entry_count)


def write_tiers(roadshow, tiers):
    TierRule.objects.filter(roadshow=roadshow).delete()
    TierRule.objects.bulk_create(
        TierRule(roadshow=roadshow, order=t.order, name=t.name, quota_count=t.quota_count,
                 quota_percent=t.quota_percent, min_score=t.min_score, amount=t.amount)
        for t in tiers
    )


@transaction.atomic
def save_tiers(*, actor, roadshow, tiers):
    """Replace the roadshow's tier rules (until the results are published). Computed results
    become stale (finalising asks for a new compute). Side effects: the rules, a
    ``save_tiers`` event with the old and new rules."""
    roadshow = lock_roadshow(roadshow)
    require_perm(actor, MANAGE_AWARDS, roadshow)
    require_status(roadshow, TIER_STATES, _("结果公示或定稿后不能再修改奖项等次。"))
    cleaned = clean_tiers(tiers)
    before = [t.as_dict() for t in tiers_for(roadshow)] if roadshow.tiers.exists() else []
    write_tiers(roadshow, cleaned)
    record(actor=actor, obj=roadshow, action=EventAction.SAVE_TIERS, roadshow=roadshow,
           data={"from": before, "to": [t.as_dict() for t in cleaned]})
    return [_tier_of_rule(r) for r in queries.tiers_of(roadshow)]


def settings_signature(method, policy, tiers):
    """A digest of what results are computed from; stored with them to tell stale results."""
    payload = json.dumps({"aggregation": method, "budget_policy": policy, "tiers": [t.as_dict() for t in tiers]},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


