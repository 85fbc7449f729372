#!/usr/bin/env bash
# Re-extract the translatable strings and recompile the English catalogue.
#
# The source strings (gettext msgids) are Chinese; English lives in
# locale/en/LC_MESSAGES/django.po. Both django.po and the compiled django.mo are committed,
# so running the app needs no gettext tools — only this script (for developers) does.
#
# Needs GNU gettext (xgettext, msgmerge, msgfmt): on Debian `apt-get install gettext`
# (the script installs it when missing and it may use apt).
#
# makemessages MERGES: existing translations are kept, new strings come in with an empty
# msgstr, strings that changed slightly come in marked "fuzzy", and strings no longer in the
# code are dropped (--no-obsolete). After running it, translate the empty and fuzzy entries in
# django.po (remove the "#, fuzzy" line once checked), then run this script again to compile.
# tests/test_i18n.py fails while any entry is untranslated or fuzzy, or the .mo is stale.
#
# Usage: scripts/makemessages.sh            # extract + compile
#        scripts/makemessages.sh --compile  # compile only
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; then
    apt_install gettext
fi

IGNORE=(--ignore=.venv --ignore=staticfiles --ignore=test-artifacts --ignore=tests
        --ignore=node_modules --ignore=media)

if [ "${1:-}" != "--compile" ]; then
    say "makemessages -l en"
    "$PY" manage.py makemessages -l en "${IGNORE[@]}" --no-obsolete
    # JavaScript strings (static/js) would go to the djangojs domain; there are none yet.
    if grep -rqs "gettext(" static/js; then
        "$PY" manage.py makemessages -d djangojs -l en "${IGNORE[@]}" --ignore=static/vendor --no-obsolete
    fi
fi

say "compilemessages -l en"
"$PY" manage.py compilemessages -l en "${IGNORE[@]}"

say "catalogue status"
for po in locale/en/LC_MESSAGES/*.po; do
    printf '%s: ' "$po" >&2
    msgfmt --statistics -o /dev/null "$po"
done
