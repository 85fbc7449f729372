"""The tests mirror the source (docs/STYLE.md, issue 14 item 7): a folder under tests/ is an app
or one of the suites that cut across apps; fixtures come from conftest.py files by pytest's own
lookup, never by importing a conftest module; and a test's data comes back from factories and
fixtures as values (``tests.factories.ScoredRoadshow``), never as attributes stuck onto a model
instance (``roadshow.test_entries = …``)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# The project's apps (a folder with an apps.py) and the module all of them share.
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py")) + ["unionproj"]
# Suites that test the product across apps rather than one app's code.
CROSS_CUTTING = ["architecture", "e2e", "faults", "performance", "security"]

MODULES = sorted(TESTS.rglob("*.py"))


def _name(path):
    return str(path.relative_to(ROOT))


def test_the_apps_are_found():
    assert {"members", "projects", "evaluations", "awards", "exports", "dashboards"} <= set(APPS)


def test_every_folder_under_tests_is_an_app_or_a_cross_cutting_suite():
    folders = sorted(p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__")))
    strays = [name for name in folders if name not in APPS and name not in CROSS_CUTTING]
    assert not strays, f"tests/ folders that are neither an app nor {CROSS_CUTTING}: {strays}"


def test_every_test_folder_is_a_package():
    """Two folders may hold test modules of the same name (``test_permissions.py``) only as
    packages: pytest imports them as ``tests.<app>.<folder>.<module>``."""
    folders = {path.parent for path in MODULES}
    missing = sorted(_name(folder) for folder in folders if not (folder / "__init__.py").exists())
    assert not missing, f"folders without __init__.py: {missing}"


def _conftest_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""] + [f"{node.module or ''}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        if any(part.startswith("conftest") for name in names for part in name.split(".")):
            yield node.lineno, names[0]


def _each(find):
    return {f"{_name(path)}:{line}": what for path in MODULES
            for line, what in find(ast.parse(path.read_text(encoding="utf-8")))}


def test_no_module_imports_a_conftest():
    """Fixtures reach a folder through the conftest.py files above it; what two folders share
    lives in tests/conftest.py or in a plain helper module (tests/factories.py,
    tests/exports/roadshows.py, tests/e2e/browser.py …) imported by name."""
    found = _each(_conftest_imports)
    assert not found, f"conftest modules imported: {found}"


def test_no_helper_module_is_named_like_a_conftest():
    odd = [_name(path) for path in MODULES if path.stem.startswith("conftest") and path.stem != "conftest"]
    assert not odd, f"helper modules named like a conftest: {odd}"


def _stuck_attributes(tree):
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and str(node.args[1].value).startswith("test_")):
            yield node.lineno, node.args[1].value
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr.startswith("test_"):
                    yield node.lineno, part.attr


def test_nothing_sticks_a_test_attribute_onto_an_object():
    """``roadshow.test_entries = entries`` hides what a fixture returns; return a value that
    says it (a dataclass such as ``ScoredRoadshow``) or make another fixture."""
    found = _each(_stuck_attributes)
    assert not found, f"attributes stuck onto objects: {found}"
