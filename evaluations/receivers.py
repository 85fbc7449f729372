"""Receivers of members' signals (issue 13): the automatic recusals follow a juror moved to
another union and a union moved to another parent, inside members' transaction. A refusal
(``WorkflowError``) propagates to members' service and rolls the whole change back. Connected
in ``EvaluationsConfig.ready``."""

from django.dispatch import receiver

from members.signals import union_parent_changed, user_union_changed

from .services.recusals import follow_union_move, follow_user_union_change


@receiver(user_union_changed, dispatch_uid="evaluations.recusals.user_union_changed")
def on_user_union_changed(sender, *, actor, user, old_union, **kwargs):
    follow_user_union_change(actor=actor, user=user, old_union=old_union)


@receiver(union_parent_changed, dispatch_uid="evaluations.recusals.union_parent_changed")
def on_union_parent_changed(sender, *, actor, union, old_parent, **kwargs):
    follow_union_move(actor=actor, union=union, old_parent=old_parent)
