"""Award computation: the compute job's body against one plain SQL GROUP BY over the same rows,
at three sizes, so that the figures show how the cost grows with the number of scores."""

from django.db import connection

from awards.services.results import compute_results
from evaluations.enums import Aggregation

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

# (label, entries, jurors): entries × jurors × 4 criteria score rows.
QUICK = [("s10k", 125, 20), ("s100k", 500, 50)]
FULL = [("s10k", 125, 20), ("s100k", 500, 50), ("s1m", 2500, 100)]


# Every method, the default (trimmed mean) first as it always was.
METHODS = (Aggregation.TRIMMED_MEAN, *(m for m in Aggregation.values if m != Aggregation.TRIMMED_MEAN))


def _plain(roadshow_id):
    with connection.cursor() as cur:
        cur.execute(PLAIN, [roadshow_id])
        return len(cur.fetchall())


def measure(world, *, label, entries, jurors, repeat, target=3.0, methods=("trimmed_mean",)):
    """``target=None``: informative (a roadshow-sized set is dominated by fixed costs). The
    first method is the roadshow's default and carries the target; the others are informative."""
    show, _people, _cards = seed.scored_roadshow(world, entries=entries, jurors_count=jurors)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    scores = entries * jurors * len(world.criteria)
    figures = [Figure(f"awards.{label}.scores", scores, "rows")]
    compute_results(roadshow_id=show.pk)  # warm: tier rules, first results
    _plain(show.pk)
    for i, method in enumerate(methods):
        if show.aggregation != method:
            show.aggregation = method
            show.save(update_fields=["aggregation"])
        # Interleaved, job then plain query, best of each: on a shared machine the load moves
        # between runs, and the ratio should compare the two under the same load.
        jobs, plains = [], []
        for _ in range(repeat):
            jobs.append(best_of(1, lambda: compute_results(roadshow_id=show.pk)))
            plains.append(best_of(1, lambda: _plain(show.pk)))
        job, plain = min(jobs), min(plains)
        ratio = job / plain
        name = f"awards.{label}" + ("" if i == 0 else f".{method}")
        goal = target if i == 0 else None
        figures += [
            Figure(f"{name}.compute_s", round(job, 4), "s"),
            Figure(f"{name}.group_by_s", round(plain, 4), "s"),
            Figure(f"{name}.ratio", round(ratio, 2), "x", f"<= {goal:g}" if goal else "",
                   ratio <= goal if goal else None),
        ]
    return figures


def run(world, quick):
    figures = measure(world, label="roadshow", entries=16, jurors=15, repeat=5, target=None)
    sizes = QUICK if quick else FULL
    for n, (label, entries, jurors) in enumerate(sizes):
        last = n == len(sizes) - 1
        # The target is for the largest set (1,000,000 scores in the full run); the smaller ones
        # show the growth. Every method at the largest size: zscore does the most work.
        figures += measure(world, label=label, entries=entries, jurors=jurors, repeat=3,
                           target=3.0 if last else None,
                           methods=METHODS if last else (Aggregation.TRIMMED_MEAN,))
    return figures
