#!/usr/bin/env python3
"""Full-width punctuation in Chinese text: ，；：？！（） and “” instead of , ; : ? ! ( ) and "".

Rewrites, in one pass and always the same way (running it twice changes nothing the second time):
  * Python string literals (not docstrings, comments, raw or byte strings; in f-strings only the
    text outside the {…} fields), in every .py file of the project — tests and migrations too, so
    that expected texts and migration ``verbose_name``s keep matching the code;
  * templates (*.html, *.txt under every ``templates`` directory), outside {{ }}, {% %}, {# #},
    <script>, <style> and HTML comments, except the string of {% translate "…" %} which is text;
  * the msgid / msgid_plural lines of locale/en/LC_MESSAGES/django.po (never the English msgstr),
    with the same rule, so the catalogue keeps matching the code.

The rule (``convert``), applied only to a text holding at least one Han character:
  * , ; : ? ! becomes full-width when the character before it or after it is Chinese (a Han
    character, CJK punctuation, or “ ”), except when a Chinese word ends an English clause
    (``领域; omitted`` — the mark is followed by a space and a Latin letter) and except ``://``;
  * a pair of ( ) becomes （ ） when a Chinese character stands just outside or just inside either
    parenthesis, unless the "(" opens an English aside (``Submit (申报) a draft``: a space after a
    Latin letter before it) or belongs to a Latin word (``doc(x)``); placeholders such as %(name)s are never touched;
  * "…" around text holding Chinese, with a Chinese character just before or after it, becomes “…”
    (so HTML attributes and JSON keys stay).
Placeholders (%(name)s, %s, %%, {{ }}, {% %}, f-string fields) and HTML entities (&gt;) count as neither Chinese nor
Latin: ``您好,%(name)s`` and ``%(n)s,请`` both change, 08:00, 3.5, URLs and code do not.

Usage (from the project root, with the project's Python):
    .venv/bin/python scripts/fullwidth.py --check   # list what would change; exit 1 if anything
    .venv/bin/python scripts/fullwidth.py           # rewrite, then verify (compile every changed
                                                    # .py file, same number of translated
                                                    # entries, every code msgid still translated)
A file holding the marker ``fullwidth: skip-file`` is left alone.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
SKIP_DIRS = {".venv", "venv", "node_modules", "staticfiles", "test-artifacts", "media", "locale",
             ".git", "__pycache__", "htmlcov", "bench"}
SKIP_MARKER = "fullwidth: " + "skip-file"

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
OPAQUE = "\ue000"  # the display character of a placeholder / template tag / escape

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[sdifr%]"
                          r"|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")  # and HTML entities: &gt;
_QUOTED = re.compile(r'"([^"<>{}=\n]*)"')


def is_chinese(char: str) -> bool:
    """A Han character, CJK or full-width punctuation, or a curly double quote."""
    if not char:
        return False
    code = ord(char)
    return (bool(_HAN.match(char)) or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF
            or char in "“”")


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def convert(text: str, opaque: list[bool] | None = None, context: dict[int, str] | None = None) -> str:
    """Return ``text`` with the half-width punctuation of its Chinese parts made full-width.

    ``opaque[i]`` marks characters that belong to code (template tags, escapes): they are never
    changed and count as neither Chinese nor Latin, unless ``context[i]`` names the character they
    stand for (the last character of a {% translate %} message, say). The result has the same
    length as ``text``.
    """
    context = context or {}
    if not _HAN.search(text):
        return text
    opaque = list(opaque) if opaque is not None else [False] * len(text)
    for match in _PLACEHOLDER.finditer(text):
        for i in range(match.start(), match.end()):
            opaque[i] = True
    view = "".join(OPAQUE if opaque[i] else c for i, c in enumerate(text))
    out = list(text)

    def at(i: int) -> str:
        return context.get(i, view[i]) if 0 <= i < len(view) else ""

    # Straight quotes around Chinese text.
    for match in _QUOTED.finditer(view):
        start, end = match.start(), match.end() - 1
        inner = match.group(1)
        if (_HAN.search(inner) and inner == inner.strip()
                and (is_chinese(at(start - 1)) or is_chinese(at(end + 1)))):
            out[start], out[end] = "“", "”"
    view = "".join(OPAQUE if opaque[i] else c for i, c in enumerate(out))

    def english_aside(i: int) -> bool:  # "(" preceded by " " after a Latin letter
        return at(i - 1).isspace() and _latin(at(i - 2))

    # Parentheses, in pairs.
    stack, pairs = [], []
    for i, char in enumerate(view):
        if char == "(":
            stack.append(i)
        elif char == ")":
            pairs.append((stack.pop() if stack else None, i))
    pairs.extend((i, None) for i in stack)
    for left, right in pairs:
        near = [left - 1, left + 1] if left is not None else []
        near += [right - 1, right + 1] if right is not None else []
        if not any(is_chinese(at(i)) for i in near):
            continue
        if left is not None and english_aside(left):
            continue
        inside = view[(left or 0) + 1:right if right is not None else len(view)]
        if (left is not None and _latin(at(left - 1)) and not any(map(is_chinese, inside))
                and not (right is not None and _HAN.match(at(right + 1) or "x"))):
            continue  # doc(x): a Latin word's own parentheses (but Excel(.xlsx)工作簿 changes)
        for i in (left, right):
            if i is not None:
                out[i] = HALF_TO_FULL[view[i]]

    # , ; : ? !
    for i, char in enumerate(view):
        if char not in ",;:?!":
            continue
        before, after = at(i - 1), at(i + 1)
        if not (is_chinese(before) or is_chinese(after)):
            continue
        if not is_chinese(after) and after.isspace() and _latin(at(i + 2)):
            continue  # 领域; omitted … — an English clause goes on
        if char == ":" and view[i + 1:i + 3] == "//":
            continue
        out[i] = HALF_TO_FULL[char]
    return "".join(out)


# --- units: (display character, raw source text, opaque?) -------------------------------------


@dataclass
class Unit:
    shown: str
    raw: str
    opaque: bool = False
    context: str | None = None  # for an opaque unit: the character it reads as, if any


def render(units: list[Unit]) -> str:
    """Apply ``convert`` to the shown text of ``units`` and return the new raw source."""
    shown = "".join(u.shown for u in units)
    context = {i: u.context for i, u in enumerate(units) if u.context}
    new = convert(shown, [u.opaque for u in units], context)
    if new == shown:
        return "".join(u.raw for u in units)
    parts = []
    for unit, char in zip(units, new):
        parts.append(unit.raw if char == unit.shown else char)
    return "".join(parts)


def text_units(text: str, opaque: bool = False) -> list[Unit]:
    return [Unit(c, c, opaque) for c in text]


def opaque_unit(raw: str) -> list[Unit]:
    return [Unit(OPAQUE, raw, True)]


# --- Python -----------------------------------------------------------------------------------

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"'}
_STRING_START = re.compile(r"(?i)^([rbuf]*)('''|\"\"\"|'|\")")


def _literal_body_units(body: str, fstring: bool) -> list[Unit]:
    units, i = [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _SIMPLE_ESCAPES:
                units.append(Unit(_SIMPLE_ESCAPES[nxt], body[i:i + 2], nxt not in "\"'"))
                if nxt in "\"'":
                    units[-1].opaque = False
                i += 2
                continue
            match = re.match(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|.)",
                             body[i:], re.S)
            units += opaque_unit(match.group())
            i += len(match.group())
            continue
        if fstring and char in "{}":
            if body[i:i + 2] in ("{{", "}}"):
                units += opaque_unit(body[i:i + 2])
                i += 2
                continue
            if char == "{":
                depth, j = 0, i
                while j < len(body):
                    if body[j] == "{":
                        depth += 1
                    elif body[j] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    j += 1
                units += opaque_unit(body[i:j + 1])
                i = j + 1
                continue
        units.append(Unit(char, char))
        i += 1
    return units


def convert_string_token(token: str) -> str:
    match = _STRING_START.match(token)
    if not match:
        return token
    prefix, quote = match.groups()
    if "r" in prefix.lower() or "b" in prefix.lower():
        return token
    body = token[len(prefix) + len(quote):len(token) - len(quote)]
    units = _literal_body_units(body, "f" in prefix.lower())
    new_body = render(units)
    if len(quote) == 1:  # a curly quote never needs an escape; a straight one must stay escaped
        pass
    return prefix + quote + new_body + quote


def _docstring_starts(tree: ast.AST) -> set[tuple[int, int]]:
    starts = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(
                node.value.value, str):
            starts.add((node.value.lineno, node.value.col_offset))
    return starts


def convert_python(source: str) -> str:
    tree = ast.parse(source)
    docstrings = _docstring_starts(tree)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING or not _HAN.search(tok.string):
            continue
        row, col = tok.start
        # ast columns are UTF-8 byte offsets
        byte_col = len(lines[row - 1][:col].encode("utf-8"))
        if (row, byte_col) in docstrings:
            continue
        new = convert_string_token(tok.string)
        if new != tok.string:
            start = offsets[row - 1] + col
            end = offsets[tok.end[0] - 1] + tok.end[1]
            edits.append((start, end, new))
    for start, end, new in reversed(edits):
        source = source[:start] + new + source[end:]
    return source


# --- templates --------------------------------------------------------------------------------

_TEMPLATE_TOKEN = re.compile(
    r"(?P<comment>\{#.*?#\}|<!--.*?-->|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\})"
    r"|(?P<code><script\b.*?</script\s*>|<style\b.*?</style\s*>)"
    r"|(?P<trans>\{%\s*(?:translate|trans)\s+)(?P<q>[\"'])(?P<msg>.*?)(?P=q)(?P<rest>.*?%\})"
    r"|(?P<tag>\{%.*?%\}|\{\{.*?\}\})"
    r"|(?P<html><[a-zA-Z/!](?:\{%.*?%\}|\{\{.*?\}\}|[^>])*>)",
    re.S | re.I,
)


def template_units(text: str, in_html_tag: bool = False) -> list[Unit]:
    units, pos = [], 0
    for match in _TEMPLATE_TOKEN.finditer(text):
        units += _plain_units(text[pos:match.start()], in_html_tag)
        pos = match.end()
        if match.group("trans"):
            message = match.group("msg")
            units += opaque_unit(match.group("trans") + match.group("q"))
            units[-1].context = message[:1] or None
            units += text_units(message)
            units += opaque_unit(match.group("q") + match.group("rest"))
            units[-1].context = message[-1:] or None
        elif match.group("html") and not in_html_tag:
            units += opaque_unit("<") + template_units(match.group("html")[1:], in_html_tag=True)
        else:
            units += opaque_unit(match.group())
    units += _plain_units(text[pos:], in_html_tag)
    return units


def _plain_units(text: str, in_html_tag: bool) -> list[Unit]:
    if not in_html_tag:
        return text_units(text)
    return [Unit(c, c, c in "\"'") if c not in "\"'" else Unit(OPAQUE, c, True) for c in text]


def convert_template(text: str) -> str:
    return render(template_units(text))


# --- the .po catalogue ------------------------------------------------------------------------

_PO_STRING = re.compile(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?)?\s*"(.*)"\s*$')


def _po_unescape(body: str) -> list[Unit]:
    return _literal_body_units(body, fstring=False)


def convert_po(text: str) -> str:
    """Rewrite the msgid and msgid_plural values of a .po file; msgstr lines are kept as they are."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        match = _PO_STRING.match(lines[i])
        if not match or match.group(1) not in ("msgid", "msgid_plural"):
            out.append(lines[i])
            i += 1
            continue
        group = [i]
        i += 1
        while i < len(lines) and _PO_STRING.match(lines[i]) and _PO_STRING.match(lines[i]).group(1) is None:
            group.append(i)
            i += 1
        bodies = [_PO_STRING.match(lines[j]).group(2) for j in group]
        per_line = [_po_unescape(b) for b in bodies]
        flat = [u for units in per_line for u in units]
        shown = "".join(u.shown for u in flat)
        new = convert(shown, [u.opaque for u in flat])
        k = 0
        for j, units in zip(group, per_line):
            body = "".join(u.raw if new[k + n] == u.shown else new[k + n] for n, u in enumerate(units))
            k += len(units)
            prefix = lines[j][:lines[j].index('"')]
            out.append(f'{prefix}"{body}"')
    return "\n".join(out)


