"""A newcomer reads the README in a clone: every file it points to must be in the repository."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)")
CODE_PATH = re.compile(r"`((?:\.\./|docs/)[^`\s]*)`")


def _targets(path):
    text = path.read_text(encoding="utf-8")
    links = [t for t in MARKDOWN_LINK.findall(text) if not re.match(r"[a-z]+:", t)]
    return links + CODE_PATH.findall(text)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_link_of_the_docs_stays_inside_the_repository(doc):
    base = REPO if doc.name == "README.md" else doc.parent
    for target in _targets(doc):
        if doc.name == "STYLE.md" and "archcheck" in target:
            continue  # named as the steering repository's tool, and said so
        resolved = (base / target).resolve() if not target.startswith("docs/") else (REPO / target).resolve()
        assert resolved.is_relative_to(REPO), f"{doc.name} points outside the repository: {target}"
        assert resolved.exists(), f"{doc.name} points to a missing file: {target}"
