"""Writes of the roadshow scoring capability (see ``setup`` and ``scoring``). Import from here:
``from evaluations import services; services.submit_card(actor=…, card=…)``."""

from .entries import restore_entry, withdraw_entry
from .recusals import sync_automatic_recusals
from .scoring import clean_scores, reopen_card, save_draft, submit_card
from .setup import (
    add_entry,
    add_juror,
    add_manual_recusal,
    close_entry,
    close_roadshow,
    create_roadshow,
    create_rubric,
    default_rubric,
    open_entry,
    recompute_automatic_recusals,
    remove_entry,
    remove_juror,
    remove_manual_recusal,
    reorder_entries,
    rubric_for,
    save_juror_group,
    set_juror_group,
    start_roadshow,
    update_roadshow,
)

__all__ = [
    "add_entry", "add_juror", "add_manual_recusal", "clean_scores", "close_entry", "close_roadshow",
    "create_roadshow", "create_rubric", "default_rubric", "open_entry", "recompute_automatic_recusals",
    "remove_entry", "remove_juror", "remove_manual_recusal", "reopen_card", "reorder_entries", "restore_entry", "rubric_for",
    "save_draft", "save_juror_group", "set_juror_group", "start_roadshow", "submit_card",
    "sync_automatic_recusals", "update_roadshow", "withdraw_entry",
]