# --- files ------------------------------------------------------------------------------------


def _skipped(path: Path) -> bool:
    return bool(SKIP_DIRS.intersection(path.relative_to(ROOT).parts))


def python_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not _skipped(p))


def template_files() -> list[Path]:
    found = []
    for directory in ROOT.rglob("templates"):
        if directory.is_dir() and not _skipped(directory):
            found += [p for p in directory.rglob("*") if p.suffix in (".html", ".txt") and p.is_file()]
    return sorted(set(found))


def planned_changes() -> list[tuple[Path, str, str]]:
    """(path, old text, new text) for every file the rewrite would change."""
    changes = []
    jobs = [(p, convert_python) for p in python_files()] + [(p, convert_template) for p in template_files()]
    if PO_FILE.exists():
        jobs.append((PO_FILE, convert_po))
    for path, function in jobs:
        old = path.read_text(encoding="utf-8")
        if SKIP_MARKER in old:
            continue
        new = function(old)
        if new != old:
            changes.append((path, old, new))
    return changes


def changed_lines(old: str, new: str):
    for number, (a, b) in enumerate(zip(old.splitlines(), new.splitlines()), start=1):
        if a != b:
            yield number, a, b


# --- checks after a rewrite -------------------------------------------------------------------

_PY_CALL = re.compile(r"\b(?:_|gettext|gettext_lazy|gettext_noop|pgettext|pgettext_lazy|ngettext|ngettext_lazy)"
                      r"\(\s*((?:\"(?:[^\"\\\n]|\\.)*\"\s*)+)")
