"""``createsuperuser`` works without a union, a name or a role, and a superuser may do what an
admin may (API.md: "a superuser needs no union, name or role")."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from members.models import User
from projects import services
from projects.enums import ProjectStatus
from projects.queries import get_visible_project, screening_queue

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-pass-2026!")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@wxgh.example.cn")


@pytest.fixture
def superuser(superuser_env):
    call_command("createsuperuser", interactive=False, stdout=StringIO())
    return User.objects.get(username="root")


def test_createsuperuser_noinput_takes_the_django_superuser_variables(superuser):
    assert superuser.is_superuser and superuser.is_staff and superuser.is_active
    assert superuser.email == "root@wxgh.example.cn"
    assert superuser.check_password("Root-pass-2026!")
    assert superuser.union is None and superuser.roles == [] and superuser.name == ""


def test_manage_py_createsuperuser_noinput_runs_from_the_shell(tmp_path):
    # The same command as an operator types it, against a database of its own.
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "unionproj.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SUPERUSER_USERNAME": "ops", "DJANGO_SUPERUSER_PASSWORD": "Ops-pass-2026!",
        "DJANGO_SUPERUSER_EMAIL": "ops@wxgh.example.cn",
    }
    for command in (["migrate", "--noinput", "-v0"], ["createsuperuser", "--noinput"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "Superuser created successfully" in done.stdout


def test_a_superuser_without_a_union_screens_approves_and_shortlists(superuser, people, campaign):
    staff = people["staff_a"]
    project = services.create_project(actor=staff, campaign=campaign, title="职工众创之家",
                                      category="工会自身建设", summary="互联网+工会")
    services.submit_project(actor=staff, project=project)
    assert project in screening_queue(superuser)
    assert get_visible_project(superuser, project.pk) == project
    services.approve_project(actor=superuser, project=project)
    project = services.shortlist_project(actor=superuser, project=project)
    assert project.status == ProjectStatus.SHORTLISTED
    assert [e.actor for e in project.events.filter(action__in=["approve", "shortlist"])] == [superuser, superuser]


def test_a_superuser_approves_through_the_api(superuser, people, campaign, client):
    staff = people["staff_b"]
    project = services.create_project(actor=staff, campaign=campaign, title="关爱女职工行动",
                                      category="维权服务工作", summary="女职工权益保护")
    services.submit_project(actor=staff, project=project)
    client.force_login(superuser)
    response = client.post(f"/api/v1/projects/{project.pk}/approve/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ProjectStatus.APPROVED
    assert client.get("/").status_code == 200
