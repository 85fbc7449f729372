"""``manage.py load_demo``: the Wuxi demo (unions, users of every role, the 2019, 2020 and
current-year programmes with their projects).

Idempotent: unions and users are created or brought back to the demo values (passwords too, so
the printed table is always true); a campaign's project that already exists is left as it is.
``--reset`` first deletes the demo campaigns and every project in them (with their timelines,
the one place the append-only audit rows are deleted: unionproj/append_only.py), then loads afresh.

Projects reach their states through ``projects.services`` with the proper actor, so each has a
real timeline (events in order, actor, reasons).
"""

import os
import unicodedata

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from members.models import Union, User
from members.services import save_union, save_user
from projects import demo, demo_history, services
from projects.importer import import_history
from projects.models import Campaign, Project, ProjectEvent, ReplicationPlan
from unionproj import append_only


class Command(BaseCommand):
    help = "加载无锡演示数据(工会、各角色用户、2019/2020/本年度项目),可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先删除演示年度项目及其全部项目,再重新加载。")
        parser.add_argument(
            "--force", action="store_true", help="在 DEBUG=0(生产配置)下也加载(演示账号口令很弱,慎用)。"
        )

    def handle(self, *args, reset=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG=0(生产配置)下加载演示数据会创建弱口令账号;确需加载请加 --force。")
        today = timezone.localdate()
        with transaction.atomic():
            unions = self._unions()
            users = self._users(unions)
            admin = users["admin"]
            if reset:
                self._reset(unions["市总"], today)
            created = 0
            for spec in demo.campaigns(today):
                campaign = self._campaign(spec, admin=admin, owner=unions["市总"])
                for project_spec in spec["projects"]:
                    created += self._project(project_spec, campaign=campaign, unions=unions, users=users)
        self._history(admin=users["admin"], owner=unions["市总"], reset=reset)
        self.stdout.write(self.style.SUCCESS(
            f"演示数据已就绪:{len(unions)} 个工会,{len(users)} 个用户,"
            f"{len(demo.campaigns(today))} 个年度项目,本次新建 {created} 个项目。"
        ))
        self._print_logins(users)

    # --- members ------------------------------------------------------------------------------

    def _unions(self):
        unions = {}
        for name, short_name, level, parent in demo.UNIONS:
            existing = Union.objects.filter(name=name).first()
            unions[short_name] = save_union(
                actor=None, union=existing, name=name, short_name=short_name, level=level,
                parent=unions[parent] if parent else None,
            )
        return unions

    def _users(self, unions):
        # Hash the demo password once and give every demo user that hash: one PBKDF2 round
        # instead of thirty, and the password is still set the ordinary way (a salted hash).
        hashed = make_password(demo.DEMO_PASSWORD)
        users = {}
        for username, name, union, roles, juror_kind, phone in demo.USERS:
            existing = User.objects.filter(username__iexact=username).first()
            if existing is not None and existing.is_superuser:
                raise CommandError(f"用户名 {username} 已被超级用户占用,演示数据不会改动超级用户。")
            user = save_user(
                actor=None, user=existing, username=username, name=name, phone=phone,
                union=unions[union] if union else None, roles=roles, juror_kind=juror_kind,
            )
            user.password = hashed
            user.save(update_fields=["password"])
            users[username] = user
        return users

    # --- campaigns and projects ---------------------------------------------------------------

    def _history(self, *, admin, owner, reset):
        """Past years 2014–2018 through the historic import (once; again after ``--reset``)."""
        years = list(demo_history.YEARS)
        with transaction.atomic():
            if reset:
                history = Project.objects.filter(campaign__owner_union=owner, campaign__year__in=years)
                ReplicationPlan.objects.filter(source_project__in=history).delete()
                with append_only.purge_allowed():  # the demo's own history goes with it
                    ProjectEvent.objects.filter(project__in=history).delete()
                    history.delete()
                Campaign.objects.filter(owner_union=owner, year__in=years).delete()
            if Campaign.objects.filter(owner_union=owner, year__in=years).exists():
                return
            report = import_history(actor=admin, file=demo_history.workbook(), owner_union=owner)
        if report.errors:
            raise CommandError("历史演示数据有误:" + ";".join(f"{e.sheet}{e.row}{e.column}{e.message}"
                                                           for e in report.errors[:5]))
        self.stdout.write(f"已导入 {years[0]}–{years[-1]} 年历史数据:{report.projects} 个项目,"
                          f"{report.plans} 个推广计划。")

    def _campaign_key(self, year, owner):
        return {"year": year, "title": demo.CAMPAIGN_TITLE.format(year=year), "owner_union": owner}

    def _reset(self, owner, today):
        keys = [self._campaign_key(spec["year"], owner) for spec in demo.campaigns(today)]
        for key in keys:
            for campaign in Campaign.objects.filter(**key):
                stored = [(a.file.storage, a.file.name) for p in campaign.projects.all() for a in p.attachments.all()]
                try:
                    with append_only.purge_allowed():  # the demo's own history goes with it
                        ProjectEvent.objects.filter(project__campaign=campaign).delete()
                        campaign.projects.all().delete()
                    campaign.delete()
                except ProtectedError as exc:
                    raise CommandError(
                        f"“{campaign}”已被其他数据引用(如路演),无法重置;"
                        f"请改用 manage.py load_demo_roadshows --reset:{exc}"
                    ) from exc
                for storage, name in stored:
                    transaction.on_commit(lambda s=storage, n=name: s.delete(n))
        self.stdout.write("已删除演示年度项目及其项目。")

    def _campaign(self, spec, *, admin, owner):
        key = self._campaign_key(spec["year"], owner)
        campaign = Campaign.objects.filter(**key).first()
        if campaign is not None:
            return campaign
        return services.save_campaign(
            actor=admin, **key, filing_opens=spec["filing_opens"], filing_deadline=spec["filing_deadline"],
            budget=spec["budget"], require_recommendation=spec["require_recommendation"],
            recommendation_quota=spec["recommendation_quota"],
        )

    def _project(self, spec, *, campaign, unions, users):
        """Create one project and walk it through its steps; 0 when it already exists."""
        union = unions[spec["union"]]
        if Project.objects.filter(campaign=campaign, title=spec["fields"]["title"]).exists():
            return 0
        staff = _member(users, union, "is_staff_role")
        county_admin = _county_admin(users, union)
        admin = users["admin"]
        fields = dict(spec["fields"], contact_name=staff.name, contact_phone=staff.phone)
        project = services.create_project(actor=staff, campaign=campaign, **fields)
        # Past programmes: submit on a day inside their filing window.
        submit_day = timezone.localdate() if campaign.filing_is_open() else campaign.filing_deadline
        for action, *args in spec["steps"]:
            if action == "submit":
                project = services.submit_project(actor=staff, project=project, today=submit_day)
            elif action == "revise":
                project = services.update_project(actor=staff, project=project, **args[0])
            elif action == "recommend":
                project = services.recommend_project(actor=county_admin, project=project)
            elif action == "return":
                project = services.return_project(actor=admin, project=project, reason=args[0])
            elif action == "approve":
                project = services.approve_project(actor=admin, project=project)
            elif action == "reject":
                project = services.reject_project(actor=admin, project=project, reason=args[0])
            elif action == "shortlist":
                project = services.shortlist_project(actor=admin, project=project)
            else:  # pragma: no cover - a typo in demo.py
                raise CommandError(f"unknown demo step {action!r}")
        return 1

    # --- output -------------------------------------------------------------------------------

    def _print_logins(self, users):
        rows = [("用户名", "密码", "角色", "工会")]
        for user in users.values():
            roles = "、".join(str(label) for label in user.role_labels())
            if user.juror_kind:
                roles += f"({user.get_juror_kind_display()})"
            rows.append((user.username, demo.DEMO_PASSWORD, roles, user.union.name if user.union else "—"))
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        # `make demo PORT=…` exports the port runserver is about to serve on.
        port = os.environ.get("PORT") or "8000"
        self.stdout.write(f"演示账号（登录地址 http://127.0.0.1:{port}/ ）：")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))


def _member(users, union, role_field):
    for user in users.values():
        if user.union_id == union.pk and getattr(user, role_field):
            return user
    raise CommandError(f"演示数据缺少 {union.name} 的申报员。")


def _county_admin(users, union):
    """The demo's county admin above ``union`` (None when there is none)."""
    for user in users.values():
        if user.is_county_admin_role and user.union_id != union.pk and union.is_within(user.union):
            return user
    return None


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _pad(text, width):
    return str(text) + " " * (width - _width(text))
