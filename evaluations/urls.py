from django.urls import path

from .views import juror, live, recovery, setup

# Mounted by unionproj.urls in the ``evaluations`` namespace, with ``awards.urls``.

urlpatterns = [
    # Admin: setup.
    path("roadshows/", setup.roadshow_list, name="list"),
    path("roadshows/new/", setup.roadshow_create, name="create"),
    path("roadshows/<int:pk>/", setup.roadshow_setup, name="setup"),
    path("campaigns/<int:pk>/rubrics/", setup.rubric_list, name="rubrics"),
    path("roadshows/<int:pk>/settings/", setup.roadshow_settings, name="settings"),
    path("roadshows/<int:pk>/entries/add/", setup.entries_add, name="entries-add"),
    path("roadshows/<int:pk>/entries/<int:entry_pk>/remove/", setup.entry_remove, name="entry-remove"),
    path("roadshows/<int:pk>/entries/<int:entry_pk>/move/<str:direction>/", setup.entry_move, name="entry-move"),
    path("roadshows/<int:pk>/entries/<int:entry_pk>/restore/", recovery.entry_restore, name="entry-restore"),
    path("roadshows/<int:pk>/entries/<int:entry_pk>/withdraw/", recovery.entry_withdraw, name="entry-withdraw"),
    path("roadshows/<int:pk>/jurors/add/", setup.juror_add, name="juror-add"),
    path("roadshows/<int:pk>/jurors/<int:seat_pk>/remove/", setup.juror_remove, name="juror-remove"),
    path("roadshows/<int:pk>/jurors/<int:seat_pk>/group/", setup.juror_group, name="juror-group"),
    path("roadshows/<int:pk>/groups/", setup.group_save, name="group-add"),
    path("roadshows/<int:pk>/groups/<int:group_pk>/", setup.group_save, name="group-save"),
    path("roadshows/<int:pk>/recusals/add/", setup.recusal_add, name="recusal-add"),
    path("roadshows/<int:pk>/recusals/<int:recusal_pk>/remove/", setup.recusal_remove, name="recusal-remove"),
    path("roadshows/<int:pk>/start/", setup.roadshow_start, name="start"),
    path("roadshows/<int:pk>/close/", setup.roadshow_close, name="close"),
    # Admin: live console, big screen, results.
    path("roadshows/<int:pk>/live/", live.live_console, name="live"),
    path("roadshows/<int:pk>/live/progress/", live.live_progress, name="live-progress"),
    path("roadshows/<int:pk>/live/next/", live.entry_open_next, name="entry-open-next"),
    path("roadshows/<int:pk>/entries/<int:entry_pk>/open/", live.entry_open, name="entry-open"),
    path("roadshows/<int:pk>/entries/<int:entry_pk>/close/", live.entry_close, name="entry-close"),
    path("roadshows/<int:pk>/cards/<int:card_pk>/reopen/", live.card_reopen, name="card-reopen"),
    path("roadshows/<int:pk>/screen/", live.screen, name="screen"),
    path("roadshows/<int:pk>/screen/panel/", live.screen_panel, name="screen-panel"),
    path("roadshows/<int:pk>/results/", live.results, name="results"),
    # Published results: 公示 (any union's staff may object), then the final list.
    # Jurors.
    path("score/", juror.score_home, name="score"),
    path("score/summary/", juror.juror_summary, name="juror-summary"),
    path("score/roadshows/<int:pk>/now/", juror.live_now, name="live-now"),
    path("score/cards/<int:pk>/", juror.card_detail, name="card"),
    path("score/cards/<int:pk>/autosave/", juror.card_autosave, name="card-autosave"),
    path("score/cards/<int:pk>/submit/", juror.card_submit, name="card-submit"),
    path("score/attachments/<int:pk>/", juror.attachment_download, name="attachment-download"),
]
