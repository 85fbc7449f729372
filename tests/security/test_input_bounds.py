"""Sloppy input in the pages is a form error or a 4xx, never a 500 (docs/SECURITY.md, "Issue 13
item 5" and "Issue 21 item 6"), generated from the URL configuration like the authorisation
matrix (``test_url_matrix.py``):

- every page of ``urlwalk.our_routes`` is opened as each role that uses forms, on the fixture
  world of ``world.py`` (plus a project waiting in the screening queue and a roadshow still in
  set-up, so that the bulk screening form and the running-order form are on their pages);
- every POST form found on them is sent back as a browser would, with each of its integer fields
  (ids in selects, check boxes and hidden inputs; number inputs) set to 2^63 and to 10^30;
- every POST-only URL no page shows a form for gets the id fields of all our form classes at once;
- every query parameter found in the pages' links and GET forms is sent with digits that are
  not ASCII (``²``, ``１２``, ``٣``), ``-0``, 2^63, 10^30 and a NUL.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django import forms
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from evaluations import services as ev
from evaluations.models import Roadshow
from projects.enums import ProjectStatus
from tests.factories import ProjectFactory
from unionproj.inputs import CleanInputMixin

from .formwalk import read_page
from .matrix_kwargs import kwargs_for, query_for
from .test_url_matrix import EXPECTED
from .urlwalk import fill, our_routes
from .world import build_world, roles

HUGE = [str(2**63), str(10**30)]
ODD_QUERY = ["²", "１２", "٣", "-0", str(2**63), str(10**30), "1\x00"]
FORM_ROLES = ["admin", "staff_owner", "county_admin_above", "juror_on"]


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def our_form_classes():
    our_apps = ("members.", "projects.", "evaluations.", "dashboards.", "unionproj.")
    our_routes()  # the URL configuration imports every view module, hence every form
    return {cls for cls in _all_subclasses(forms.BaseForm) if cls.__module__.startswith(our_apps)}


def id_field_names():
    """The names of the fields of our form classes that carry an integer."""
    names = set()
    for cls in our_form_classes():
        for name, field in cls.base_fields.items():
            if isinstance(field, (forms.ModelChoiceField, forms.IntegerField)) or (
                    getattr(field, "coerce", None) is int):
                names.add(name)
    return names


@pytest.fixture
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bounds_world(people, tree, campaign, media_in_tmp):
    world = build_world(people, tree, campaign)
    ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"], status=ProjectStatus.SUBMITTED,
                   title="待初审项目")
    candidate = ProjectFactory(campaign=campaign, applicant_union=tree["town_a1"],
                               status=ProjectStatus.SHORTLISTED, title="待排序项目")
    world["setup"] = ev.create_roadshow(actor=people["admin"], campaign=campaign, title="筹备中的路演",
                                        date=datetime.date(2026, 7, 1), venue="会场")
    world["candidate"] = candidate
    # live: the juror's card page polls the "now scoring" banner with ?card=
    Roadshow.objects.filter(pk=world["live"].pk).update(live=True)
    return world


def page_paths(world):
    """``{path: route name}`` of every GET page, plus the set-up page of the roadshow in set-up."""
    paths = {}
    for name, route in our_routes().items():
        if EXPECTED.get(name, ("GET",))[0] == "GET":
            paths[fill(route, kwargs_for(name, route, world)) + query_for(name, world)] = name
    paths[reverse("evaluations:setup", args=[world["setup"].pk])] = "evaluations:setup"
    return paths


def route_name(path):
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return None


def harvest(client, world):
    """The POST forms and the query parameters of every page ``client`` may open."""
    post_forms, params = [], {}
    for path in page_paths(world):
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        found_forms, found_params = read_page(path, response.content.decode())
        post_forms += [f for f in found_forms if f.method == "post"]
        for name, paths in found_params.items():
            for target in paths:
                params.setdefault(target, set()).add(name)
    return post_forms, params


def _post(client, url, body):
    with transaction.atomic():
        response = client.post(url, body)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("role", FORM_ROLES)
def test_huge_ids_in_every_page_form_are_never_a_500(client_for, people, bounds_world, role):
    client = client_for(roles(people, bounds_world)[role])
    post_forms, _params = harvest(client, bounds_world)
    wrong, posted = [], set()
    for form in post_forms:
        if route_name(form.action) == "logout":
            continue
        for field in sorted(form.numeric):
            for value in HUGE:
                body = {**form.values, field: [value]}
                response = _post(client, form.action, body)
                posted.add((route_name(form.action), field))
                if response.status_code >= 500:
                    wrong.append(f"POST {form.action} {field}={value} as {role}: {response.status_code}")
    # POST-only URLs whose form is on no page this role sees: every id field name at once.
    shown = {route_name(form.action) for form in post_forms}
    names = id_field_names()
    for name, route in our_routes().items():
        if EXPECTED.get(name, ("GET",))[0] != "POST" or name in shown or name == "logout":
            continue
        url = fill(route, kwargs_for(name, route, bounds_world))
        for value in HUGE:
            response = _post(client, url, dict.fromkeys(names, value))
            posted.add((name, "*"))
            if response.status_code >= 500:
                wrong.append(f"POST {url} (every id field)={value} as {role}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    if role == "admin":
        # the two forms of the report are among those generated
        assert ("projects:screening-bulk", "projects") in posted
        assert ("evaluations:entries-add", "projects") in posted


@pytest.mark.parametrize("role", ["admin", "staff_owner", "juror_on"])
def test_odd_numbers_in_every_query_parameter_are_never_a_500(client_for, people, bounds_world, role):
    client = client_for(roles(people, bounds_world)[role])
    _forms, params = harvest(client, bounds_world)
    for path in page_paths(bounds_world):
        if "?" in path:  # the query the matrix gives a page (projects:create ?campaign=)
            base, query = path.split("?", 1)
            params.setdefault(base, set()).update(name for name, _v in [p.split("=") for p in query.split("&")])
    wrong = []
    for path, names in params.items():
        for name in sorted(names):
            for value in ODD_QUERY:
                response = client.get(f"{path}?{urlencode({name: value})}")
                if response.status_code >= 500:
                    wrong.append(f"GET {path}?{name}={value!r} as {role}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    if role == "juror_on":
        assert any(route_name(p) == "evaluations:live-now" and "card" in n for p, n in params.items())
    if role == "staff_owner":
        assert any(route_name(p) == "projects:create" and "campaign" in n for p, n in params.items())


def test_every_form_class_of_ours_has_the_input_rules():
    """A new form gets the bounded ids, ASCII numbers and clean text by inheriting the mixin;
    this test names one that does not."""
    missing = sorted(f"{cls.__module__}.{cls.__name__}" for cls in our_form_classes()
                     if not issubclass(cls, CleanInputMixin))
    assert not missing, f"forms without unionproj.inputs.CleanInputMixin: {missing}"
