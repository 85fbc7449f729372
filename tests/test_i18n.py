"""Chinese is the language of the platform; English is there for whoever picks it in the switcher.

The msgids are Chinese; English comes from locale/en/LC_MESSAGES/django.po, compiled into the
committed django.mo (scripts/makemessages.sh re-extracts and compiles).
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from .factories import ProjectFactory

ROOT = Path(django_settings.BASE_DIR)
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


# --- a minimal .po reader (polib is not a requirement) ---------------------------------------


def _unquote(line):
    return ast.literal_eval(line)


def parse_po(path):
    """Return the entries of a .po file as dicts: msgid, msgid_plural, msgstr (list), flags, obsolete."""
    entries, entry, field = [], None, None

    def flush():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid_plural": None, "msgstr": {}, "flags": set(), "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.groups()
            if keyword.startswith("msgstr"):
                field = ("msgstr", int(index or 0))
                entry["msgstr"][field[1]] = _unquote(value)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(value)
        elif line.startswith('"') and field:
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"cannot parse .po line: {raw!r}")
    return [e for e in entries if e["msgid"] != "" and not e["obsolete"]]


@pytest.fixture(scope="module")
def po_entries():
    assert PO_FILE.exists(), "run scripts/makemessages.sh"
    return parse_po(PO_FILE)


PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\{\s*\w+\s*\}\}")


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries(po_entries):
    assert len(po_entries) > 300
    fuzzy = [e["msgid"] for e in po_entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in po_entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    assert fuzzy == [], f"fuzzy entries in {PO_FILE}: {fuzzy}"
    assert untranslated == [], f"untranslated entries in {PO_FILE}: {untranslated}"


def test_english_translations_keep_every_placeholder(po_entries):
    wrong = []
    for entry in po_entries:
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for translated in entry["msgstr"].values():
            if sorted(PLACEHOLDER.findall(translated)) != expected:
                wrong.append((entry["msgid"], translated))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file(po_entries):
    """The committed .mo says what the .po says (a .po edited without recompiling fails here)."""
    assert MO_FILE.exists(), "run scripts/makemessages.sh --compile"
    stale = []
    with translation.override("en"):
        for entry in po_entries:
            if entry.get("msgctxt") is not None:
                continue
            if entry.get("msgid_plural") is not None:
                got = [translation.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
                want = [entry["msgstr"][0], entry["msgstr"][1]]
            else:
                got, want = translation.gettext(entry["msgid"]), entry["msgstr"][0]
            if got != want:
                stale.append(entry["msgid"])
    assert stale == [], f"{MO_FILE} is older than the .po; run scripts/makemessages.sh --compile: {stale[:10]}"


# Literal strings handed to the translation machinery in our code and templates.
_PY_CALL = re.compile(r"\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*\"((?:[^\"\\\n]|\\.)*)\"\s*\)")
_TEMPLATE_TAG = re.compile(r"{%\s*(?:translate|trans)\s+(\"[^\"]*\"|'[^']*')")
_SKIP_DIRS = {".venv", "staticfiles", "test-artifacts", "tests", "node_modules", "migrations", "media", "locale"}


def _source_files(suffix):
    for path in ROOT.rglob(f"*{suffix}"):
        if not _SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def test_every_simple_translatable_literal_is_in_the_catalogue(po_entries):
    """A string wrapped for translation after the last makemessages shows up here, not in English pages."""
    known = {e["msgid"] for e in po_entries}
    found = set()
    for path in _source_files(".py"):
        for match in _PY_CALL.finditer(path.read_text(encoding="utf-8")):
            found.add((ast.literal_eval(f'"{match.group(1)}"'), path.relative_to(ROOT)))
    for path in _source_files(".html"):
        for match in _TEMPLATE_TAG.finditer(path.read_text(encoding="utf-8")):
            # makemessages doubles "%" in template strings (they are not %-formatted there).
            found.add((match.group(1)[1:-1].replace("%", "%%"), path.relative_to(ROOT)))
    missing = sorted((str(where), text) for text, where in found if text and text not in known)
    assert missing == [], f"run scripts/makemessages.sh and translate: {missing}"


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def project(campaign, tree):
    return ProjectFactory(campaign=campaign, applicant_union=tree["county_a"], title="职工书屋建设项目")


def _pages(project):
    return {
        "home": reverse("home"),
        "projects": reverse("projects:list"),
        "detail": reverse("projects:detail", args=[project.pk]),
    }


def test_login_page_is_english_with_the_language_cookie(english, db):
    html = english.get(reverse("login")).content.decode()
    assert '<html lang="en"' in html
    assert "Log in to the Union Project Management Platform" in html
    assert "Forgot your password?" in html
    assert "登录工会项目化管理平台" not in html


@pytest.mark.parametrize("page", ["home", "projects", "detail"])
def test_pages_are_english_with_the_language_cookie(english, people, project, page):
    english.force_login(people["staff_a"])
    response = english.get(_pages(project)[page])
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Union Project Management", "Home", "Projects", "Annual programme", "Log out", "中文"]:
        assert text in html, text
    for text in ["首页", "退出", "工会项目化管理"]:
        assert text not in html, text
    # User data stays as entered.
    if page in ("projects", "detail"):
        assert "职工书屋建设项目" in html
        assert "Draft" in html


def test_project_page_in_english_shows_english_sections(english, people, project):
    english.force_login(people["staff_a"])
    html = english.get(reverse("projects:detail", args=[project.pk])).content.decode()
    for text in ["History", "Attachments", "No attachments yet.", "Upload"]:
        assert text in html, text


def test_home_page_greets_in_english(english, people, project):
    english.force_login(people["staff_a"])
    html = english.get(reverse("home")).content.decode()
    assert "My projects" in html
    assert "我的项目" not in html


@pytest.mark.parametrize("page", ["home", "projects", "detail"])
def test_pages_stay_chinese_for_an_english_browser_without_the_cookie(client, people, project, page):
    client.force_login(people["staff_a"])
    response = client.get(_pages(project)[page], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["首页", "项目", "年度项目", "退出", "English"]:
        assert text in html, text
    for text in ["Log out", "Annual programme"]:
        assert text not in html, text


def test_login_page_stays_chinese_for_an_english_browser(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录工会项目化管理平台" in html
    assert "Log in to the Union Project Management Platform" not in html


def test_language_switcher_sets_english_and_back(client, people, project, settings):
    client.force_login(people["staff_a"])
    detail = reverse("projects:detail", args=[project.pk])

    response = client.post("/i18n/setlang/", {"language": "en", "next": detail})
    assert response.status_code == 302
    assert response["Location"] == detail
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(detail).content.decode()
    assert "Log out" in html and "History" in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": detail})
    html = client.get(detail).content.decode()
    assert "退出" in html and "流转记录" in html
    assert "Log out" not in html


def test_error_messages_from_services_are_english_when_chosen(people, project):
    """Messages built with gettext in services follow the active language, placeholders filled."""
    from projects.enums import ProjectStatus

    with translation.override("en"):
        assert str(ProjectStatus.SHORTLISTED.label) == "Shortlisted"
        text = translation.gettext("项目当前状态为“%(s)s”，不能修改。") % {"s": ProjectStatus.SUBMITTED.label}
    assert text == "The project is currently “Submitted” and cannot be edited."
    with translation.override("zh-hans"):
        assert str(ProjectStatus.SHORTLISTED.label) == "已入围"
