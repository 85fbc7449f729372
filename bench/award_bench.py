"""Award computation: the compute job's body against one plain SQL GROUP BY over the same rows."""

from django.db import connection

from evaluations.services.awards import compute_results

from . import seed
from .figures import Figure, best_of

PLAIN = """
SELECT s.card_id, SUM(s.value)
FROM evaluations_score s
JOIN evaluations_scorecard c ON c.id = s.card_id
JOIN evaluations_entry e ON e.id = c.entry_id
WHERE e.roadshow_id = %s AND c.status = 'submitted'
GROUP BY s.card_id
"""


def _plain(roadshow_id):
    with connection.cursor() as cur:
        cur.execute(PLAIN, [roadshow_id])
        return len(cur.fetchall())


def measure(world, *, label, entries, jurors, repeat, target=3.0):
    """``target=None``: informative (a roadshow-sized set is dominated by fixed costs)."""
    show, _people, _cards = seed.scored_roadshow(world, entries=entries, jurors_count=jurors)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    scores = entries * jurors * len(world.criteria)
    compute_results(roadshow_id=show.pk)  # warm: tier rules, first results
    job = best_of(repeat, lambda: compute_results(roadshow_id=show.pk))
    plain = best_of(repeat, lambda: _plain(show.pk))
    ratio = job / plain
    return [
        Figure(f"awards.{label}.scores", scores, "rows"),
        Figure(f"awards.{label}.compute_s", round(job, 4), "s"),
        Figure(f"awards.{label}.group_by_s", round(plain, 4), "s"),
        Figure(f"awards.{label}.ratio", round(ratio, 2), "x", f"<= {target:g}" if target else "",
               ratio <= target if target else None),
    ]


def run(world, quick):
    figures = measure(world, label="roadshow", entries=16, jurors=15, repeat=5, target=None)
    if quick:  # 50,000 scores
        figures += measure(world, label="large", entries=250, jurors=50, repeat=3)
    else:  # 1,000,000 scores
        figures += measure(world, label="province", entries=2500, jurors=100, repeat=3)
    return figures
