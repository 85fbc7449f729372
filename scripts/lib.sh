# Shared by scripts/setup.sh, scripts/test.sh and .ci/run (sourced, not run).
# Works on a fresh Debian 12 with Python 3.11; uses sudo only when not root.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root for: $* (install sudo or run as root)"
    fi
}

apt_install() {
    say "apt-get install $*"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# The interpreter that makes the virtualenv: $PYTHON, else python3.11, else python3 if it is >= 3.11.
base_python() {
    local candidate
    for candidate in ${PYTHON:-} python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
}

# ensure_venv REQUIREMENTS_FILE: a .venv with that file installed (pip runs only when it changed).
ensure_venv() {
    local requirements="$1" python stamp digest
    if [ ! -x "$PY" ]; then
        python="$(base_python)"
        say "creating .venv with $python"
        if ! "$python" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            apt_install python3-venv
            "$python" -m venv "$VENV"
        fi
    fi
    digest="$(cat "$ROOT/requirements.txt" "$ROOT/$requirements" | sha256sum | cut -d' ' -f1)"
    stamp="$VENV/.installed-$(basename "$requirements")"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
        say "pip install -r $requirements"
        "$PY" -m pip install -q --upgrade pip
        "$PY" -m pip install -q -r "$ROOT/$requirements"
        echo "$digest" >"$stamp"
    fi
}

# What WeasyPrint (the PDF exports) needs from Debian: Pango (with HarfBuzz's subsetter) and a
# CJK font, without which Chinese prints as boxes. Both README commands call it.
ensure_pdf_libs() {
    local missing=() package
    for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt_install "${missing[@]}"
    fi
}

# What the browser tests need from Debian: chromium and a CJK font (Chinese, not boxes).
ensure_browser() {
    local missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt_install "${missing[@]}"
    fi
}
