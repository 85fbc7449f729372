"""Every module imports in a fresh interpreter, in random orders: an import that only works
because another module happened to be imported first (a hidden cycle) fails here."""

import random
import subprocess
import sys

import pytest

from . import graph

SCRIPT = """
import importlib, os, random, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionproj.settings")
names = sys.argv[2:]
random.Random(int(sys.argv[1])).shuffle(names)
# The settings and the app registry first (models need it), then everything else in that order.
import django
django.setup()
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def _importable(name):
    # ``unionproj.wsgi``/``asgi`` set up Django themselves; management commands and the rest
    # are plain modules.
    return not name.endswith((".wsgi", ".asgi"))


@pytest.mark.parametrize("seed", [1, 2, 3, 20261205])
def test_every_module_imports_in_a_fresh_interpreter_in_random_order(seed):
    names = sorted(name for name in graph.modules() if _importable(name))
    random.Random(seed).shuffle(names)
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(seed), *names], cwd=graph.ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"seed {seed}:\n{run.stderr[-3000:]}"
    assert run.stdout.split()[-1] == str(len(names))
