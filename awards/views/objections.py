"""The admin's objection desk (issue 21): every objection of a roadshow with a checkbox, and
one form that answers or dismisses the checked ones at once (one confirmation). Answering one
objection at a time stays on the awards page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.enums import RoadshowStatus
from evaluations.rules import MANAGE_AWARDS
from evaluations.views.common import SERVICE_ERRORS, admin_roadshow, report
from members.rules import may
from unionproj.inputs import CleanInputMixin

from .. import queries, services


class BulkObjectionForm(CleanInputMixin, forms.Form):
    ids = forms.TypedMultipleChoiceField(label=gettext_lazy("异议"), coerce=int, error_messages={
        "required": gettext_lazy("请勾选要处理的异议。"),
        "invalid_choice": gettext_lazy("所选异议不存在或已处理，请刷新页面后重试。")})
    action = forms.ChoiceField(choices=[("answer", gettext_lazy("答复")), ("dismiss", gettext_lazy("驳回"))])
    text = forms.CharField(label=gettext_lazy("答复或驳回理由"), max_length=2000,
                           error_messages={"required": gettext_lazy("请填写答复内容或驳回理由。")})

    def __init__(self, *args, open_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in open_ids]


def _manager_roadshow(user, pk):
    roadshow = admin_roadshow(user, pk)
    if not may(user, MANAGE_AWARDS, roadshow):
        raise PermissionDenied(_("只有本次路演的管理员可以执行此操作。"))
    return roadshow


@login_required
def objection_list(request, pk):
    roadshow = _manager_roadshow(request.user, pk)
    objections = list(queries.objections_of(roadshow))
    context = {
        "roadshow": roadshow,
        "objections": objections,
        "open_count": sum(1 for o in objections if not o.answered),
        "can_answer": roadshow.status == RoadshowStatus.PUBLICITY,
    }
    return render(request, "awards/objections.html", context)


@require_POST
@login_required
def objections_bulk(request, pk):
    roadshow = _manager_roadshow(request.user, pk)
    open_ids = queries.objections_of(roadshow).filter(answered_at__isnull=True).values_list("pk", flat=True)
    form = BulkObjectionForm(request.POST, open_ids=list(open_ids))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"/roadshows/{roadshow.pk}/awards/objections/")
    ids, text = form.cleaned_data["ids"], form.cleaned_data["text"]
    try:
        if form.cleaned_data["action"] == "dismiss":
            done = services.dismiss_objections(actor=request.user, roadshow=roadshow, ids=ids, reason=text)
            messages.success(request, _("已驳回 %(n)d 条异议。") % {"n": len(done)})
        else:
            done = services.answer_objections(actor=request.user, roadshow=roadshow, ids=ids, answer=text)
            messages.success(request, _("已答复 %(n)d 条异议。") % {"n": len(done)})
    except SERVICE_ERRORS as exc:
        report(request, exc)
    return redirect(f"/roadshows/{roadshow.pk}/awards/objections/")
