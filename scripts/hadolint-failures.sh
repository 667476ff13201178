#!/usr/bin/env bash
# The "hadolint gap": corpus files that hadolint 2.15.1 cannot parse (it
# reports rule DL1000) while the parse oracle (BuildKit parser v0.12.5 via
# PyPI dockerfile==3.4.0) accepts them. dockwright must accept every one of
# them and match the oracle on each.
#
# usage: scripts/hadolint-failures.sh [--list-only] [DOCKWRIGHT_BIN] [CORPUS_DIR]
#   DOCKWRIGHT_BIN  default .build/release/dockwright
#   CORPUS_DIR      default ../shared/corpus/files (relative to the repo root)
#   --list-only     only list the gap files (no dockwright needed)
# env: CHECK_SELF_TEST=1 / DOCKWRIGHT_DUMP_CMD / DOCKWRIGHT_VENV as in
#      scripts/check-corpus.sh.
# Output: the gap files' corpus ids on stdout, one per line (also saved to
# .build/hadolint-gap/ids.txt); their count and the comparison report on
# stderr; closing line on stdout: `hadolint-gap: N passed, M failed`
# (ids only: `scripts/hadolint-failures.sh 2>/dev/null | sed '$d'`).
# The first run takes ~2-4 min (hadolint is slow); results are cached in
# .build/hadolint-findings-cache/ (shared with scripts/parity.sh).
set -euo pipefail

LIST_ONLY=0
if [ "${1:-}" = --list-only ]; then LIST_ONLY=1; shift; fi
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
OUT=.build/hadolint-gap

# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure hadolint || exit 2

[ -d "$CORPUS" ] || { echo "hadolint-failures: corpus dir '$CORPUS' not found" >&2; exit 2; }
mkdir -p "$OUT" .build/oracle-cache .build/hadolint-findings-cache
find "$CORPUS" -maxdepth 1 -type f -name '*.Dockerfile' | LC_ALL=C sort > "$OUT/files.txt"

"$DW_PY" scripts/oracle_dump.py --batch --cache-dir .build/oracle-cache \
    < "$OUT/files.txt" > "$OUT/oracle-all.jsonl" 2>/dev/null || [ $? -eq 1 ] \
    || { echo "hadolint-failures: oracle failed" >&2; exit 2; }
"$DW_PY" scripts/hadolint_scan.py --hadolint "$DW_HADOLINT" --cache-dir .build/hadolint-findings-cache \
    < "$OUT/files.txt" > "$OUT/hadolint.jsonl" \
    || { echo "hadolint-failures: hadolint scan failed" >&2; exit 2; }

# Select: hadolint parse error and oracle ok. Writes gap paths, ids, and the
# oracle's lines for them.
"$DW_PY" - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
oracle = {}
for line in open(os.path.join(out, "oracle-all.jsonl"), encoding="utf-8"):
    o = json.loads(line); oracle[o["path"]] = line
hl = [json.loads(l) for l in open(os.path.join(out, "hadolint.jsonl"), encoding="utf-8")]
both = 0
with open(os.path.join(out, "gap-files.txt"), "w") as fp, \
     open(os.path.join(out, "ids.txt"), "w") as fi, \
     open(os.path.join(out, "gap-oracle.jsonl"), "w", encoding="utf-8") as fo:
    for h in hl:
        if not h["parse_error"]:
            continue
        if not json.loads(oracle[h["path"]])["ok"]:
            both += 1
            continue
        fp.write(h["path"] + "\n")
        fi.write(os.path.basename(h["path"]).rsplit(".", 1)[0] + "\n")
        fo.write(oracle[h["path"]])
n = sum(1 for _ in open(os.path.join(out, "ids.txt")))
sys.stderr.write("hadolint-failures: %d files hadolint cannot parse but the oracle accepts "
                 "(+%d that both reject)\n" % (n, both))
PY
cat "$OUT/ids.txt"
[ "$LIST_ONLY" = 1 ] && exit 0

if [ "${CHECK_SELF_TEST:-0}" = 1 ]; then
    DUMP_CMD="$DW_PY scripts/oracle_dump.py --batch"
elif [ -n "${DOCKWRIGHT_DUMP_CMD:-}" ]; then
    DUMP_CMD=$DOCKWRIGHT_DUMP_CMD
else
    [ -x "$BIN" ] || { echo "hadolint-failures: '$BIN' not found or not executable" >&2; exit 2; }
    DUMP_CMD="$BIN dump --batch"
fi
rc=0
# shellcheck disable=SC2086  # DUMP_CMD is a command line
$DUMP_CMD < "$OUT/gap-files.txt" > "$OUT/gap-dockwright.jsonl" 2> "$OUT/gap-dockwright.stderr" || rc=$?
[ "$rc" -lt 2 ] || echo "hadolint-failures: warning: dump exited $rc" >&2

rc=0
"$DW_PY" scripts/compare_dumps.py --require-accept \
    --expected "$OUT/gap-oracle.jsonl" --actual "$OUT/gap-dockwright.jsonl" \
    --known scripts/known-oracle-differences.tsv \
    --label hadolint-gap --show 20 > "$OUT/compare.txt" || rc=$?
sed '$d' "$OUT/compare.txt" >&2
tail -n 1 "$OUT/compare.txt"
exit "$rc"
