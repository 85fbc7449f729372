"""Pages of the awards (评定等次 → 以奖代拨). Their URL names keep the ``evaluations:`` namespace
they always had: ``unionproj.urls`` mounts these patterns with the scoring app's under it."""

from django.urls import path

from .views import objections, payouts, published, ranking, results

urlpatterns = [
    path("roadshows/<int:pk>/awards/", results.awards, name="awards"),
    path("roadshows/<int:pk>/awards/tiers/", results.tiers_save, name="awards-tiers"),
    path("roadshows/<int:pk>/awards/compute/", results.compute, name="awards-compute"),
    path("roadshows/<int:pk>/awards/job/", results.job_progress, name="awards-job"),
    path("roadshows/<int:pk>/awards/preview/", results.preview, name="awards-preview"),
    path("roadshows/<int:pk>/awards/publicize/", results.publicize, name="awards-publicize"),
    path("roadshows/<int:pk>/awards/objections/<int:objection_pk>/answer/", results.objection_answer,
         name="awards-answer"),
    path("roadshows/<int:pk>/awards/objections/", objections.objection_list, name="awards-objections"),
    path("roadshows/<int:pk>/awards/objections/bulk/", objections.objections_bulk, name="awards-objections-bulk"),
    path("roadshows/<int:pk>/awards/finalize/", results.finalize, name="awards-finalize"),
    path("roadshows/<int:pk>/awards/reopen/", results.reopen, name="awards-reopen"),
    path("published/", published.published_list, name="published-list"),
    path("roadshows/<int:pk>/published/", published.public_results, name="public-results"),
    path("roadshows/<int:pk>/published/objections/", published.objection_file, name="objection-file"),
    path("payouts/", payouts.payout_list, name="payouts"),
    path("payouts/approve/", payouts.payout_bulk_approve, name="payout-bulk-approve"),
    path("payouts/<int:pk>/approve/", payouts.payout_approve, name="payout-approve"),
    path("payouts/<int:pk>/mark-paid/", payouts.payout_mark_paid, name="payout-mark-paid"),
    path("unit-rankings/", ranking.unit_ranking, name="unit-ranking"),
    path("unit-rankings/compute/", ranking.unit_ranking_compute, name="unit-ranking-compute"),
    path("unit-rankings/job/", ranking.unit_ranking_job, name="unit-ranking-job"),
]
