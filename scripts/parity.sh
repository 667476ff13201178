#!/usr/bin/env bash
# hadolint parity (issue 7): lint the corpus with dockwright and with hadolint
# 2.15.1 and print, per DL code, the findings both report, only hadolint and
# only dockwright, matched by file, code and instruction line (dockwright's
# exact line is mapped to the first line of its instruction, which is what
# hadolint reports). Both run without configuration and with hadolint's
# default rules (DL3057 and DL1001 off, label-schema DL3049-DL3058 left out).
# Files hadolint cannot parse (DL1000) or BuildKit rejects are left out and
# counted. Details: scripts/parity.py.
#
# usage: scripts/parity.sh [OPTIONS] [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN      default .build/release/dockwright
#   CORPUS_DIR          default ../shared/corpus/files (relative to the repo root)
#   --codes DL3008,...  compare only these codes (quick check of one family)
#   --files N           only the first N corpus files in name order (a
#                       deterministic sample; CI uses all)
#   --jobs N            parallel hadolint/dockwright processes (default: cores)
#   --min-coverage PCT  the overall coverage that passes (default 95)
#   --list-unexplained  print the unexplained misses on stdout as rows for
#                       scripts/known-parity-differences.tsv with category `?`
#                       (the report then goes to stderr)
#   --selftest          check the matching logic on synthetic input (no
#                       hadolint, no dockwright, no venv)
# env: DOCKWRIGHT_VENV as in scripts/lib/venv.sh; PYTHON for --selftest.
#
# Known deliberate differences: scripts/known-parity-differences.tsv, rows
# CODE<TAB>CORPUS-ID<TAB>INSTRUCTION-LINE<TAB>category-slug[<TAB>note]; a
# hadolint finding we miss is "explained" when its row is there.
# Checks: overall coverage (matched / hadolint findings) >= --min-coverage, and one per
# DL code: no unexplained miss. Last lines:
#   parity totals: hadolint=H matched=M (P%) only-hadolint=X (explained E) only-dockwright=Y
#   parity: N passed, M failed
# exit 1 when a check fails, 2 on setup errors. hadolint's findings are cached
# in .build/hadolint-findings-cache/ (hadolint version + SHA-256 of the file;
# shared with scripts/hadolint-failures.sh, which runs first in CI): uncached,
# hadolint needs ~7 min on 2 busy cores (~85 ms CPU per file); cached, a run
# takes ~10-25 s. Details (per code only-hadolint-DLxxxx.tsv /
# only-dockwright-DLxxxx.tsv, table.txt) land in .build/parity/.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
PASS=() POS=() NFILES="" SELFTEST=0
while [ $# -gt 0 ]; do
    case "$1" in
        --selftest) SELFTEST=1 ;;
        --list-unexplained) PASS+=("$1") ;;
        --codes|--jobs|--min-coverage) [ $# -ge 2 ] || usage; PASS+=("$1" "$2"); shift ;;
        --codes=*|--jobs=*|--min-coverage=*) PASS+=("$1") ;;
        --files) [ $# -ge 2 ] || usage; NFILES=$2; shift ;;
        --files=*) NFILES=${1#--files=} ;;
        -h|--help) usage ;;
        -*) echo "parity: unknown option '$1'" >&2; usage ;;
        *) POS+=("$1") ;;
    esac
    shift
done
[ "${#POS[@]}" -le 2 ] || usage
if [ -n "$NFILES" ] && ! [[ "$NFILES" =~ ^[1-9][0-9]*$ ]]; then
    echo "parity: --files wants a positive number, got '$NFILES'" >&2; exit 2
fi

if [ "$SELFTEST" = 1 ]; then
    exec "${PYTHON:-python3}" scripts/parity.py --selftest
fi

BIN=${POS[0]:-.build/release/dockwright}
CORPUS=${POS[1]:-../shared/corpus/files}
OUT=.build/parity

# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure hadolint || exit 2

[ -x "$BIN" ] || { echo "parity: '$BIN' not found or not executable (swift build -c release?)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "parity: corpus dir '$CORPUS' not found" >&2; exit 2; }
mkdir -p "$OUT" .build/hadolint-findings-cache
LIST=$OUT/files.txt
find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort > "$LIST"
if [ -n "$NFILES" ]; then
    head -n "$NFILES" "$LIST" > "$LIST.tmp" && mv "$LIST.tmp" "$LIST"
fi
[ -s "$LIST" ] || { echo "parity: no *.Dockerfile in $CORPUS" >&2; exit 2; }

exec "$DW_PY" scripts/parity.py --hadolint "$DW_HADOLINT" --dockwright "$BIN" \
    --cache-dir .build/hadolint-findings-cache --out "$OUT" \
    --known scripts/known-parity-differences.tsv ${PASS[@]+"${PASS[@]}"} < "$LIST"
