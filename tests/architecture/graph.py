"""The import graph of the application's own modules, read from the source (``ast``): every
``import`` and ``from … import`` anywhere in a module, inside functions too, since an import
inside a function is still a dependency (and the usual way to hide a cycle).

An edge goes to the module named, or to ``package.name`` when that is a module itself
(``from awards import services`` depends on ``awards.services``). Migrations are left out: they
name the apps they depend on by label, not by import.
"""

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The layers of docs/ARCHITECTURE.md, lowest first: a module may import its own app, the apps of
# lower layers and ``unionproj``; never a higher layer or another app of its own layer.
LAYERS = (("members",), ("projects",), ("evaluations",), ("awards",), ("exports", "dashboards"))
APPS = tuple(app for layer in LAYERS for app in layer)
SHARED = "unionproj"
# ``unionproj`` imports no app, except these modules, which put the apps together.
ASSEMBLY = ("unionproj.settings", "unionproj.urls", "unionproj.celery")


def layer_of(app):
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules():
    """``{module name: path}`` of every module of the apps and ``unionproj`` (no migrations)."""
    found = {}
    for top in (*APPS, SHARED):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                found[_module_name(path)] = path
    return found


def _resolve(module, node, is_package):
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _target(name):
    """The nearest module of ours that ``name`` is or is inside; ``None`` for others' modules."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@cache
def imports():
    """``{module: {(imported module, line)}}`` over the application's modules."""
    known = modules()
    graph = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, node, is_package)
                names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                         for alias in node.names]
            else:
                continue
            for name in names:
                target = _target(name)
                if target and target != module:
                    edges.add((target, node.lineno))
        graph[module] = edges
    return graph


def app_of(module):
    return module.split(".")[0]


def cycles(edges=None):
    """The strongly connected components of more than one module (Tarjan), each sorted, in
    ``edges`` (default: :func:`imports`)."""
    graph = {m: {t for t, _line in targets} for m, targets in (edges or imports()).items()}
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def backward_imports(edges=None):
    """``[(module, line, imported module, why)]`` of every import against the layering, in
    ``edges`` (default: :func:`imports`)."""
    wrong = []
    for module, targets in sorted((edges or imports()).items()):
        source = app_of(module)
        for target, line in sorted(targets):
            to = app_of(target)
            if to == source or to == SHARED:
                continue
            if source == SHARED:
                if module not in ASSEMBLY:
                    wrong.append((module, line, target, "unionproj imports no app"))
            elif layer_of(to) > layer_of(source):
                wrong.append((module, line, target, f"{source} may not depend on {to} (a higher layer)"))
            elif layer_of(to) == layer_of(source):
                wrong.append((module, line, target, f"{source} and {to} are independent (one layer)"))
    return wrong
