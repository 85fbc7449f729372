"""No import cycle among the application's modules, not even through imports inside functions,
and every import runs with the layering of docs/ARCHITECTURE.md."""

import pytest

from . import graph


def test_the_graph_sees_the_apps_and_imports_inside_functions():
    modules = graph.modules()
    assert {"members.models", "awards.services.jobs", "exports.services", "unionproj.jobs"} <= set(modules)
    # awards.tasks imports the services inside its functions: still an edge.
    assert "awards.services" in {target for target, _line in graph.imports()["awards.tasks"]}


def test_there_is_no_import_cycle():
    assert graph.cycles() == []


def test_no_import_runs_against_the_layering():
    assert graph.backward_imports() == []


@pytest.mark.parametrize(("source", "target", "caught"), [
    ("members.models", "awards.models", True),  # up the layers
    ("exports.views", "dashboards.queries", True),  # across one layer
    ("unionproj.jobs", "awards.enums", True),  # the shared code imports no app
    ("unionproj.urls", "awards.urls", False),  # except where it assembles them
    ("awards.services.jobs", "evaluations.models", False),  # down the layers
    ("awards.api", "unionproj.api", False),
])
def test_the_layering_check_reports_what_runs_upwards(source, target, caught):
    edges = {source: {(target, 1)}}
    assert bool(graph.backward_imports(edges)) is caught


def test_the_cycle_check_reports_a_loop_through_an_import_inside_a_function():
    edges = dict(graph.imports())
    edges["awards.services.jobs"] = {*edges["awards.services.jobs"], ("awards.tasks", 1)}
    assert any({"awards.services.jobs", "awards.tasks"} <= set(c) for c in graph.cycles(edges))
