"""Admin pages of a roadshow before and around scoring: the list, creation, and the setup page
(settings, running order, jury, groups, recusals, start/close).

Thin: reads through ``evaluations.queries``, writes through ``evaluations.services``; a
``WorkflowError``/``ValidationError`` becomes a message and a redirect, ``PermissionDenied``
the 403 page, a roadshow the user cannot see the 404 page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.queries import jury_pool
from members.rules import is_admin, may
from projects.enums import ProjectStatus
from projects.models import Project
from projects.queries import campaigns_visible_to
from unionproj.text import quoted

from .. import queries, services
from ..enums import RECUSAL_STATES, REORDER_STATES, SETUP_STATES, UNFINISHED_STATES, RoadshowStatus
from ..forms import (
    AddJurorForm,
    CriterionFormSet,
    EntriesForm,
    GroupForm,
    JurorSearchForm,
    RecusalForm,
    RoadshowForm,
    RubricForm,
    SeatGroupForm,
    criteria_from,
)
from ..models import Entry, JurorGroup, JurySeat, Recusal
from ._common import ROADSHOW_BADGE, SERVICE_ERRORS, admin_roadshow, error_text, report, with_entry_badges
from .quorum import QuorumNotMet, override_reason, refusal
from .recovery import flag_entries

ROADSHOWS_PER_PAGE = 25
CANDIDATES_SHOWN = 50


def _require_admin(user):
    if not is_admin(user):
        raise PermissionDenied(_("只有市总管理员可以管理路演展评。"))


def _form_errors_to_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)


def _setup_url(roadshow, anchor=""):
    return redirect(f"/roadshows/{roadshow.pk}/{anchor}")


# --- list and creation ----------------------------------------------------------------------


@login_required
def roadshow_list(request):
    _require_admin(request.user)
    roadshows = (queries.roadshows_administered_by(request.user)
                 .annotate(entry_count=Count("entries", distinct=True), juror_count=Count("seats", distinct=True))
                 .order_by("-date", "-id"))
    page = Paginator(roadshows, ROADSHOWS_PER_PAGE).get_page(request.GET.get("page"))
    for roadshow in page.object_list:
        roadshow.badge_class = ROADSHOW_BADGE.get(roadshow.status, "text-bg-secondary")
    return render(request, "evaluations/roadshow_list.html", {"page": page})


def _campaigns_for(user):
    return [c for c in campaigns_visible_to(user).order_by("-year", "-id") if may(user, "evaluations.add_roadshow", c)]


@login_required
def roadshow_create(request):
    user = request.user
    _require_admin(user)
    campaigns = _campaigns_for(user)
    choices = campaigns_visible_to(user).filter(pk__in=[c.pk for c in campaigns]).order_by("-year", "-id")
    initial = {"campaign": request.GET.get("campaign")} if request.GET.get("campaign") else None
    form = RoadshowForm(request.POST or None, campaigns=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roadshow = services.create_roadshow(actor=user, campaign=form.cleaned_data["campaign"],
                                                category=form.cleaned_data.get("category") or None,
                                                **form.service_fields())
        except SERVICE_ERRORS as exc:
            report(request, exc)
        else:
            messages.success(request, _("路演展评%(t)s已创建，请添加路演项目和评委。") % {"t": quoted(roadshow.title)})
            return _setup_url(roadshow)
    return render(request, "evaluations/roadshow_form.html", {"form": form, "campaigns": campaigns})


# --- a campaign's rubrics (评分标准) -------------------------------------------------------------


def _admin_campaign(user, pk):
    """The campaign, for its admins: 404 when it does not exist, 403 for anyone else."""
    campaign = get_object_or_404(campaigns_visible_to(user), pk=pk)
    if not may(user, "evaluations.add_roadshow", campaign):
        raise PermissionDenied(_("只有本年度项目的管理员可以设置评分标准。"))
    return campaign


def _service_errors_to_form(form, formset, exc):
    """A ``ValidationError`` of ``services.create_rubric`` on the field it names (the criteria's
    on the rows as a whole)."""
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        elif field == "criteria":
            formset._non_form_errors = formset.error_class(errors)  # the formset's own slot
        else:
            form.add_error(None, errors)


@login_required
def rubric_list(request, pk):
    """The campaign's rubrics (its own and one per category) with their criteria, and a form to
    add one. Campaign admins only."""
    user = request.user
    campaign = _admin_campaign(user, pk)
    form = RubricForm(request.POST or None, campaign=campaign)
    formset = CriterionFormSet(request.POST or None, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            rubric = services.create_rubric(actor=user, campaign=campaign, name=form.cleaned_data["name"],
                                            category=form.cleaned_data["category"] or None,
                                            criteria=criteria_from(formset))
        except ValidationError as exc:
            _service_errors_to_form(form, formset, exc)
        else:
            messages.success(request, _("评分标准%(n)s已保存。") % {"n": quoted(rubric.name)})
            return redirect("evaluations:rubrics", pk=campaign.pk)
    rubrics = list(queries.rubrics_of(campaign))
    return render(request, "evaluations/rubrics.html", {
        "campaign": campaign, "rubrics": rubrics, "form": form, "formset": formset,
        "has_own": any(r.category is None for r in rubrics),
    })


# --- the setup page -------------------------------------------------------------------------


def _candidate_projects(roadshow):
    """Shortlisted projects of the campaign not on a roadshow that is not finalised (this one
    or another: one unfinished roadshow per project)."""
    return (Project.objects.filter(campaign=roadshow.campaign, status=ProjectStatus.SHORTLISTED)
            .exclude(roadshow_entries__roadshow__status__in=UNFINISHED_STATES)
            .select_related("applicant_union").order_by("applicant_union__path", "id"))


def _pool_for(roadshow, q=""):
    pool = jury_pool().exclude(jury_seats__roadshow=roadshow).select_related("union")
    if q:
        pool = pool.filter(Q(name__icontains=q) | Q(username__icontains=q) | Q(union__name__icontains=q)
                           | Q(phone__icontains=q))
    return pool.order_by("name", "id")


@login_required
def roadshow_setup(request, pk):
    user = request.user
    roadshow = admin_roadshow(user, pk)
    search = JurorSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    entries = flag_entries(roadshow, with_entry_badges(list(queries.entries_of(roadshow))))
    seats = list(queries.seats_of(roadshow))
    groups = list(roadshow.groups.all())
    recusals = list(queries.recusals_of(roadshow))
    editable = roadshow.status in SETUP_STATES
    candidates = list(_candidate_projects(roadshow)) if editable else []
    pool = list(_pool_for(roadshow, q)[:CANDIDATES_SHOWN]) if editable else []
    context = {
        "roadshow": roadshow,
        "criteria": queries.criteria_of(roadshow),
        "entries": entries,
        "seats": seats,
        "groups": groups,
        "recusals": recusals,
        "editable": editable,
        "reorderable": roadshow.status in REORDER_STATES,
        "recusal_editable": roadshow.status in RECUSAL_STATES,
        "candidates": candidates,
        "pool": pool,
        "search": search,
        "q": q,
        "settings_form": RoadshowForm(initial={
            "title": roadshow.title, "date": roadshow.date, "venue": roadshow.venue,
            "aggregation": roadshow.aggregation, "live": roadshow.live, "min_cards": roadshow.min_cards}),
        "group_form": GroupForm(),
        "can_start": roadshow.status == RoadshowStatus.SETUP,
        "can_close": roadshow.status == RoadshowStatus.SCORING,
    }
    return render(request, "evaluations/roadshow_setup.html", context)


@require_POST
@login_required
def roadshow_settings(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = RoadshowForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _setup_url(roadshow, "#settings")
    fields = form.service_fields()
    if roadshow.status not in SETUP_STATES and fields["live"] == roadshow.live:
        fields.pop("live")
    if "min_cards" in request.POST:  # the input is disabled (not posted) once scoring started
        fields["min_cards"] = form.cleaned_data["min_cards"]
    try:
        services.update_roadshow(actor=request.user, roadshow=roadshow, **fields)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("设置已保存。"))
    return _setup_url(roadshow, "#settings")


# --- running order --------------------------------------------------------------------------


@require_POST
@login_required
def entries_add(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = EntriesForm(request.POST, projects=_candidate_projects(roadshow))
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _setup_url(roadshow, "#entries")
    added = 0
    for project in form.cleaned_data["projects"]:
        try:
            services.add_entry(actor=request.user, roadshow=roadshow, project=project)
        except SERVICE_ERRORS as exc:
            messages.error(request, f"“{project.title}”:{error_text(exc)}")
        else:
            added += 1
    if added:
        messages.success(request, _("已添加 %(n)d 个路演项目。") % {"n": added})
    return _setup_url(roadshow, "#entries")


def _entry_of(roadshow, entry_pk):
    return get_object_or_404(Entry.objects.select_related("roadshow", "project"), pk=entry_pk, roadshow=roadshow)


@require_POST
@login_required
def entry_remove(request, pk, entry_pk):
    roadshow = admin_roadshow(request.user, pk)
    entry = _entry_of(roadshow, entry_pk)
    try:
        services.remove_entry(actor=request.user, entry=entry)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已移除路演项目%(t)s。") % {"t": quoted(entry.project.title)})
    return _setup_url(roadshow, "#entries")


@require_POST
@login_required
def entry_move(request, pk, entry_pk, direction):
    if direction not in ("up", "down"):
        raise Http404
    roadshow = admin_roadshow(request.user, pk)
    entry = _entry_of(roadshow, entry_pk)
    ids = list(roadshow.entries.order_by("order", "id").values_list("pk", flat=True))
    i = ids.index(entry.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
        try:
            services.reorder_entries(actor=request.user, roadshow=roadshow, entry_ids=ids)
        except SERVICE_ERRORS as exc:
            report(request, exc)
    back = request.POST.get("back")
    if back == "live":
        return redirect("evaluations:live", pk=roadshow.pk)
    return _setup_url(roadshow, "#entries")


# --- jury -----------------------------------------------------------------------------------


@require_POST
@login_required
def juror_add(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = AddJurorForm(request.POST, pool=_pool_for(roadshow), groups=roadshow.groups.all())
    if not form.is_valid():
        _form_errors_to_messages(request, form)
    else:
        user = form.cleaned_data["user"]
        try:
            services.add_juror(actor=request.user, roadshow=roadshow, user=user, group=form.cleaned_data["group"])
        except SERVICE_ERRORS as exc:
            report(request, exc)
        else:
            messages.success(request, _("已添加评委%(n)s。") % {"n": quoted(user.display_name)})
    return _setup_url(roadshow, "#jurors")


def _seat_of(roadshow, seat_pk):
    return get_object_or_404(JurySeat.objects.select_related("roadshow", "user"), pk=seat_pk, roadshow=roadshow)


@require_POST
@login_required
def juror_remove(request, pk, seat_pk):
    roadshow = admin_roadshow(request.user, pk)
    seat = _seat_of(roadshow, seat_pk)
    try:
        services.remove_juror(actor=request.user, seat=seat)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已移除评委%(n)s。") % {"n": quoted(seat.user.display_name)})
    return _setup_url(roadshow, "#jurors")


@require_POST
@login_required
def juror_group(request, pk, seat_pk):
    roadshow = admin_roadshow(request.user, pk)
    seat = _seat_of(roadshow, seat_pk)
    form = SeatGroupForm(request.POST, groups=roadshow.groups.all())
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _setup_url(roadshow, "#jurors")
    try:
        services.set_juror_group(actor=request.user, seat=seat, group=form.cleaned_data["group"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("%(n)s已调整到%(g)s。") % {
            "n": quoted(seat.user.display_name), "g": quoted(form.cleaned_data["group"].name)})
    return _setup_url(roadshow, "#jurors")


@require_POST
@login_required
def group_save(request, pk, group_pk=None):
    roadshow = admin_roadshow(request.user, pk)
    group = get_object_or_404(JurorGroup, pk=group_pk, roadshow=roadshow) if group_pk else None
    form = GroupForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _setup_url(roadshow, "#groups")
    try:
        group = services.save_juror_group(actor=request.user, roadshow=roadshow, group=group,
                                          name=form.cleaned_data["name"], weight=form.cleaned_data["weight"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("评审组%(n)s已保存。") % {"n": quoted(group.name)})
    return _setup_url(roadshow, "#groups")


# --- recusals -------------------------------------------------------------------------------


@require_POST
@login_required
def recusal_add(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    form = RecusalForm(request.POST, seats=roadshow.seats.select_related("user"),
                       entries=roadshow.entries.select_related("project"))
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return _setup_url(roadshow, "#recusals")
    seat, entry = form.cleaned_data["seat"], form.cleaned_data["entry"]
    seat.roadshow = entry.roadshow = roadshow
    try:
        services.add_manual_recusal(actor=request.user, seat=seat, entry=entry, reason=form.cleaned_data["reason"])
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已设置%(n)s回避%(t)s。") % {
            "n": quoted(seat.user.display_name), "t": quoted(entry.project.title)})
    return _setup_url(roadshow, "#recusals")


@require_POST
@login_required
def recusal_remove(request, pk, recusal_pk):
    roadshow = admin_roadshow(request.user, pk)
    recusal = get_object_or_404(Recusal.objects.select_related("entry__roadshow", "seat__user"),
                                pk=recusal_pk, entry__roadshow=roadshow)
    try:
        services.remove_manual_recusal(actor=request.user, recusal=recusal)
    except SERVICE_ERRORS as exc:
        report(request, exc)
    else:
        messages.success(request, _("已取消%(n)s的回避。") % {"n": quoted(recusal.seat.user.display_name)})
    return _setup_url(roadshow, "#recusals")


# --- start and close ------------------------------------------------------------------------


@require_POST
@login_required
def roadshow_start(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    try:
        services.start_roadshow(actor=request.user, roadshow=roadshow)
    except SERVICE_ERRORS as exc:
        report(request, exc)
        return _setup_url(roadshow)
    messages.success(request, _("评分已开始，评委现在可以在手机上评分。"))
    return redirect("evaluations:live", pk=roadshow.pk)


@require_POST
@login_required
def roadshow_close(request, pk):
    roadshow = admin_roadshow(request.user, pk)
    try:
        services.close_roadshow(actor=request.user, roadshow=roadshow, override_reason=override_reason(request))
    except QuorumNotMet as exc:
        return refusal(request, roadshow, exc, back_url=f"/roadshows/{roadshow.pk}/live/",
                       button=_("填写理由后结束评分"))
    except SERVICE_ERRORS as exc:
        report(request, exc)
        return redirect("evaluations:live", pk=roadshow.pk)
    messages.success(request, _("评分已结束。"))
    return redirect("evaluations:results", pk=roadshow.pk)
