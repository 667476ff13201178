#!/usr/bin/env bash
# Differential test of our shell parser against shfmt (Debian package shfmt,
# 3.6.0, run as `shfmt -ln bash --to-json`): every RUN script that
# `dockwright shell-commands --batch` reports for the corpus is parsed by
# shfmt too, and the simple commands (name + literal arguments) compared.
#
# usage: scripts/check-shell.sh [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN  default .build/release/dockwright
#   CORPUS_DIR      default ../shared/corpus/files (relative to the repo root)
# env:
#   CHECK_SELF_TEST=1   use scripts/mock_shell_commands.py (a test double fed
#                       by the BuildKit oracle + shfmt) as "dockwright": must
#                       print 100% agreement; validates the machinery.
#   SHELL_COMMANDS_CMD  command line run instead of "$BIN shell-commands
#                       --batch" (through bash -c; paths on stdin, JSON lines
#                       on stdout). $DW_PY (oracle venv python) is set.
#   MOCK_PERTURB=N      with CHECK_SELF_TEST: corrupt every Nth result (the
#                       run must then fail; tests the failure reporting).
#   SHFMT               shfmt binary (default: shfmt on PATH).
#   SHELL_CHECK_OUT     output directory (default .build/shell-check).
# shfmt results are cached in .build/shfmt-cache/ (key: shfmt version +
# extractor version + SHA-256 of the script). Outputs land in
# $SHELL_CHECK_OUT. Scripts listed in scripts/known-shell-differences.tsv
# are reported as known differences and do not fail; "we accept, shfmt
# rejects" is listed but does not fail either. Last line:
# `shell-commands: N passed, M failed`; exit 1 on failures, 2 on setup errors.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
OUT=${SHELL_CHECK_OUT:-.build/shell-check}
CACHE=.build/shfmt-cache

SHFMT=${SHFMT:-$(command -v shfmt || true)}
if [ -z "$SHFMT" ] || [ ! -x "$SHFMT" ]; then
    echo "check-shell: shfmt not found (apt-get install shfmt)" >&2; exit 2
fi
export SHFMT
echo "check-shell: reference: $("$SHFMT" --version) ($SHFMT -ln bash --to-json)"
command -v python3 >/dev/null || { echo "check-shell: python3 not found" >&2; exit 2; }

[ -d "$CORPUS" ] || { echo "check-shell: corpus dir '$CORPUS' not found" >&2; exit 2; }
mkdir -p "$OUT" "$CACHE"
LIST=$OUT/files.txt
find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort > "$LIST"
nfiles=$(wc -l < "$LIST" | tr -d ' ')
[ "$nfiles" -gt 0 ] || { echo "check-shell: no *.Dockerfile in $CORPUS" >&2; exit 2; }

if [ "${CHECK_SELF_TEST:-0}" = 1 ] || [ -n "${SHELL_COMMANDS_CMD:-}" ]; then
    # the mock needs the oracle venv; an override may use $DW_PY too
    # shellcheck source=lib/venv.sh
    . scripts/lib/venv.sh
    dw_venv_ensure || exit 2
fi
if [ "${CHECK_SELF_TEST:-0}" = 1 ]; then
    CMD="\"\$DW_PY\" scripts/mock_shell_commands.py --batch --cache-dir $CACHE --oracle-cache .build/oracle-cache"
    [ -n "${MOCK_PERTURB:-}" ] && CMD="$CMD --perturb $MOCK_PERTURB"
    echo "check-shell: SELF TEST: a shfmt-backed mock stands in for dockwright"
elif [ -n "${SHELL_COMMANDS_CMD:-}" ]; then
    CMD=$SHELL_COMMANDS_CMD
else
    [ -x "$BIN" ] || { echo "check-shell: '$BIN' not found or not executable (swift build -c release?)" >&2; exit 2; }
    CMD="\"$BIN\" shell-commands --batch"
fi

t0=$(date +%s.%N)
rc=0
bash -c "$CMD" < "$LIST" > "$OUT/dockwright.jsonl" 2> "$OUT/dockwright.stderr" || rc=$?
t1=$(date +%s.%N)
if [ "$rc" -ge 2 ]; then
    echo "check-shell: warning: shell-commands exited $rc; stderr (first lines):" >&2
    head -5 "$OUT/dockwright.stderr" >&2
fi
rc2=0
python3 scripts/shfmt_commands.py --batch --cache-dir "$CACHE" \
    < "$OUT/dockwright.jsonl" > "$OUT/shfmt.jsonl" 2> "$OUT/shfmt.stderr" || rc2=$?
t2=$(date +%s.%N)
if [ "$rc2" -ne 0 ]; then
    echo "check-shell: shfmt_commands.py failed (exit $rc2):" >&2; head -20 "$OUT/shfmt.stderr" >&2; exit 2
fi
awk -v a="$t0" -v b="$t1" -v c="$t2" -v rc="$rc" -v n="$nfiles" 'BEGIN {
    printf "files: %d   shell-commands --batch: %.2fs (exit %d)   shfmt: %.2fs\n", n, b - a, rc, c - b }'
tail -1 "$OUT/shfmt.stderr"

exec python3 scripts/compare_shell.py \
    --ours "$OUT/dockwright.jsonl" --shfmt "$OUT/shfmt.jsonl" \
    --known scripts/known-shell-differences.tsv \
    --label shell-commands --show 20 --report "$OUT/report.tsv"