_TEMPLATE_CALL = re.compile(r"{%\s*(?:translate|trans)\s+(\"[^\"]*\"|'[^']*')")


def po_translations(text: str) -> dict[str, bool]:
    """msgid → translated? (non-obsolete, non-header entries)."""
    result, entry, field = {}, {}, None

    def flush():
        if entry.get("msgid"):
            result[entry["msgid"]] = bool(entry.get("msgstr")) and "fuzzy" not in entry.get("flags", "")

    for line in text.split("\n") + [""]:
        line = line.strip()
        if not line:
            flush()
            entry, field = {}, None
            continue
        if line.startswith("#,"):
            entry["flags"] = line
            continue
        if line.startswith("#"):
            continue
        match = _PO_STRING.match(line)
        if not match:
            continue
        keyword = match.group(1)
        value = ast.literal_eval('"' + match.group(2) + '"')
        if keyword:
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            entry[field] = entry.get(field, "") + value if field == "msgstr" else value
        elif field:
            entry[field] = entry.get(field, "") + value
    return result


def code_msgids() -> list[str]:
    found = []
    for path in python_files():
        if "tests" in path.relative_to(ROOT).parts or "migrations" in path.relative_to(ROOT).parts:
            continue
        for match in _PY_CALL.finditer(path.read_text(encoding="utf-8")):
            found.append(ast.literal_eval("(" + match.group(1) + ")"))
    for path in template_files():
        for match in _TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            found.append(match.group(1)[1:-1].replace("%", "%%"))
    return found


