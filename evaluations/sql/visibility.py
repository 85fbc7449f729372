"""Which scorecards a user may read: the rule, stated once, in the two forms the code runs.

A card is visible to a signed-in user when

(a) it is the user's own — the card's juror is the user — **and** the user is not recused from
    the card's entry (no ``Recusal`` of that entry whose jury seat is the user's: belt and
    braces, a recused juror has no card, and would not see one if it existed); or
(b) its roadshow is one the user administers (``evaluations.queries.administered_roadshows_q``).

Nothing else decides it: not the card's status (draft or submitted), the entry's state, the
roadshow's status, nor which roadshow it is (beyond (b)). Anonymous users see no card.

Part (a) is written here twice, side by side and from the same field names (:data:`OWNER`,
:data:`RECUSED_ENTRY`, :data:`RECUSED_USER`):

- :func:`own_cards_q`, the ORM form, which ``queries.cards_for_juror`` and
  ``queries.cards_visible_to`` filter with;
- :data:`OWN_CARD`, the SQL form (a ``psycopg.sql`` fragment on the card aliased ``c``, one
  parameter: the user's id), which :func:`card_to_score` selects: the one fixed statement the
  scoring endpoints run on every autosave of every phone (prepared, no ORM compilation; see
  docs/PERFORMANCE.md), before falling back to the ORM for part (b).

Part (b) has only the ORM form (``queries.cards_visible_to``). tests/evaluations/
test_sql_visibility.py builds cards in every state that could matter and asserts that the two
forms pick exactly the same cards, and that ``queries.card_to_score`` finds exactly the cards
``queries.cards_visible_to`` lists.
"""

import functools

from django.db.models import Exists, OuterRef, Q
from psycopg import sql

from ..models import JurySeat, Recusal, Scorecard

# The rule's fields, named once: whose card it is, and the recusal's entry and user (through
# its jury seat).
OWNER = "juror"
RECUSED_ENTRY = "entry"
RECUSED_USER = ("seat", "user")


def _column(model, name):
    return sql.Identifier(model._meta.get_field(name).column)


# --- the ORM form ---------------------------------------------------------------------------


def not_recused():
    """The card's juror is not recused from the card's entry (an expression on ``Scorecard``)."""
    return ~Exists(Recusal.objects.filter(**{RECUSED_ENTRY: OuterRef("entry"),
                                             "__".join(RECUSED_USER): OuterRef(OWNER)}))


def own_cards_q(user):
    """Part (a) as a ``Q`` on ``Scorecard``: ``user``'s own cards of entries they are not
    recused from."""
    return Q(**{OWNER: user}) & Q(not_recused())


# --- the SQL form ---------------------------------------------------------------------------


OWN_CARD = sql.SQL(
    "(c.{owner} = %s AND NOT EXISTS (SELECT 1 FROM {recusal} r JOIN {seat} s ON s.id = r.{seat_fk} "
    "WHERE r.{recused_entry} = c.{entry} AND s.{user_fk} = c.{owner}))"
).format(
    owner=_column(Scorecard, OWNER), entry=_column(Scorecard, "entry"),
    recusal=sql.Identifier(Recusal._meta.db_table), seat=sql.Identifier(JurySeat._meta.db_table),
    seat_fk=_column(Recusal, RECUSED_USER[0]), recused_entry=_column(Recusal, RECUSED_ENTRY),
    user_fk=_column(JurySeat, RECUSED_USER[1]),
)


@functools.cache
def card_to_score():
    """Read one card and whether it is the user's own by part (a) (parameters: the user's id,
    the card's id): ``id, entry_id, juror_id, status, own`` (no row: no such card)."""
    return sql.SQL("SELECT c.id, c.entry_id, c.juror_id, c.status, {own} FROM {card} c WHERE c.id = %s").format(
        own=OWN_CARD, card=sql.Identifier(Scorecard._meta.db_table)).as_string()
