"""Issue 21, item 5: objections cannot be flooded — limits per user and per union per entry,
duplicates refused, a rate limit per user in the cache (local memory and a real Redis), and
the admin answers or dismisses several at once, each audited."""

import importlib
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from awards import services as award_services
from awards.models import Objection
from awards.services.objections import normalise, text_key
from evaluations.models import EvaluationEvent
from unionproj.errors import WorkflowError
from tests.factories import StaffFactory
from tests.faults.stack import PrivateRedis


def _file(user, roadshow, entry, text):
    return award_services.file_objection(actor=user, roadshow=roadshow, entry=entry, text=text)


# --- limits per entry ---------------------------------------------------------------------------


def test_a_user_may_object_to_an_entry_at_most_the_configured_times(people, publicity, settings, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 2
    entry = closed_show.entries[0]
    _file(people["staff_b"], publicity, entry, "第一条：评分偏高")
    _file(people["staff_b"], publicity, entry, "第二条：材料不实")
    with pytest.raises(WorkflowError, match="已达上限"):
        _file(people["staff_b"], publicity, entry, "第三条：另有问题")
    assert Objection.objects.filter(entry=entry).count() == 2
    _file(people["staff_b"], publicity, closed_show.entries[1], "另一个项目的异议")  # per entry


def test_a_union_may_object_to_an_entry_at_most_the_configured_times(people, tree, publicity, settings, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 2
    settings.OBJECTIONS_PER_UNION_PER_ENTRY = 3
    entry = closed_show.entries[0]
    colleague = StaffFactory(username="staff_b2", union=tree["county_b"])
    _file(people["staff_b"], publicity, entry, "异议一")
    _file(people["staff_b"], publicity, entry, "异议二")
    _file(colleague, publicity, entry, "异议三")
    with pytest.raises(WorkflowError, match="本单位"):
        _file(colleague, publicity, entry, "异议四")
    _file(people["staff_a"], publicity, entry, "另一单位的异议")  # another union has its own quota
    assert Objection.objects.filter(entry=entry).count() == 4


# --- duplicates ---------------------------------------------------------------------------------


def test_normalise_ignores_spaces_punctuation_width_and_case():
    assert normalise(" 评分 偏高，请复核！ ") == normalise("评分偏高 请复核") == "评分偏高请复核"
    assert normalise("ＡＢＣ　１２３。") == normalise("abc 123") == "abc123"
    assert text_key("评分偏高。") == text_key("评分偏高") != text_key("评分偏低")


def test_the_same_text_twice_on_an_entry_is_refused_whoever_files_it(people, publicity, closed_show):
    entry = closed_show.entries[0]
    _file(people["staff_b"], publicity, entry, "评分偏高，请复核。")
    with pytest.raises(WorkflowError, match="内容相同"):
        _file(people["staff_a"], publicity, entry, "评分偏高 请复核")
    _file(people["staff_a"], publicity, closed_show.entries[1], "评分偏高，请复核。")  # another entry: fine
    assert Objection.objects.count() == 2


def test_the_database_refuses_a_duplicate_too(people, publicity, closed_show):
    first = _file(people["staff_b"], publicity, closed_show.entries[0], "评分偏高")
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(roadshow=publicity, entry=first.entry, text="评分偏高！", text_key=first.text_key)


# --- the rate limit -----------------------------------------------------------------------------


def _flood(user, roadshow, entries, n):
    for i in range(n):
        _file(user, roadshow, entries[i % len(entries)], f"异议内容 {i}")


def test_the_rate_limit_refuses_filings_over_the_limit_in_the_window(people, publicity, settings, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 100
    settings.OBJECTIONS_PER_UNION_PER_ENTRY = 100
    settings.OBJECTION_RATE_LIMIT = 5
    settings.OBJECTION_RATE_WINDOW = 600
    _flood(people["staff_b"], publicity, closed_show.entries, 5)
    with pytest.raises(award_services.RateLimited, match="10 分钟内最多 5 条") as refused:
        _file(people["staff_b"], publicity, closed_show.entries[0], "第六条")
    assert refused.value.retry_after == 600
    assert Objection.objects.count() == 5
    _file(people["staff_a"], publicity, closed_show.entries[0], "另一人的异议")  # per user


def test_refused_filings_do_not_use_up_the_rate(people, publicity, settings, closed_show):
    settings.OBJECTION_RATE_LIMIT = 2
    entry = closed_show.entries[0]
    _file(people["staff_b"], publicity, entry, "评分偏高")
    for _ in range(3):
        with pytest.raises(WorkflowError, match="内容相同"):
            _file(people["staff_b"], publicity, entry, "评分偏高")
    _file(people["staff_b"], publicity, entry, "材料不实")


def test_the_rate_window_ends(people, publicity, settings, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 100
    settings.OBJECTION_RATE_LIMIT = 1
    settings.OBJECTION_RATE_WINDOW = 1
    _file(people["staff_b"], publicity, closed_show.entries[0], "第一条")
    with pytest.raises(award_services.RateLimited):
        _file(people["staff_b"], publicity, closed_show.entries[1], "第二条")
    time.sleep(1.2)
    _file(people["staff_b"], publicity, closed_show.entries[1], "第二条")


@pytest.fixture
def redis_cache(settings):
    """The Django cache on a real, private redis-server."""
    server = PrivateRedis().start()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": server.url(0)}}
    yield server
    server.stop()


def test_the_rate_limit_works_with_a_redis_cache(people, publicity, settings, redis_cache, closed_show):
    settings.OBJECTIONS_PER_USER_PER_ENTRY = 100
    settings.OBJECTIONS_PER_UNION_PER_ENTRY = 100
    settings.OBJECTION_RATE_LIMIT = 3
    _flood(people["staff_b"], publicity, closed_show.entries, 3)
    assert cache.get(f"objections:rate:{people['staff_b'].pk}") == 3
    with pytest.raises(award_services.RateLimited):
        _file(people["staff_b"], publicity, closed_show.entries[3], "第四条")


# --- bulk answer and dismiss ----------------------------------------------------------------------


@pytest.fixture
def three(people, publicity, closed_show):
    entries = closed_show.entries
    return [_file(people["staff_b"], publicity, entries[0], "评分偏高"),
            _file(people["staff_a"], publicity, entries[1], "材料不实"),
            _file(people["staff_a"], publicity, entries[2], "与事实不符")]


def test_bulk_answer_answers_each_and_audits_each(admin, publicity, three):
    done = award_services.answer_objections(actor=admin, roadshow=publicity, ids=[o.pk for o in three[:2]],
                                      answer="经复核，评分无误。")
    assert [o.pk for o in done] == [o.pk for o in three[:2]]
    for objection in three[:2]:
        objection.refresh_from_db()
        assert (objection.answered, objection.dismissed, objection.answer, objection.answered_by) == (
            True, False, "经复核，评分无误。", admin)
    events = EvaluationEvent.objects.filter(roadshow=publicity, action="answer").order_by("object_id")
    assert [e.object_id for e in events] == [o.pk for o in three[:2]]
    assert all(e.actor == admin and e.to_state == "answered" for e in events)


def test_dismissed_objections_count_as_answered_for_finalize(admin, publicity, three):
    with pytest.raises(WorkflowError, match="3 条异议未答复"):
        award_services.finalize(actor=admin, roadshow=publicity)
    award_services.dismiss_objections(actor=admin, roadshow=publicity, ids=[o.pk for o in three], reason="重复刷屏，不予受理")
    events = EvaluationEvent.objects.filter(roadshow=publicity, action="dismiss")
    assert events.count() == 3 and {e.reason for e in events} == {"重复刷屏，不予受理"}
    assert all(o.dismissed for o in Objection.objects.all())
    assert award_services.finalize(actor=admin, roadshow=publicity).status == "finalized"


def test_bulk_is_all_or_none(admin, publicity, three):
    award_services.answer_objection(actor=admin, objection=three[0], answer="已答复")
    with pytest.raises(WorkflowError, match="已答复或已驳回"):
        award_services.dismiss_objections(actor=admin, roadshow=publicity, ids=[o.pk for o in three], reason="驳回")
    assert Objection.objects.filter(answered_at__isnull=True).count() == 2
    with pytest.raises(ValidationError):
        award_services.answer_objections(actor=admin, roadshow=publicity, ids=[three[1].pk, 999999], answer="答复")
    assert Objection.objects.filter(answered_at__isnull=True).count() == 2


@pytest.mark.parametrize("ids", [[], "1,2", [True], ["x"], [0], [1.5]])
def test_bulk_refuses_bad_ids(admin, publicity, three, ids):
    with pytest.raises(ValidationError):
        award_services.answer_objections(actor=admin, roadshow=publicity, ids=ids, answer="答复")


def test_bulk_needs_the_admin_a_text_and_publicity(admin, people, publicity, three):
    ids = [o.pk for o in three]
    with pytest.raises(PermissionDenied):
        award_services.dismiss_objections(actor=people["staff_a"], roadshow=publicity, ids=ids, reason="驳回")
    with pytest.raises(ValidationError):
        award_services.dismiss_objections(actor=admin, roadshow=publicity, ids=ids, reason=" ")
    award_services.answer_objections(actor=admin, roadshow=publicity, ids=ids, answer="答复")
    award_services.finalize(actor=admin, roadshow=publicity)
    with pytest.raises(WorkflowError):
        award_services.answer_objections(actor=admin, roadshow=publicity, ids=ids, answer="答复")


def test_the_migration_keys_legacy_objections_and_keeps_their_duplicates(people, publicity, closed_show):
    """Objections filed before the rule have no key; the migration gives every one a key, the
    same normalised text on one entry a distinct one, so that the constraint can be added."""
    migration = importlib.import_module("evaluations.migrations.0006_objection_limits_entry_recovery")
    entry = closed_show.entries[0]
    legacy = Objection.objects.bulk_create(
        [Objection(roadshow=publicity, entry=entry, text=t) for t in ("评分偏高", "评分偏高！", "另一条")])
    # The models as the migration saw them (Objection lived in ``evaluations`` then): same table.
    state = MigrationLoader(connection).project_state(("evaluations", "0006_objection_limits_entry_recovery"))
    migration.fill_text_keys(state.apps, None)
    keys = [Objection.objects.get(pk=o.pk).text_key for o in legacy]
    assert keys[0] == text_key("评分偏高") and keys[2] == text_key("另一条")
    assert len(set(keys)) == 3
    with pytest.raises(WorkflowError, match="内容相同"):  # the rule holds for new filings
        _file(people["staff_b"], publicity, entry, "评分 偏高")
