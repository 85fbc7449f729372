"""``manage.py import_history FILE.xlsx``: past years' projects, results and replication plans
(``projects.importer``), all or nothing, with a row-by-row report of errors."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from members.models import Union, User
from projects.importer import build_template, import_history


class Command(BaseCommand):
    help = "导入历史年度的项目、获奖等次和复制推广计划（Excel），任何一行有错误则不导入任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 文件；与 --template 同用时为要写出的模板文件")
        parser.add_argument("--user", help="以哪个管理员的身份导入（默认：第一个超级用户）")
        parser.add_argument("--owner", help="导入到哪个市总工会（全称；默认：该管理员所在工会）")
        parser.add_argument("--template", action="store_true", help="写出一个空白导入模板后退出")

    def handle(self, *args, file, user=None, owner=None, template=False, **options):
        if template:
            with open(file, "wb") as out:
                out.write(build_template())
            self.stdout.write(self.style.SUCCESS(f"导入模板已写入 {file}"))
            return
        if user:
            actor = User.objects.filter(username=user).first()
        else:
            actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("找不到导入用户，请用 --user 指定一个管理员。")
        owner_union = None
        if owner:
            owner_union = Union.objects.filter(name=owner).first()
            if owner_union is None:
                raise CommandError(f"找不到工会“{owner}”。")
        try:
            report = import_history(actor=actor, file=file, owner_union=owner_union)
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {file}") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"{error.sheet} 第{error.row}行 {error.column}:{error.message}")
            raise CommandError(f"发现 {len(report.errors)} 处错误，未导入任何数据。")
        self.stdout.write(self.style.SUCCESS(
            f"已导入 {report.projects} 个项目（{report.awards} 个获奖）、{report.plans} 个推广计划，"
            f"年度：{', '.join(map(str, report.campaigns))}。"
        ))
