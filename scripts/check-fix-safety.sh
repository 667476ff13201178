#!/usr/bin/env bash
# Acceptance check of `dockwright fix` (issue 4) over every *.Dockerfile of
# the corpus: `fix --batch` (safe) and `fix --batch --unsafe` never crash,
# every output parses with BuildKit's parser (PyPI dockerfile==3.4.0 =
# BuildKit v0.12.5), fixing twice equals fixing once, and the safe fixes
# provably keep the meaning: the instruction sequence is unchanged except
# ADD -> COPY and merged RUNs, and each merged RUN runs exactly the original
# commands in order (shfmt --to-json), keeps no shell state across the joins
# and fails where the originals failed. Unsafe outputs must keep every
# instruction (moved, not lost). The rules are spelled out in
# scripts/fix_safety.py.
#
# usage: scripts/check-fix-safety.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN  default .build/release/dockwright
#   CORPUS_DIR      default ../shared/corpus/files (relative to the repo root)
# env:
#   FIX_CMD           command line run instead of "$BIN fix --batch" (through
#                     bash -c; paths on stdin, JSON lines on stdout); the
#                     unsafe run appends " --unsafe". $DW_PY is set.
#   CHECK_SELF_TEST=1 use scripts/mock_fix.py (a TEST DOUBLE: text-level
#                     ADD->COPY and RUN merging) as "dockwright fix"; must
#                     pass; validates the checker.
#   MOCK_BREAK=1      with CHECK_SELF_TEST: the mock damages ~25% of the
#                     files on purpose (wrong merges, lost instructions,
#                     crashes, ...). Every damaged file must be flagged and no
#                     other: the last line is then `mock-breaks: N caught,
#                     M missed, F false alarms` and the exit status follows it.
#   FIX_CHECK_OUT     output directory (default .build/fix-check): outputs in
#                     {safe,unsafe}/<id>.Dockerfile, violations.tsv.
#   FIX_CHECK_SHOW    violations printed in full (default 20).
#   FIX_CHECK_TIMEOUT seconds per fix batch run (default 3600).
#   SHFMT             shfmt binary (default: shfmt on PATH).
# Caches: oracle parses in .build/oracle-cache, shfmt facts in
# .build/shfmt-facts-cache (content-keyed). Last line:
# `fix-safety: N passed, M failed` (passed = files without a violation in
# either mode); exit 1 on failures, 2 on setup errors.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
OUT=${FIX_CHECK_OUT:-.build/fix-check}

SHFMT=${SHFMT:-$(command -v shfmt || true)}
if [ -z "$SHFMT" ] || [ ! -x "$SHFMT" ]; then
    echo "check-fix-safety: shfmt not found (apt-get install shfmt)" >&2; exit 2
fi
export SHFMT
# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure || exit 2
echo "check-fix-safety: parser $DW_ORACLE_REQ, shell $("$SHFMT" --version) ($SHFMT -ln bash --to-json)"

[ -d "$CORPUS" ] || { echo "check-fix-safety: corpus dir '$CORPUS' not found" >&2; exit 2; }
mkdir -p "$OUT" .build/oracle-cache .build/shfmt-facts-cache
LIST=$OUT/files.txt
find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort > "$LIST"
nfiles=$(wc -l < "$LIST" | tr -d ' ')
[ "$nfiles" -gt 0 ] || { echo "check-fix-safety: no *.Dockerfile in $CORPUS" >&2; exit 2; }

EXPECT=()
if [ "${CHECK_SELF_TEST:-0}" = 1 ]; then
    CMD="\"\$DW_PY\" scripts/mock_fix.py --batch"
    if [ "${MOCK_BREAK:-0}" = 1 ]; then
        BREAKLOG=$OUT/mock-breaks.jsonl
        : > "$BREAKLOG"
        export MOCK_BREAK_LOG=$BREAKLOG
        EXPECT=(--expect-breaks "$BREAKLOG")
        echo "check-fix-safety: SELF TEST with MOCK_BREAK=1: the mock damages files on purpose"
    else
        unset MOCK_BREAK
        echo "check-fix-safety: SELF TEST: scripts/mock_fix.py (a test double) stands in for dockwright fix"
    fi
elif [ -n "${FIX_CMD:-}" ]; then
    CMD=$FIX_CMD
else
    [ -x "$BIN" ] || { echo "check-fix-safety: '$BIN' not found or not executable (swift build -c release?)" >&2; exit 2; }
    CMD="\"$BIN\" fix --batch"
fi

t0=$(date +%s.%N)
rc=0
"$DW_PY" scripts/fix_safety.py --list "$LIST" --cmd "$CMD" --out "$OUT" \
    --oracle-cache .build/oracle-cache --shfmt-cache .build/shfmt-facts-cache \
    --show "${FIX_CHECK_SHOW:-20}" --timeout "${FIX_CHECK_TIMEOUT:-3600}" "${EXPECT[@]}" || rc=$?
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "check-fix-safety: %.1fs in all\n", b - a }' >&2
exit "$rc"
