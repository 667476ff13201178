#!/usr/bin/env bash
# dockwright vs hadolint 2.15.1 vs tally 0.45.0 on the same corpus files, one
# process per tool over all files, output included; then the editor on-save
# path (`dockwright fix -` on a typical 40-line Dockerfile), start-up included.
#
# usage: scripts/bench-cli.sh [DOCKWRIGHT_BIN] [CORPUS_DIR] [FILE_COUNT]
#   defaults: .build/release/dockwright, ../shared/corpus/files, 1500
# Benchmarks are not tests: run on a release build, report ratios; the machine
# is shared and noisy, so each run is repeated and the best time kept:
# dockwright DW_RUNS times (default 7), hadolint and tally BENCH_RUNS times
# (default 1: together they take about two minutes a run).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
BIN=${1:-.build/release/dockwright}
CORPUS=${2:-../shared/corpus/files}
COUNT=${3:-1500}
RUNS=${BENCH_RUNS:-1}
DW_RUNS=${DW_RUNS:-7}
OUT=.build/bench-cli
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "bench-cli: '$BIN' not found (swift build -c release)" >&2; exit 2; }

# shellcheck source=lib/venv.sh
. scripts/lib/venv.sh
dw_venv_ensure hadolint || exit 2
VENV_BIN=$(dirname "$DW_PY")
if [ ! -x "$VENV_BIN/tally" ]; then
    "$VENV_BIN/pip" install -q "tally-cli==0.45.0" >&2 || { echo "bench-cli: cannot install tally-cli" >&2; exit 2; }
fi
HADOLINT=$VENV_BIN/hadolint
TALLY=$VENV_BIN/tally

# A fixed, spread-out sample: every k-th file of the sorted corpus.
find "$CORPUS" -maxdepth 1 -name '*.Dockerfile' | LC_ALL=C sort > "$OUT/all.txt"
total=$(wc -l < "$OUT/all.txt")
step=$(( total / COUNT )); [ "$step" -ge 1 ] || step=1
awk -v step="$step" -v count="$COUNT" 'NR % step == 0 && n < count { print; n++ }' "$OUT/all.txt" > "$OUT/files.txt"
files=$(wc -l < "$OUT/files.txt")
bytes=$(xargs cat < "$OUT/files.txt" | wc -c)

best() {  # best wall time of N runs of a command line reading file names from files.txt
    local runs=$1 best_time="" t start end
    shift
    for _ in $(seq "$runs"); do
        start=$(date +%s.%N)
        xargs -a "$OUT/files.txt" -d '\n' "$@" > "$OUT/last.out" 2>/dev/null || true
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc)
        if [ -z "$best_time" ] || [ "$(echo "$t < $best_time" | bc)" = 1 ]; then best_time=$t; fi
    done
    echo "$best_time"
}

dw=$(best "$DW_RUNS" "$BIN" lint --format json --fail-level none)
hl=$(best "$RUNS" "$HADOLINT" --no-fail -f json)
ta=$(best "$RUNS" "$TALLY" lint --format json --no-config --slow-checks off)

# The editor on-save path: a typical 40-line file, fixed through standard input.
sample=$(python3 - "$OUT/files.txt" <<'PY'
import sys
for path in open(sys.argv[1]).read().split("\n"):
    if path and 35 <= open(path, "rb").read().count(b"\n") <= 45:
        print(path)
        break
PY
)
# perf stat times the process alone; a Python loop adds its own fork/exec cost
# (about 1 ms here), so it is only the fallback where perf cannot count.
if perf stat -r 1 true >/dev/null 2>&1; then
    mean=$(perf stat -r 200 "$BIN" fix - < "$sample" 2>&1 >/dev/null | awk '/seconds time elapsed/ { print $1 * 1000 }')
    onsave="mean ${mean} ms (perf stat, 200 runs)"
else
    onsave=$(python3 - "$BIN" "$sample" <<'PY'
import subprocess, sys, time
binary, path = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
times = []
for _ in range(200):
    start = time.perf_counter()
    subprocess.run([binary, 'fix', '-'], input=data, stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - start)
times.sort()
print(f"median {times[len(times)//2]*1000:.2f} ms, best {times[0]*1000:.2f} ms (Python loop, 200 runs)")
PY
)
fi

ratio() { echo "scale=1; $1 / $2" | bc; }
echo "| tool | files | MB | seconds (best of runs) | vs dockwright |"
echo "|---|---:|---:|---:|---:|"
printf '| dockwright %s | %d | %.1f | %.3f | 1× |\n' "$("$BIN" --version | cut -d' ' -f2)" "$files" "$(echo "$bytes/1000000" | bc -l)" "$dw"
printf '| hadolint 2.15.1 | %d | %.1f | %.3f | %s× slower |\n' "$files" "$(echo "$bytes/1000000" | bc -l)" "$hl" "$(ratio "$hl" "$dw")"
printf '| tally 0.45.0 | %d | %.1f | %.3f | %s× slower |\n' "$files" "$(echo "$bytes/1000000" | bc -l)" "$ta" "$(ratio "$ta" "$dw")"
echo
echo "dockwright fix - on $(wc -l < "$sample")-line $(basename "$sample"), start-up included: $onsave"