def coverage() -> tuple[int, int]:
    """(translated catalogue entries, code msgids that have a translation)."""
    po = po_translations(PO_FILE.read_text(encoding="utf-8"))
    return sum(po.values()), sum(1 for msgid in code_msgids() if po.get(msgid))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="list what would change; exit 1 if anything")
    args = parser.parse_args(argv)

    changes = planned_changes()
    for path, old, new in changes:
        for number, a, b in changed_lines(old, new):
            print(f"{path.relative_to(ROOT)}:{number}: {a.strip()}\n    -> {b.strip()}")
    print(f"{len(changes)} file(s) {'to change' if args.check else 'changed'}.", file=sys.stderr)
    if args.check:
        return 1 if changes else 0

    before = coverage() if PO_FILE.exists() else None
    po_before = po_translations(PO_FILE.read_text(encoding="utf-8")) if PO_FILE.exists() else {}
    for path, _old, new in changes:
        path.write_text(new, encoding="utf-8")
    problems = []
    for path, _old, new in changes:
        if path.suffix == ".py":
            try:
                compile(new, str(path), "exec")
            except SyntaxError as error:
                problems.append(f"{path}: no longer compiles: {error}")
    if before is not None:
        po_after = po_translations(PO_FILE.read_text(encoding="utf-8"))
        if len(po_after) != len(po_before):
            problems.append(f"{PO_FILE}: {len(po_before)} entries before, {len(po_after)} after "
                            "(two msgids became the same: remove the duplicate by hand)")
        after = coverage()
        if after[0] != before[0] or after[1] < before[1]:
            lost = [m for m in code_msgids() if not po_after.get(m)]
            problems.append(f"translated entries / translated code msgids: {before} before, {after} after; "
                            f"code msgids without a translation now: {lost}")
        if shutil.which("msgfmt"):
            result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(PO_FILE)],
                                    capture_output=True, text=True)
            if result.returncode:
                problems.append(f"msgfmt: {result.stderr.strip()}")
        print(f"translated entries, translated code msgids: {before} before, {after} after.", file=sys.stderr)
    for problem in problems:
        print("ERROR:", problem, file=sys.stderr)
    return 2 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
