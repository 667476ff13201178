#!/usr/bin/env bash
# Compare `dockwright dump --batch` with the parse oracle (PyPI
# dockerfile==3.4.0 = BuildKit parser v0.12.5) over every *.Dockerfile of
# the corpus.
#
# usage: scripts/check-corpus.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN  default .build/release/dockwright
#   CORPUS_DIR      default ../shared/corpus/files (relative to the repo root)
# env:
#   CHECK_SELF_TEST=1    use the oracle itself as "dockwright" (no binary
#                        needed): must print 100% agreement; validates the
#                        comparison machinery.
#   DOCKWRIGHT_DUMP_CMD  command line to run instead of "$BIN dump --batch"
#                        (reads paths on stdin, prints batch JSON lines).
#   DOCKWRIGHT_VENV      venv location (see scripts/lib/venv.sh).
# Oracle results are cached in .build/oracle-cache/ (key: oracle version +
# content hash). Outputs land in .build/corpus-check/. Files listed in
# scripts/known-oracle-differences.tsv are reported as known differences and
# do not fail. Last line: `corpus-dump: N passed, M failed`; exit 1 on failures,
# 2 on setup errors.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
OUT=.build/corpus-check

# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure || exit 2

[ -d "$CORPUS" ] || { echo "check-corpus: corpus dir '$CORPUS' not found" >&2; exit 2; }
mkdir -p "$OUT" .build/oracle-cache
LIST=$OUT/files.txt
find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort > "$LIST"
nfiles=$(wc -l < "$LIST" | tr -d ' ')
[ "$nfiles" -gt 0 ] || { echo "check-corpus: no *.Dockerfile in $CORPUS" >&2; exit 2; }

if [ "${CHECK_SELF_TEST:-0}" = 1 ]; then
    DUMP_CMD="$DW_PY scripts/oracle_dump.py --batch"
    echo "check-corpus: SELF TEST: the oracle stands in for dockwright"
elif [ -n "${DOCKWRIGHT_DUMP_CMD:-}" ]; then
    DUMP_CMD=$DOCKWRIGHT_DUMP_CMD
else
    [ -x "$BIN" ] || { echo "check-corpus: '$BIN' not found or not executable (swift build -c release?)" >&2; exit 2; }
    DUMP_CMD="$BIN dump --batch"
fi

t0=$(date +%s.%N)
rc=0
"$DW_PY" scripts/oracle_dump.py --batch --cache-dir .build/oracle-cache \
    < "$LIST" > "$OUT/oracle.jsonl" 2> "$OUT/oracle.stderr" || rc=$?
if [ "$rc" -ge 2 ]; then
    echo "check-corpus: oracle failed (exit $rc):" >&2; head -20 "$OUT/oracle.stderr" >&2; exit 2
fi
t1=$(date +%s.%N)
rc=0
# shellcheck disable=SC2086  # DUMP_CMD is a command line
$DUMP_CMD < "$LIST" > "$OUT/dockwright.jsonl" 2> "$OUT/dockwright.stderr" || rc=$?
t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" -v rc="$rc" 'BEGIN {
    printf "oracle: %.2fs   dockwright dump --batch: %.2fs (exit %d)\n", b - a, c - b, rc }'
if [ "$rc" -ge 2 ]; then
    echo "check-corpus: warning: dump exited $rc; stderr (first lines):" >&2
    head -5 "$OUT/dockwright.stderr" >&2
fi

exec "$DW_PY" scripts/compare_dumps.py \
    --expected "$OUT/oracle.jsonl" --actual "$OUT/dockwright.jsonl" \
    --known scripts/known-oracle-differences.tsv \
    --label corpus-dump --show 20 --report "$OUT/report.tsv"
