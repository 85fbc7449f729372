"""The quorum (法定有效评分表数) of an entry: how many submitted cards it needs before it may be
closed, the roadshow closed or results computed without an admin's stated reason (issue 13).

A pure function, so that the services, the setup page and the tests agree on one rule.

Decisions:

- **Per entry.** Recusals differ per entry, so the quorum is counted over the jurors who *may*
  score that entry: the roadshow's seated jurors minus those recused from it ("eligible").
- **Default** (``Roadshow.min_cards`` empty): two thirds of the eligible jurors, rounded up
  (⌈2n/3⌉: 3 → 2, 4 → 3, 7 → 5).
- **An explicit number** is capped at the eligible jurors: ``min(min_cards, eligible)``. The
  union rule, not the admin, decides recusals; refusing instead would leave an entry whose
  jurors were recused below a quorum it can never reach, and push the admin into an override
  for every such entry — the exception would become the rule and mean nothing. Capped, the
  number still asks the most it can: every eligible juror's card.
- **Never below one.** An entry nobody may score (every juror recused) or with no juror seated
  has quorum 1 and cannot reach it: going on needs an override reason, never happens silently.
"""

MIN_CARDS_LIMIT = 999


def effective_quorum(min_cards: int | None, eligible: int) -> int:
    """The number of submitted cards an entry with ``eligible`` non-recused seated jurors
    needs, under the roadshow's ``min_cards`` (``None``: the default rule). See the module
    docstring."""
    eligible = max(0, int(eligible))
    if min_cards is None:
        wanted = -(-2 * eligible // 3)  # ⌈2n/3⌉ in integers
    else:
        wanted = min(int(min_cards), eligible)
    return max(1, wanted)
