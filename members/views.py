"""Pages of members: the management of unions and users (admins).

Views are thin: they read through ``queries``, write through ``services`` and turn the services'
errors into form errors and messages. Every list is paginated and costs a constant number of
queries, whatever its length.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from unionproj.errors import StateConflict
from unionproj.text import quoted

from . import services
from .audit import client_ip
from .enums import JurorKind
from .forms import UnionForm, UserFilterForm, UserForm, add_service_error
from .models import Union, User
from .queries import subtree_q, unions_managed_by, users_managed_by
from .rules import may, require_perm

UNIONS_PER_PAGE = 100
USERS_PER_PAGE = 50
# Deeper levels are drawn at the deepest indentation the stylesheet has.
MAX_INDENT = 6


# --- unions ---------------------------------------------------------------------------------


@login_required
def union_list(request):
    """The unions the admin manages, as an indented tree (ordered by path), searchable by name."""
    user = request.user
    require_perm(user, "members.manage_unions")
    unions = unions_managed_by(user)
    query = request.GET.get("q", "").strip()
    if query:
        unions = unions.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    page = Paginator(unions.order_by("path"), UNIONS_PER_PAGE).get_page(request.GET.get("page"))
    base = 0 if user.is_superuser or user.union is None else user.union.depth
    for union in page:
        union.indent = min(max(union.depth - base, 0), MAX_INDENT)
    return render(request, "members/union_list.html", {"page": page, "q": query})


def _union_form_page(request, union=None):
    user = request.user
    require_perm(user, "members.manage_unions")
    parents = unions_managed_by(user)
    if union is not None:
        parents = parents.exclude(path__startswith=union.path)
    # Only a superuser creates a new root; an admin keeps its own root union without a parent.
    parent_required = not user.is_superuser and not (union is not None and union.parent_id is None)
    initial = {}
    if union is not None:
        initial = {"name": union.name, "short_name": union.short_name, "level": union.level, "parent": union.parent}
    elif user.union_id:
        initial = {"parent": user.union}
    form = UnionForm(request.POST or None, initial=initial, parents=parents.order_by("path"),
                     parent_required=parent_required)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_union(actor=user, union=union, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您无权管理该工会。"))
        except StateConflict as exc:  # e.g. a move the roadshows' recusals cannot follow
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存工会%(name)s。") % {"name": quoted(saved.name)})
            return redirect("members:union_list")
    if request.method == "POST":
        messages.error(request, _("保存失败，请检查下面标出的问题。"))
    return render(request, "members/union_form.html", {"form": form, "union": union})


@login_required
def union_create(request):
    return _union_form_page(request)


@login_required
def union_edit(request, pk):
    require_perm(request.user, "members.manage_unions")
    union = get_object_or_404(unions_managed_by(request.user).select_related("parent"), pk=pk)
    return _union_form_page(request, union)


# --- users ----------------------------------------------------------------------------------


@login_required
def user_list(request):
    """Users the admin manages: search by username, name or phone; filter by role and union
    (the union's subtree); 50 a page."""
    user = request.user
    require_perm(user, "members.manage_users")
    unions = unions_managed_by(user).order_by("path")
    users = users_managed_by(user).select_related("union").order_by("username")
    filters = UserFilterForm(request.GET or None, unions=unions)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            users = users.filter(Q(username__icontains=q) | Q(name__icontains=q) | Q(phone__icontains=q))
        if data["role"]:
            users = users.filter(**{User.ROLE_FIELDS[data["role"]]: True})
        if data["union"]:
            users = users.filter(subtree_q(data["union"]))
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/user_list.html", {"page": page, "filters": filters})


def _user_history(target):
    """The last changes of the user's record, newest first, each with what changed."""
    records = list(target.history.select_related("history_user").order_by("-history_date", "-history_id")[:20])
    ignored = {"password", "last_login"}
    union_ids = set()
    rows = []
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in ignored:
                    continue
                changes.append(change)
                if change.field == "union":
                    union_ids.update(v for v in (change.old, change.new) if v)
        if previous is not None and record.history_type == "~" and not changes:
            continue  # a save that changed nothing shown here (e.g. only the password)
        rows.append({"record": record, "changes": changes})
    names = {pk: u.name for pk, u in Union.objects.in_bulk(union_ids).items()} if union_ids else {}
    for row in rows:
        row["changes"] = [
            {"field": _field_label(c.field), "old": _field_value(c.field, c.old, names),
             "new": _field_value(c.field, c.new, names)}
            for c in row["changes"]
        ]
    return rows


def _field_label(name):
    try:
        return User._meta.get_field(name).verbose_name
    except FieldDoesNotExist:  # a field removed since the record was written
        return name


def _field_value(name, value, union_names):
    if name == "union":
        return union_names.get(value, value) if value else "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if name == "juror_kind" and value:
        return JurorKind(value).label if value in JurorKind.values else value
    return value if value not in (None, "") else "—"


def _user_form_page(request, target=None):
    user = request.user
    require_perm(user, "members.manage_users")
    editing = target is not None
    initial = {"is_active": True}
    if editing:
        initial = {
            "username": target.username, "name": target.name, "phone": target.phone, "email": target.email,
            "union": target.union, "roles": target.roles, "juror_kind": target.juror_kind,
            "is_active": target.is_active,
        }
    password_locked = editing and not may(user, "members.set_password", target)
    form = UserForm(request.POST or None, initial=initial, unions=unions_managed_by(user).order_by("path"),
                    editing=editing, password_locked=password_locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_user(
                actor=user, user=target, username=target.username if editing else data["username"],
                name=data["name"], phone=data["phone"], email=data["email"], union=data["union"],
                roles=data["roles"], juror_kind=data["juror_kind"], password=data.get("password") or None,
                is_active=data["is_active"], ip=client_ip(request) or "",
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您无权管理该用户。"))
        except StateConflict as exc:  # e.g. a move the roadshows' recusals cannot follow
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已保存用户%(name)s。") % {"name": quoted(saved.display_name)})
            return redirect("members:user_list")
    if request.method == "POST":
        messages.error(request, _("保存失败，请检查下面标出的问题。"))
    context = {"form": form, "target": target, "history": _user_history(target) if editing else [],
               "password_locked": password_locked, "reset_hours": settings.PASSWORD_RESET_SECONDS // 3600}
    return render(request, "members/user_form.html", context)


@login_required
def user_create(request):
    return _user_form_page(request)


@login_required
def user_edit(request, pk):
    require_perm(request.user, "members.manage_users")
    target = get_object_or_404(users_managed_by(request.user).select_related("union"), pk=pk)
    return _user_form_page(request, target)
